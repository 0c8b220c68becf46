"""Holistic needs assessments and care plans."""
