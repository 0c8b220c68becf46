"""Follow-up pages. Each part of the app has its own URL module (staff pathways, results, the
patient's pages, concerns, letters); this one only joins them under /follow-up/."""

from django.urls import include, path

app_name = "followup"
urlpatterns = [
    path("", include("followup.urls_staff")),
    path("results/", include("followup.urls_results")),
    path("concerns/", include("followup.urls_concerns")),
    path("mine/", include("followup.urls_patient")),
    path("letters/", include("followup.urls_letters")),
]
