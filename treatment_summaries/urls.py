"""Treatment summary URLs, one module per area."""

from django.urls import include, path

app_name = "treatment_summaries"
urlpatterns = [
    path("", include("treatment_summaries.urls_letters")),
    path("", include("treatment_summaries.urls_staff")),
    path("", include("treatment_summaries.urls_inbox")),
]
