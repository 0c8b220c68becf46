"""/care-reviews/: the practice's due list."""

from django.urls import path

from care_reviews import views

app_name = "care_reviews"
urlpatterns = [
    path("", views.due, name="due"),
]
