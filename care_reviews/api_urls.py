"""Cancer care review API URLs under /api/v1/care-reviews/ (included in portal/urls.py before
portal.api.urls, whose catch-all answers any other /api/ address with a JSON 404)."""

from django.urls import path

from care_reviews import api

app_name = "care_reviews_api"

# str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
# requests/ comes before <str:pk>/, which would otherwise take "requests" for a review's id.
urlpatterns = [
    path("requests/", api.RequestList.as_view(), name="api-care-review-request-list"),
    path("requests/<str:pk>/", api.RequestDetail.as_view(), name="api-care-review-request-detail"),
    path("", api.ReviewList.as_view(), name="api-care-review-list"),
    path("<str:pk>/", api.ReviewDetail.as_view(), name="api-care-review-detail"),
]
