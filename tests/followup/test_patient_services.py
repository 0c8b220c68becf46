"""Re-entry concerns and check-ins (followup.services.concerns, checkins): who may raise, triage and
close; the PIFU window; symptoms from the list; history and audit rows."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from followup.models import CheckIn, Concern, ConcernChange, ConcernStatus, PathwayStatus, Rating
from followup.services import checkins, concerns
from portal.audit.models import Action, AuditEvent
from portal.people.models import Role
from tests.conftest import give_totp
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.followup.factories import make_pathway

pytestmark = pytest.mark.django_db

SYMPTOMS = ["Bleeding from your bottom", "A change in your bowel habit lasting 3 weeks"]


def pifu(cast, **fields):
    today = timezone.localdate()
    defaults = dict(
        pifu_start=today - datetime.timedelta(days=30),
        pifu_end=today + datetime.timedelta(days=365),
        trigger_symptoms=SYMPTOMS,
        named_contact="Sam Jones, colorectal CNS",
        team_phone="0161 000 0000",
    )
    return make_pathway(patient=cast.patient, team=cast.team_a, **{**defaults, **fields})


def support_worker(cast):
    user = UserFactory(email="support.worker@example.com")
    RoleAssignmentFactory(user=user, role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a)
    give_totp(user)  # staff pages need two-factor set up
    return user


def test_the_patient_raises_a_concern_with_history_and_audit(cast):
    pathway = pifu(cast)
    concern = concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[0], SYMPTOMS[0]], "  Since Monday ")
    assert (concern.symptoms, concern.details) == ([SYMPTOMS[0]], "Since Monday")
    assert (concern.status, concern.rating) == ("open", "")
    assert not concern.raised_on_behalf
    change = ConcernChange.objects.get(concern=concern)
    assert (change.status_from, change.status_to, change.by) == ("", "open", cast.patient_user)
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(concern.pk))
    assert (event.patient, event.actor) == (cast.patient, cast.patient_user)
    assert concern in concerns.queue(cast.cns_a)
    assert concern not in concerns.queue(cast.cns_b)


@pytest.mark.parametrize(
    "fields",
    [
        {"pifu_end": datetime.date(2020, 1, 1), "pifu_start": datetime.date(2019, 1, 1)},
        {"pifu_start": datetime.date(2099, 1, 1), "pifu_end": datetime.date(2099, 6, 1)},
        {"kind": "professional_led"},
        {"status": PathwayStatus.SUSPENDED},
    ],
    ids=["window-ended", "window-not-started", "professional-led", "suspended"],
)
def test_outside_the_window_the_patient_is_told_who_to_call(cast, fields):
    pathway = pifu(cast, **fields)
    with pytest.raises(concerns.NotNow) as refused:
        concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[0]], "")
    message = str(refused.value)
    for words in ("Sam Jones, colorectal CNS", "0161 000 0000", "GP", "111", "999"):
        assert words in message
    assert not Concern.objects.exists()


def test_a_symptom_not_on_the_list_is_refused_naming_the_field(cast):
    pathway = pifu(cast)
    with pytest.raises(ValidationError) as refused:
        concerns.raise_concern(cast.patient_user, pathway, ["A headache"], "")
    assert "A headache" in refused.value.message_dict["symptoms"][0]
    with pytest.raises(ValidationError) as empty:
        concerns.raise_concern(cast.patient_user, pathway, [], "   ")
    assert "symptoms" in empty.value.message_dict
    assert not Concern.objects.exists()


def test_staff_raise_only_on_behalf_and_the_patient_never_on_behalf(cast):
    pathway = pifu(cast)
    with pytest.raises(PermissionDenied):
        concerns.raise_concern(cast.cns_a, pathway, [SYMPTOMS[0]], "")
    with pytest.raises(PermissionDenied):
        concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[0]], "", on_behalf=True)
    with pytest.raises(PermissionDenied):
        concerns.raise_concern(cast.cns_b, pathway, [SYMPTOMS[0]], "", on_behalf=True)
    concern = concerns.raise_concern(cast.cns_a, pathway, [SYMPTOMS[1]], "Phoned at 10am", on_behalf=True)
    assert concern.raised_on_behalf and concern.raised_by == cast.cns_a


def test_triage_sets_the_rating_and_the_target(cast):
    pathway = pifu(cast)
    raised = timezone.make_aware(datetime.datetime(2026, 11, 27, 9, 30))  # a Friday
    with mock.patch("django.utils.timezone.now", return_value=raised):
        concern = concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[0]], "")
    assert timezone.localtime(concern.respond_by).date() == datetime.date(2026, 12, 1)  # 2 working days
    concern = concerns.triage(cast.cns_a, concern, Rating.RED, "Bleeding: see today")
    assert concern.status == ConcernStatus.TRIAGED and concern.triaged_by == cast.cns_a
    assert timezone.localtime(concern.respond_by) == timezone.make_aware(datetime.datetime(2026, 11, 27, 17, 0))
    concern = concerns.triage(cast.cns_a, concern, Rating.GREEN, "Spoke to patient")
    assert timezone.localtime(concern.respond_by).date() == datetime.date(2026, 12, 1)
    rows = list(ConcernChange.objects.filter(concern=concern).values_list("rating_from", "rating_to", "reason"))
    assert rows[1:] == [("", "red", "Bleeding: see today"), ("red", "green", "Spoke to patient")]
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(concern.pk)).count() == 2


def test_triage_refuses_a_bad_rating_and_roles_that_may_not(cast):
    concern = concerns.raise_concern(cast.patient_user, pifu(cast), [SYMPTOMS[0]], "")
    with pytest.raises(ValidationError) as bad:
        concerns.triage(cast.cns_a, concern, "purple")
    assert "rating" in bad.value.message_dict
    for actor in (support_worker(cast), cast.cns_b, cast.gp_a, cast.patient_user):
        with pytest.raises(PermissionDenied):
            concerns.triage(actor, concern, Rating.AMBER)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.OPEN and concern.rating == ""


def test_outcome_then_close_in_order(cast):
    concern = concerns.raise_concern(cast.patient_user, pifu(cast), [SYMPTOMS[0]], "")
    with pytest.raises(ValidationError, match="Triage the concern"):
        concerns.record_outcome(cast.cns_a, concern, Concern.Outcome.CLINIC)
    with pytest.raises(ValidationError, match="Record the outcome"):
        concerns.close(cast.cns_a, concern)
    concerns.triage(cast.cns_a, concern, Rating.AMBER)
    with pytest.raises(ValidationError) as bad:
        concerns.record_outcome(cast.cns_a, concern, "magic")
    assert "outcome" in bad.value.message_dict
    concerns.record_outcome(cast.cns_a, concern, Concern.Outcome.CLINIC, "Clinic on Tuesday")
    concern = concerns.close(cast.cns_a, concern)
    assert (concern.status, concern.outcome, concern.outcome_note) == ("closed", "clinic", "Clinic on Tuesday")
    assert concern not in concerns.queue(cast.cns_a)
    with pytest.raises(ValidationError, match="already closed"):
        concerns.close(cast.cns_a, concern)
    with pytest.raises(ValidationError):
        concerns.triage(cast.cns_a, concern, Rating.RED)


def test_the_queue_puts_red_first(cast):
    pathway = pifu(cast)
    green = concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[0]], "")
    untriaged = concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[1]], "")
    red = concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[1]], "")
    concerns.triage(cast.cns_a, green, Rating.GREEN)
    concerns.triage(cast.cns_a, red, Rating.RED)
    assert list(concerns.queue(cast.cns_a)) == [red, untriaged, green]


def checkin_for(pathway):
    return CheckIn.objects.create(
        pathway=pathway, sent_at=timezone.now(), due_by=timezone.localdate() + datetime.timedelta(days=14)
    )


def test_a_yes_opens_a_red_concern_at_once_even_outside_the_window(cast):
    pathway = pifu(cast, kind="professional_led")
    checkin = checkin_for(pathway)
    concern = checkins.answer_checkin(cast.patient_user, checkin, {SYMPTOMS[0]: "yes", SYMPTOMS[1]: "no"})
    checkin.refresh_from_db()
    assert checkin.red_flag and checkin.answered_at is not None
    assert checkin.answers == {SYMPTOMS[0]: "yes", SYMPTOMS[1]: "no"}
    assert (concern.rating, concern.symptoms, concern.status) == ("red", [SYMPTOMS[0]], "open")
    assert concern in concerns.queue(cast.cns_a)
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(checkin.pk)).exists()


def test_all_no_opens_nothing_and_answers_are_checked(cast):
    checkin = checkin_for(pifu(cast))
    with pytest.raises(ValidationError) as missing:
        checkins.answer_checkin(cast.patient_user, checkin, {SYMPTOMS[0]: "no"})
    assert SYMPTOMS[1] in missing.value.message_dict["answers"][0]
    with pytest.raises(ValidationError):
        checkins.answer_checkin(cast.patient_user, checkin, {SYMPTOMS[0]: "no", SYMPTOMS[1]: "no", "Other": "yes"})
    with pytest.raises(PermissionDenied):
        checkins.answer_checkin(cast.cns_a, checkin, {SYMPTOMS[0]: "no", SYMPTOMS[1]: "no"})
    assert checkins.answer_checkin(cast.patient_user, checkin, {SYMPTOMS[0]: "no", SYMPTOMS[1]: "no"}) is None
    assert not Concern.objects.exists()
    with pytest.raises(ValidationError, match="already answered"):
        checkins.answer_checkin(cast.patient_user, checkin, {SYMPTOMS[0]: "yes", SYMPTOMS[1]: "no"})
    assert not Concern.objects.exists()
