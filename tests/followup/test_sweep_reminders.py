"""The sweep's reminders, requests, check-ins and discharges (issue 11 items 3, 5 and 7)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from followup.models import (
    CheckIn,
    Concern,
    FollowupLetter,
    PathwayChange,
    PathwayKind,
    PathwayStatus,
    TestChange,
    TestReminder,
    TestStatus,
)
from followup.services import sweep
from portal.outbox.models import Notification
from portal.people.models import Patient
from tests.factories import PatientFactory, UserFactory
from tests.followup.sweep_helpers import TODAY, add_test, quiet_pathway

pytestmark = pytest.mark.django_db
days = datetime.timedelta


def test_a_test_due_in_14_days_gets_its_first_reminder_and_is_requested():
    pathway = quiet_pathway()
    test = add_test(pathway, TODAY + days(14), code="CT_CAP")
    assert sweep.run(TODAY)["reminders"] == 1
    reminder = TestReminder.objects.get(test=test)
    assert (reminder.lead_days, reminder.channel) == (14, "email")
    test.refresh_from_db()
    assert test.status == TestStatus.REQUESTED and test.requested_at is not None
    change = TestChange.objects.get(test=test)
    assert (change.status_from, change.status_to) == ("scheduled", "requested")
    note = Notification.objects.get(template="followup.test_reminder")
    assert note.recipient == pathway.patient.email and note.context["due"] == "15 June 2026"
    # A hospital test: the GP is not asked for anything.
    assert not Notification.objects.filter(template="followup.gp_blood_request").exists()


def test_the_lead_times_are_the_pathways_protocol_versions_own():
    """A version with one reminder a week ahead: nothing at 14 or 3 days, one reminder at 7."""
    pathway = quiet_pathway()
    version = pathway.protocol_version
    version.first_reminder_days, version.second_reminder_days = 7, 0
    version.save()
    test = add_test(pathway, TODAY + days(14), code="CT_CAP")
    assert sweep.run(TODAY)["reminders"] == 0
    assert sweep.run(TODAY + days(6))["reminders"] == 0
    assert sweep.run(TODAY + days(7))["reminders"] == 1
    assert sweep.run(TODAY + days(11))["reminders"] == 0
    assert list(TestReminder.objects.filter(test=test).values_list("lead_days", flat=True)) == [7]


def test_a_new_protocol_version_takes_its_lead_times_from_the_settings(settings):
    from followup.models import Protocol, ProtocolVersion

    settings.FOLLOWUP_REMINDER_DAYS = (21, 5)
    version = ProtocolVersion.objects.create(
        protocol=Protocol.objects.create(slug="lead-times", name="Lead times", tumour_site="breast"), number=1
    )
    assert (version.first_reminder_days, version.second_reminder_days) == (21, 5)


def test_a_test_not_yet_in_the_window_gets_nothing():
    test = add_test(quiet_pathway(), TODAY + days(15))
    assert sweep.run(TODAY)["reminders"] == 0
    assert not TestReminder.objects.filter(test=test).exists()


def test_the_second_reminder_at_3_days_leaves_a_requested_test_requested():
    pathway = quiet_pathway()
    test = add_test(pathway, TODAY + days(14), code="CT_CAP")
    sweep.run(TODAY)
    sweep.run(TODAY + days(11))
    assert sorted(TestReminder.objects.filter(test=test).values_list("lead_days", flat=True)) == [3, 14]
    assert TestChange.objects.filter(test=test).count() == 1  # requested once
    assert Notification.objects.filter(template="followup.test_reminder").count() == 2


def test_a_missed_run_sends_the_nearest_reminder_only():
    test = add_test(quiet_pathway(), TODAY + days(2), code="CT_CAP")
    sweep.run(TODAY)
    assert list(TestReminder.objects.filter(test=test).values_list("lead_days", flat=True)) == [3]


def test_the_gp_is_asked_to_take_a_gp_blood_test():
    pathway = quiet_pathway(patient=PatientFactory(registered_practice__email="surgery@example.com"))
    add_test(pathway, TODAY + days(10), code="CEA")
    sweep.run(TODAY)
    request = Notification.objects.get(template="followup.gp_blood_request")
    assert request.recipient == pathway.patient.registered_practice.email
    assert request.patient is None  # the practice email names no patient


def test_a_patient_who_prefers_post_gets_a_letter_in_the_batch():
    patient = PatientFactory(preferred_contact=Patient.Contact.POST, email="")
    pathway = quiet_pathway(patient=patient)
    test = add_test(pathway, TODAY + days(14), code="MAMMOGRAM")
    sweep.run(TODAY)
    letter = FollowupLetter.objects.get(kind=FollowupLetter.Kind.REMINDER)
    assert (letter.patient, letter.key, letter.printed_at) == (patient, f"followup-reminder:{test.pk}:14", None)
    assert TestReminder.objects.get(test=test).channel == "post"
    assert not Notification.objects.filter(patient=patient).exists()


def test_no_reminder_on_a_suspended_pathway_or_for_a_cancelled_test():
    suspended = quiet_pathway(status=PathwayStatus.SUSPENDED)
    add_test(suspended, TODAY + days(5))
    add_test(quiet_pathway(), TODAY + days(5), status=TestStatus.CANCELLED)
    assert sweep.run(TODAY)["reminders"] == 0


def test_a_monthly_checkin_is_sent_once_a_period():
    pathway = quiet_pathway(checkin_months=1)
    pathway.anchor_date = TODAY - relativedelta(months=2, days=3)
    pathway.save()
    assert sweep.run(TODAY)["checkins"] == 1
    assert sweep.run(TODAY + days(5))["checkins"] == 0  # same period
    checkin = CheckIn.objects.get(pathway=pathway)
    assert checkin.due_by == TODAY + days(14) and checkin.test is None
    assert sweep.run(TODAY + relativedelta(months=1))["checkins"] == 1
    assert CheckIn.objects.filter(pathway=pathway).count() == 2
    assert Notification.objects.filter(template="followup.checkin").count() == 2


def test_a_checkin_goes_with_each_psa():
    pathway = quiet_pathway(protocol_slug="prostate-default")
    psa = pathway.tests.filter(test_type__code="PSA").order_by("due_date").first()
    psa.due_date = TODAY + days(14)
    psa.save()
    sweep.run(TODAY)
    checkin = CheckIn.objects.get(pathway=pathway)
    assert checkin.test == psa
    sweep.run(TODAY + days(11))  # the second reminder sends no second questionnaire
    assert CheckIn.objects.filter(pathway=pathway).count() == 1


def test_the_end_of_a_pifu_window_discharges_to_the_gp():
    pathway = quiet_pathway(kind=PathwayKind.PATIENT_INITIATED, pifu_start=TODAY - days(800), pifu_end=TODAY - days(1))
    future = pathway.tests.first()
    assert sweep.run(TODAY)["discharged"] == 1
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.DISCHARGED
    change = PathwayChange.objects.get(pathway=pathway)
    assert change.status_to == "discharged" and "discharged to the GP" in change.reason
    future.refresh_from_db()
    assert future.status == TestStatus.CANCELLED
    assert Notification.objects.get(template="followup.discharge").recipient == pathway.patient.email
    # The factory's practice has no email address: the GP's copy is a letter in the batch.
    assert FollowupLetter.objects.get(pathway=pathway, kind=FollowupLetter.Kind.DISCHARGE_PRACTICE)
    assert sweep.run(TODAY)["discharged"] == 0
    assert PathwayChange.objects.filter(pathway=pathway).count() == 1


def test_a_window_not_yet_ended_or_with_an_open_concern_is_not_discharged():
    running = quiet_pathway(kind=PathwayKind.PATIENT_INITIATED, pifu_end=TODAY)
    worried = quiet_pathway(kind=PathwayKind.PATIENT_INITIATED, pifu_end=TODAY - days(1))
    Concern.objects.create(pathway=worried, raised_by=UserFactory(), respond_by="2026-06-03T12:00Z")
    assert sweep.run(TODAY)["discharged"] == 0
    running.refresh_from_db()
    worried.refresh_from_db()
    assert running.status == worried.status == PathwayStatus.ACTIVE


def test_an_ended_window_gets_no_more_reminders_or_check_ins_only_its_discharge():
    pathway = quiet_pathway(kind=PathwayKind.PATIENT_INITIATED, pifu_end=TODAY - days(1), checkin_months=1)
    pathway.anchor_date = TODAY - relativedelta(months=3)
    pathway.save()
    test = add_test(pathway, TODAY + days(3))
    done = sweep.run(TODAY)
    assert (done["reminders"], done["checkins"], done["discharged"]) == (0, 0, 1)
    test.refresh_from_db()
    assert test.status == TestStatus.CANCELLED


def test_a_pathway_waits_to_be_discharged_while_a_result_is_in_hand():
    """A sample asked for, or a result not yet reviewed and told: discharging now would leave the
    result arriving for a patient the team has let go. The pathway waits, then goes."""
    from django.utils import timezone

    from followup.models import Result

    pathway = quiet_pathway(kind=PathwayKind.PATIENT_INITIATED, pifu_end=TODAY - days(1))
    test = add_test(pathway, TODAY - days(10), status=TestStatus.REQUESTED)
    assert sweep.run(TODAY)["discharged"] == 0
    test.status = TestStatus.RESULTED
    test.save()
    result = Result.objects.create(
        test=test, patient=pathway.patient, nhs_number=pathway.patient.nhs_number, test_code="CEA",
        sample_date=TODAY - days(9), source=Result.Source.KEYED,
    )  # fmt: skip
    assert sweep.run(TODAY)["discharged"] == 0  # not reviewed
    result.reviewed_at = timezone.now()
    result.save()
    assert sweep.run(TODAY)["discharged"] == 0  # not told
    result.told_at = timezone.now()
    result.save()
    assert sweep.run(TODAY)["discharged"] == 1
    test.refresh_from_db()
    assert test.status == TestStatus.RESULTED  # kept, not cancelled


def test_a_period_that_had_a_checkin_with_a_psa_gets_no_second_one():
    pathway = quiet_pathway(protocol_slug="prostate-default", checkin_months=1)
    pathway.anchor_date = TODAY - relativedelta(months=6, days=2)  # the period began 2 days ago
    pathway.save()
    psa = pathway.tests.filter(test_type__code="PSA").order_by("due_date").first()
    psa.due_date = TODAY + days(14)
    psa.save()
    first = sweep.run(TODAY)
    assert first["reminders"] == 1 and first["checkins"] == 0  # the PSA's questionnaire only
    assert CheckIn.objects.get(pathway=pathway).test == psa
    assert sweep.run(TODAY + days(20))["checkins"] == 0  # still the same period
    assert sweep.run(TODAY + relativedelta(months=1))["checkins"] == 1  # the next period's


def test_a_practice_with_no_email_gets_the_discharge_letter_in_the_batch():
    patient = PatientFactory(registered_practice__email="")
    pathway = quiet_pathway(patient=patient, kind=PathwayKind.PATIENT_INITIATED, pifu_end=TODAY - days(1))
    sweep.run(TODAY)
    letter = FollowupLetter.objects.get(pathway=pathway)
    assert letter.kind == FollowupLetter.Kind.DISCHARGE_PRACTICE and letter.context["to_practice"] is True


def test_running_twice_creates_nothing_twice():
    pathway = quiet_pathway(checkin_months=1, kind=PathwayKind.PATIENT_INITIATED, pifu_end=TODAY + days(1))
    pathway.anchor_date = TODAY - relativedelta(months=1)
    pathway.save()
    add_test(pathway, TODAY + days(3), code="CEA")
    first = sweep.run(TODAY)
    counts = (
        TestReminder.objects.count(),
        CheckIn.objects.count(),
        Notification.objects.count(),
        TestChange.objects.count(),
    )
    second = sweep.run(TODAY)
    assert first["reminders"] == first["checkins"] == 1
    assert second["reminders"] == second["checkins"] == 0
    assert counts == (
        TestReminder.objects.count(),
        CheckIn.objects.count(),
        Notification.objects.count(),
        TestChange.objects.count(),
    )
