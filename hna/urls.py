"""HNA URLs, one module per area so each can grow on its own."""

from django.urls import include, path

app_name = "hna"
urlpatterns = [
    path("", include("hna.urls_patient")),
    path("", include("hna.urls_staff")),
    path("", include("hna.urls_plans")),
    path("", include("hna.urls_reports")),
]
