"""Printing the follow-up letters for patients who prefer post (care team)."""

from django.urls import path

from followup.views import sweep_letters

urlpatterns = [
    path("", sweep_letters.pending, name="letters"),
    path("batch/", sweep_letters.batch, name="letter_batch"),
]
