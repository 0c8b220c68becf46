"""FHIR R4 plumbing every app's FHIR endpoints stand on (ADR 12): resources.py (references, codings,
Bundles, OperationOutcome), views.py (the DRF base view), urls.py (the catch-all 404). Apps keep only
their own resource builders and views."""
