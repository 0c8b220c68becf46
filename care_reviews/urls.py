"""/care-reviews/: the practice's due list, a review, and the patient's own reviews and request."""

from django.urls import path

from care_reviews import views, views_record

app_name = "care_reviews"
urlpatterns = [
    path("", views.due, name="due"),
    path("diagnoses/<uuid:diagnosis_id>/<slug:kind_slug>/", views_record.record, name="record"),
    path("reviews/<uuid:review_id>/", views.review_page, name="review"),
    path("reviews/<uuid:review_id>/summary.pdf", views.review_pdf, name="review_pdf"),
    path("mine/", views.mine, name="mine"),
]
