"""/api/v1/hna/assessments/ and /api/v1/care-plans/. Included at /api/v1/ in portal/urls.py,
before portal.api.urls (whose catch-all answers any other /api/ address with a JSON 404)."""

from django.urls import path

from hna import api

app_name = "hna_api"

urlpatterns = [
    path("hna/assessments/", api.AssessmentList.as_view(), name="api-assessment-list"),
    # str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
    path("hna/assessments/<str:pk>/", api.AssessmentDetail.as_view(), name="api-assessment-detail"),
    path("care-plans/", api.CarePlanList.as_view(), name="api-care-plan-list"),
    path("care-plans/<str:pk>/", api.CarePlanDetail.as_view(), name="api-care-plan-detail"),
]
