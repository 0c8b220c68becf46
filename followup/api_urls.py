"""Follow-up API URLs under /api/v1/followup/ (included in portal/urls.py before portal.api.urls,
whose catch-all answers any other /api/ address with a JSON 404)."""

from django.urls import path

from followup import api

app_name = "followup_api"

# str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
urlpatterns = [
    path("pathways/", api.PathwayList.as_view(), name="api-followup-pathway-list"),
    path("pathways/<str:pk>/", api.PathwayDetail.as_view(), name="api-followup-pathway-detail"),
    path("tests/", api.TestList.as_view(), name="api-followup-test-list"),
    path("tests/<str:pk>/", api.TestDetail.as_view(), name="api-followup-test-detail"),
    path("results/", api.ResultList.as_view(), name="api-followup-result-list"),
    path("results/<str:pk>/", api.ResultDetail.as_view(), name="api-followup-result-detail"),
    path("checkins/", api.CheckInList.as_view(), name="api-followup-checkin-list"),
    path("checkins/<str:pk>/", api.CheckInDetail.as_view(), name="api-followup-checkin-detail"),
    path("concerns/", api.ConcernList.as_view(), name="api-followup-concern-list"),
    path("concerns/<str:pk>/", api.ConcernDetail.as_view(), name="api-followup-concern-detail"),
]
