"""Wellbeing API URLs under /api/v1/wellbeing/ (included in portal/urls.py before portal.api.urls,
whose catch-all answers any other /api/ address with a JSON 404)."""

from django.urls import path

from wellbeing import api, api_urls_library

app_name = "wellbeing_api"

# str, not uuid: a malformed id then reaches the view and gets a JSON 404, not the HTML page.
urlpatterns = [
    path("sessions/", api.SessionList.as_view(), name="api-wellbeing-session-list"),
    path("sessions/<str:pk>/", api.SessionDetail.as_view(), name="api-wellbeing-session-detail"),
    path("bookings/", api.BookingList.as_view(), name="api-wellbeing-booking-list"),
    path("bookings/<str:pk>/", api.BookingDetail.as_view(), name="api-wellbeing-booking-detail"),
]
# The resource library and services directory (ADR 0043).
urlpatterns += api_urls_library.urlpatterns
