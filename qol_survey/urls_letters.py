"""/quality-of-life/letters/: the care team's survey letters to print or send to a mailing house
(see qol_survey/urls.py)."""

from django.urls import path

from qol_survey import views_letters

urlpatterns = [
    path("", views_letters.pending, name="letters"),
    path("batch/", views_letters.batch, name="letter_batch"),
    path("mailing-house.csv", views_letters.mailing_csv, name="letter_csv"),
]
