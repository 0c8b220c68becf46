"""/quality-of-life/dashboard/ pages (see qol_survey/urls.py): the survey's results, and a patient's
scores over time (linked from their record, their care plan and the HNA offer's worklist item)."""

from django.urls import path

from qol_survey import views_dashboard as views

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("export.csv", views.export, name="dashboard_export"),
    path("scores/<uuid:patient_id>/", views.patient_scores, name="patient_scores"),
]
