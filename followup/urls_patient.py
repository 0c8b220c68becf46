"""The patient's follow-up pages in My care (followup.patient_views)."""

from django.urls import path

from followup import patient_views as views

urlpatterns = [
    path("", views.plan, name="mine"),
    path("results/", views.results, name="mine_results"),
    path("symptoms/", views.symptoms, name="mine_symptoms"),
    path("worried/", views.worried, name="mine_worried"),
    path("worried/details/", views.worried_details, name="mine_worried_details"),
    path("worried/check/", views.worried_check, name="mine_worried_check"),
    path("worried/sent/", views.worried_sent, name="mine_worried_sent"),
    path("check-in/", views.checkin, name="mine_checkin"),
]
