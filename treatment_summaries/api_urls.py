"""/api/v1/treatment-summaries/. Included at /api/v1/ in portal/urls.py, before portal.api.urls
(whose catch-all answers any other /api/ address with a JSON 404)."""

from django.urls import path

from treatment_summaries import api

app_name = "treatment_summaries_api"

urlpatterns = [
    path("treatment-summaries/", api.TreatmentSummaryList.as_view(), name="api-treatment-summary-list"),
    # str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
    path(
        "treatment-summaries/<str:pk>/",
        api.TreatmentSummaryDetail.as_view(),
        name="api-treatment-summary-detail",
    ),
]
