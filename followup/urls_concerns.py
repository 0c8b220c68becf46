"""The care team's triage of re-entry concerns (followup.patient_concern_views)."""

from django.urls import path

from followup import patient_concern_views as views

urlpatterns = [
    path("", views.queue, name="concern_queue"),
    path("<uuid:concern_id>/", views.concern, name="concern"),
    path("<uuid:concern_id>/triage/", views.triage, name="concern_triage"),
    path("<uuid:concern_id>/outcome/", views.outcome, name="concern_outcome"),
    path("<uuid:concern_id>/close/", views.close, name="concern_close"),
    path("raise/<uuid:pathway_id>/", views.raise_on_behalf, name="concern_raise"),
]
