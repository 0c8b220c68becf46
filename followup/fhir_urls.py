"""Follow-up FHIR URLs under /fhir/."""

urlpatterns: list = []
