"""Quality of life survey API URLs under /api/v1/qol/ (included in portal/urls.py before
portal.api.urls, whose catch-all answers any other /api/ address with a JSON 404)."""

from django.urls import path

from qol_survey import api

app_name = "qol_survey_api"

# str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
urlpatterns = [
    path("invitations/", api.InvitationList.as_view(), name="api-qol-invitation-list"),
    path("invitations/<str:pk>/", api.InvitationDetail.as_view(), name="api-qol-invitation-detail"),
    path("responses/", api.ResponseList.as_view(), name="api-qol-response-list"),
    path("responses/<str:pk>/", api.ResponseDetail.as_view(), name="api-qol-response-detail"),
]
