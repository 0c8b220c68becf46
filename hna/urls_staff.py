"""Staff pages for HNAs (names are "hna:..."): the team list, set-up, passcode and review."""

from django.urls import path

from hna.views import staff, staff_entry

urlpatterns = [
    path("", staff.team_list, name="team_list"),
    path("patients/<uuid:patient_id>/set-up/", staff.set_up, name="set_up"),
    path("patients/<uuid:patient_id>/enter/", staff_entry.enter, name="enter"),
    path("assessments/<uuid:assessment_id>/enter/scores/", staff_entry.enter_scores, name="enter_scores"),
    path("assessments/<uuid:assessment_id>/", staff.review, name="review"),
    path("assessments/<uuid:assessment_id>/passcode/", staff.passcode, name="passcode"),
    path("assessments/<uuid:assessment_id>/reissue/", staff.reissue, name="reissue"),
    path("assessments/<uuid:assessment_id>/reviewed/", staff.mark_reviewed, name="mark_reviewed"),
    path("assessments/<uuid:assessment_id>/offer-outcome/", staff.offer_outcome, name="offer_outcome"),
]
