"""Results pages under /follow-up/results/ (ADR 0028)."""

from django.urls import path

from followup import views_results as views

urlpatterns = [
    path("", views.queue, name="results"),
    path("key-in/", views.key_in, name="result_key_in"),
    path("upload/", views.upload, name="result_upload"),
    path("unmatched/", views.unmatched, name="results_unmatched"),
    path("unmatched/<uuid:unmatched_id>/", views.match, name="result_match"),
    path("<uuid:result_id>/", views.result_page, name="result"),
]
