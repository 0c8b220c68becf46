"""Closing the loop (ADR 0038): a response that passes a threshold, from a patient who agreed to be
contacted, gives their care team a worklist item with the scores and tells the patient an HNA will be
offered; otherwise nothing. Thresholds are data: changing one changes what triggers."""

from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.outbox.models import Notification
from portal.people.models import Patient
from portal.worklist.models import Kind, WorkItem
from qol_survey.models import HnaOffer, Threshold
from qol_survey.services import loop
from tests.factories import CareTeamFactory
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db

LOW_PHYSICAL = {f"q{n}": 4 for n in range(1, 6)}  # PF 0
SEVERE_FATIGUE = {"q10": 4, "q12": 4, "q18": 4}  # FA 100


def respond(cast, *, may_contact=True, cancer=None, **fields):
    invitation = make_invitation(patient=cast.patient, team=cast.team_a)
    return make_response(invitation, may_contact=may_contact, cancer=cancer, **fields)


def test_defaults_are_loaded_as_data():
    by_measure = {(t.measure, t.direction): t.value for t in Threshold.objects.filter(active=True)}
    assert by_measure[("PF", "below")] == 50 and by_measure[("QL", "below")] == 50
    assert by_measure[("FA", "at_least")] == Decimal("66.7")
    assert by_measure[("index", "below")] == Decimal("0.5")
    assert ("NV", "at_least") not in by_measure  # nausea is not in the defaults


def test_a_low_score_with_consent_raises_an_item_and_tells_the_patient(cast):
    response = respond(cast, cancer=LOW_PHYSICAL | SEVERE_FATIGUE)
    item = WorkItem.objects.get(kind=Kind.QOL_OFFER_HNA)
    assert item.team == cast.team_a and item.patient == cast.patient
    assert item.source_id == str(response.pk)
    assert item.title.startswith(f"Quality of life survey: offer an HNA to {cast.patient.full_name}")
    assert "Low physical functioning 0 (below 50)" in item.title
    assert "Severe fatigue 100 (66.7 or more)" in item.title
    offer = HnaOffer.objects.get(response=response)
    assert {t["measure"] for t in offer.triggers} == {"PF", "FA"}
    assert offer.work_item == item and offer.channel == "email"
    message = Notification.objects.get(template="qol_survey.hna_offer")
    assert message.recipient == cast.patient.email and message.patient == cast.patient
    assert AuditEvent.objects.filter(action="create", object_id=str(offer.pk)).exists()


def test_without_consent_nothing_happens(cast):
    respond(cast, may_contact=False, cancer=LOW_PHYSICAL)
    assert not WorkItem.objects.filter(kind=Kind.QOL_OFFER_HNA).exists()
    assert not HnaOffer.objects.exists()
    assert not Notification.objects.filter(template="qol_survey.hna_offer").exists()


def test_scores_within_every_threshold_lead_to_nothing(cast):
    response = respond(cast)  # full function, no symptoms, best health
    assert loop.passed(response.scores) == []
    assert not WorkItem.objects.filter(kind=Kind.QOL_OFFER_HNA).exists()
    assert not HnaOffer.objects.exists()


def test_a_second_call_changes_nothing(cast):
    response = respond(cast, cancer=LOW_PHYSICAL)
    again = loop.after_response(response)
    assert again == response.hna_offer
    assert WorkItem.objects.filter(kind=Kind.QOL_OFFER_HNA).count() == 1
    assert Notification.objects.filter(template="qol_survey.hna_offer").count() == 1
    assert HnaOffer.objects.count() == 1


def test_a_threshold_changed_as_data_changes_what_triggers(cast):
    response = respond(cast)  # QL 83.3
    Threshold.objects.filter(measure="QL").update(value=90)
    assert [t["measure"] for t in loop.passed(response.scores)] == ["QL"]
    Threshold.objects.filter(measure="QL").update(active=False)
    assert loop.passed(response.scores) == []


def test_an_unscored_scale_passes_nothing():
    threshold = Threshold(instrument="cancer-30", measure="PF", direction="below", value=50, label="Low")
    assert loop.passed({"cancer-30": {"PF": None}}, [threshold]) == []
    assert loop.passed({}, [threshold]) == []


def test_a_patient_who_prefers_post_gets_a_letter(cast):
    cast.patient.preferred_contact = Patient.Contact.POST
    cast.patient.address = "1 Park Row\nLeeds"
    cast.patient.save()
    respond(cast, cancer=LOW_PHYSICAL)
    message = Notification.objects.get(template="qol_survey.hna_offer")
    assert message.channel == "letter"
    assert message.recipient == f"{cast.patient.full_name}\n1 Park Row\nLeeds\nLS1 4AP"


def test_with_no_invitation_team_the_patients_team_for_the_site_gets_it(cast):
    other = CareTeamFactory(organisation=cast.trust, tumour_site="lung")
    cast.patient.care_teams.add(other)
    invitation = make_invitation(patient=cast.patient, team=None)
    make_response(invitation, cancer=LOW_PHYSICAL)
    assert WorkItem.objects.get(kind=Kind.QOL_OFFER_HNA).team == cast.team_a  # breast, as the diagnosis


def test_a_low_profile_index_triggers(cast):
    response = respond(cast, profile="55555")
    index = response.scores["health-profile-5d"]["index"]
    assert index < 0.5  # the demo value set's worst state
    assert "index" in {t["measure"] for t in response.hna_offer.triggers}
    assert "Low overall health (profile index)" in WorkItem.objects.get(kind=Kind.QOL_OFFER_HNA).title


def test_a_long_list_of_scores_is_cut_to_fit_the_title_and_kept_whole_on_the_offer(cast):
    everything = {f"q{n}": 4 for n in range(1, 29)} | {"q29": 1, "q30": 1}
    response = respond(cast, cancer=everything, profile="55555")
    title = WorkItem.objects.get(kind=Kind.QOL_OFFER_HNA).title
    assert len(title) <= 200 and title.endswith("…)")
    assert len(response.hna_offer.triggers) == 12  # QL, 5 functional, 5 symptoms, the index
