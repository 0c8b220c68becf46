from django.urls import path

from portal.access import views

urlpatterns = [
    path("", views.sessions, name="access_sessions"),
    path("end/", views.end_session, name="access_end_session"),
    path("end-others/", views.end_other_sessions, name="access_end_other_sessions"),
]
