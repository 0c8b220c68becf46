"""/api/: the schema, its documentation page, and version 1 of the API."""

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView

from portal.api import docs, errors, views

app_name = "api"


# The schema does not describe itself: clients already have it when they read it.
@extend_schema_view(get=extend_schema(exclude=True))
class SchemaView(SpectacularAPIView):
    pass


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    path("v1/patients/", views.PatientList.as_view(), name="patient-list"),
    # str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
    path("v1/patients/<str:pk>/", views.PatientDetail.as_view(), name="patient-detail"),
    re_path(r"^.*$", errors.not_found),
]
