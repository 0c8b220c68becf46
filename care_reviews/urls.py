"""/care-reviews/: the practice's due list, a review, and the patient's own reviews and request."""

from django.urls import path

from care_reviews import views

app_name = "care_reviews"
urlpatterns = [
    path("", views.due, name="due"),
    path("reviews/<uuid:review_id>/", views.review_page, name="review"),
    path("mine/", views.mine, name="mine"),
]
