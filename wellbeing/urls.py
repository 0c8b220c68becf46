"""/wellbeing/: sessions (public), booking and "My bookings" (patients)."""

from django.urls import path

from wellbeing import urls_library, views

app_name = "wellbeing"
urlpatterns = [
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<uuid:session_id>/", views.session_page, name="session"),
    path("sessions/<uuid:session_id>/book/", views.book, name="book"),
    path("bookings/<uuid:booking_id>/cancel/", views.cancel, name="cancel"),
    path("my-bookings/", views.my_bookings, name="mine"),
]
urlpatterns += urls_library.urlpatterns
