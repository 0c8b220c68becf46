"""/wellbeing/: sessions (public), booking and "My bookings" (patients), asking for a place (anyone),
the service admins' session pages, and the resource library and directory (urls_library)."""

from django.urls import path

from wellbeing import urls_library, views, views_admin

app_name = "wellbeing"
urlpatterns = [
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<uuid:session_id>/", views.session_page, name="session"),
    path("sessions/<uuid:session_id>/book/", views.book, name="book"),
    path("sessions/<uuid:session_id>/ask/", views.ask, name="ask"),
    path("sessions/<uuid:session_id>/calendar.ics", views.calendar_file, name="calendar"),
    path("bookings/<uuid:booking_id>/cancel/", views.cancel, name="cancel"),
    path("my-bookings/", views.my_bookings, name="mine"),
    path("admin/sessions/", views_admin.session_list, name="admin-sessions"),
    path("admin/sessions/new/", views_admin.session_new, name="admin-new"),
    path("admin/sessions/<uuid:session_id>/", views_admin.session_page, name="admin-session"),
    path("admin/sessions/<uuid:session_id>/edit/", views_admin.session_edit, name="admin-edit"),
    path("admin/sessions/<uuid:session_id>/cancel/", views_admin.session_cancel, name="admin-cancel"),
    path("admin/bookings/<uuid:booking_id>/<slug:action>/", views_admin.booking_action, name="admin-booking-action"),
]
urlpatterns += urls_library.urlpatterns
