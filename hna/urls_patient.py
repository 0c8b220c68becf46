"""The patient's pages: no account, a passcode and date of birth (hna.views.patient)."""

from django.urls import path

from hna.views import patient

urlpatterns = [
    path("start/", patient.start, name="patient_start"),
    path("my-assessment/", patient.resume, name="patient_resume"),
    path("my-assessment/concerns/<slug:category_code>/", patient.concerns, name="patient_concerns"),
    path("my-assessment/concerns/<slug:category_code>/scores/", patient.scores, name="patient_scores"),
    path("my-assessment/distress/", patient.answer, {"step": "distress"}, name="patient_distress"),
    path("my-assessment/anything-else/", patient.answer, {"step": "anything-else"}, name="patient_anything_else"),
    path("my-assessment/someone-with-you/", patient.answer, {"step": "someone-with-you"}, name="patient_company"),
    path("my-assessment/communication/", patient.answer, {"step": "communication"}, name="patient_communication"),
    path("my-assessment/check/", patient.check, name="patient_check"),
    path("my-assessment/sent/", patient.sent, name="patient_sent"),
    path("my-assessment/saved/", patient.saved, name="patient_saved"),
]
