"""Holistic needs assessments and care plans: models arrive with this app's feature issue."""
