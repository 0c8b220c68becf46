"""Printing the patient letters (care team)."""

from django.urls import path

from treatment_summaries.views import letters

urlpatterns = [
    path("letters/", letters.pending, name="letters"),
    path("letters/batch/", letters.batch, name="letter_batch"),
]
