"""Nothing waits unseen (issue 10, item 15; ADR 0021). The daily sweep puts a patient whose
treatment ended TREATMENT_SUMMARY_DUE_WEEKS ago with no summary started on their care team's
worklist; reminds a practice that has not acknowledged a summary after
TREATMENT_SUMMARY_REMINDER_DAYS, then TREATMENT_SUMMARY_ESCALATE_DAYS later tells the care team.
Each is raised once (a second run, or a run after someone closed the item, makes nothing new),
in chunks, and closed by the service that does the work: starting the summary, acknowledging it."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.outbox.models import Notification
from portal.people.models import Organisation
from portal.ui.presenters import format_date
from portal.worklist.models import Kind, Priority, Status, WorkItem
from portal.worklist.services import change_status, close_for_source
from tests.factories import CareTeamFactory, DiagnosisFactory, PatientFactory
from tests.treatment_summaries.factories import sent_version
from tests.treatment_summaries.pages import row
from treatment_summaries.models import PracticeDelivery
from treatment_summaries.services import chasing, inbox, summaries

pytestmark = pytest.mark.django_db
DAY, MINUTE = datetime.timedelta(days=1), datetime.timedelta(minutes=1)
PRACTICE_EMAIL = "practice.a@example.com"


def due_items(**filters):
    return WorkItem.objects.filter(kind=Kind.SUMMARY_DUE, **filters)


def unacknowledged_items(**filters):
    return WorkItem.objects.filter(kind=Kind.SUMMARY_NOT_ACKNOWLEDGED, **filters)


def reminders():
    return Notification.objects.filter(template="treatment_summaries.practice_reminder")


def ended(cast, days_ago, *, teams=None, site="breast", **patient_fields):
    """A diagnosis whose treatment ended `days_ago` days before today, of a new patient of `teams`."""
    teams = [cast.team_a] if teams is None else teams
    patient = PatientFactory(care_teams=teams, registered_practice=cast.practice_a, **patient_fields)
    end = timezone.localdate() - datetime.timedelta(days=days_ago)
    return DiagnosisFactory(patient=patient, tumour_site=site, end_of_treatment_date=end)


def later(delta):
    return time_machine.travel(timezone.now() + delta)


# A summary due and not started


class TestSummaryDue:
    def test_raised_for_the_team_once_treatment_ended_four_weeks_ago(self, cast):
        diagnosis = ended(cast, 27)
        assert chasing.raise_summaries_due() == 0  # 27 days: not yet
        with later(DAY):
            assert chasing.raise_summaries_due() == 1  # 28 days
        item = due_items().get()
        assert item.team == cast.team_a and item.patient == diagnosis.patient and item.status == Status.OPEN
        assert item.title == f"Treatment summary due for {diagnosis.patient.full_name}"
        assert item.priority == Priority.ROUTINE
        assert item.due_by == diagnosis.end_of_treatment_date + chasing.DRAFT_OVERDUE_AFTER
        assert item.link == f"/treatment-summaries/patients/{diagnosis.patient.pk}/start/"

    def test_the_weeks_are_a_setting(self, cast, settings):
        settings.TREATMENT_SUMMARY_DUE_WEEKS = 2
        ended(cast, 13)
        assert chasing.raise_summaries_due() == 0
        ended(cast, 14)
        assert chasing.raise_summaries_due() == 1

    def test_running_twice_makes_nothing_new_nor_after_the_team_closed_it(self, cast):
        ended(cast, 40)
        assert chasing.raise_summaries_due() == 1
        assert chasing.raise_summaries_due() == 0
        change_status(due_items().get(), Status.CANCELLED, actor=cast.cns_a)  # "written on paper"
        assert chasing.raise_summaries_due() == 0
        assert due_items().count() == 1

    def test_starting_the_summary_closes_it_and_a_started_one_is_never_due(self, cast):
        diagnosis = ended(cast, 30)
        chasing.raise_summaries_due()
        summaries.start(actor=cast.cns_a, patient=diagnosis.patient, diagnosis=diagnosis)
        item = due_items().get()
        assert item.status == Status.DONE
        assert item.status_changes.last().created_by == cast.cns_a
        started = ended(cast, 30)
        summaries.start(actor=cast.cns_a, patient=started.patient, diagnosis=started)
        assert chasing.raise_summaries_due() == 0

    def test_the_team_of_the_diagnosis_site_or_else_every_care_team(self, cast):
        both = ended(cast, 30, teams=[cast.team_a, cast.team_b])  # breast: team A's
        elsewhere = ended(cast, 30, teams=[cast.team_b])  # no breast team on the caseload: team B
        assert chasing.raise_summaries_due() == 2
        assert [i.team for i in due_items(patient=both.patient)] == [cast.team_a]
        assert [i.team for i in due_items(patient=elsewhere.patient)] == [cast.team_b]

    def test_each_team_of_the_site_is_asked_until_it_has_started_its_own(self, cast):
        second_breast = CareTeamFactory(organisation=cast.trust, name="Team C (breast)", tumour_site="breast")
        diagnosis = ended(cast, 30, teams=[cast.team_a, second_breast])
        summaries.start(actor=cast.cns_a, patient=diagnosis.patient, diagnosis=diagnosis)
        assert chasing.raise_summaries_due() == 1
        assert due_items().get().team == second_breast

    def test_nothing_for_no_end_date_a_future_one_a_death_or_no_care_team(self, cast):
        DiagnosisFactory(patient=PatientFactory(care_teams=[cast.team_a]))
        ended(cast, -10)
        ended(cast, 60, date_of_death=datetime.date(2025, 12, 1))
        ended(cast, 60, teams=[])
        assert chasing.raise_summaries_due() == 0
        assert not due_items().exists()

    def test_in_chunks(self, cast, monkeypatch):
        monkeypatch.setattr(chasing, "CHUNK", 2)
        for _ in range(5):
            ended(cast, 35)
        assert chasing.raise_summaries_due() == 5
        assert due_items().count() == 5


# A sent summary the practice has not acknowledged


@pytest.fixture
def delivery(cast):
    Organisation.objects.filter(pk=cast.practice_a.pk).update(email=PRACTICE_EMAIL)
    return sent_version(cast).practice_deliveries.get()


def reminded(delivery) -> datetime.datetime:
    """The sweep run 14 days after sending: the reminder sent; when it was."""
    with later(14 * DAY + MINUTE):
        assert chasing.remind_practices() == 1
    return PracticeDelivery.objects.get(pk=delivery.pk).reminded_at


class TestNotAcknowledged:
    def test_the_practice_is_reminded_after_14_days_once(self, cast, delivery):
        with later(14 * DAY - MINUTE):
            assert chasing.remind_practices() == 0
        assert not reminders().exists()
        with later(14 * DAY + MINUTE):
            assert chasing.remind_practices() == 1
            assert chasing.remind_practices() == 0
        note = reminders().get()
        assert note.recipient == PRACTICE_EMAIL and note.channel == "email" and note.patient is None
        assert note.idempotency_key == f"eots-practice-reminder:{delivery.pk}"
        assert note.context["practice"] == "Practice A" and note.context["team"] == "Team A (breast)"
        assert cast.patient.family_name not in str(note.context)  # practice email says nothing of who
        assert PracticeDelivery.objects.get(pk=delivery.pk).reminded_at is not None
        assert not unacknowledged_items().exists()  # the practice first

    def test_the_care_team_sees_when_the_practice_was_reminded(self, client, cast, delivery):
        summary_page = reverse("treatment_summaries:summary", kwargs={"summary_id": delivery.version.summary_id})
        client.force_login(cast.cns_a)
        assert "Practice reminded" not in client.get(summary_page).content.decode()
        at = reminded(delivery)
        assert row(client.get(summary_page).content.decode(), "Practice reminded") == format_date(at)

    def test_the_days_are_a_setting(self, delivery, settings):
        settings.TREATMENT_SUMMARY_REMINDER_DAYS = 3
        with later(3 * DAY + MINUTE):
            assert chasing.remind_practices() == 1

    def test_the_team_is_told_7_days_after_the_reminder_once(self, cast, delivery):
        at = reminded(delivery)
        with time_machine.travel(at + 7 * DAY - MINUTE):
            assert chasing.raise_not_acknowledged() == 0
        with time_machine.travel(at + 7 * DAY + MINUTE):
            assert chasing.raise_not_acknowledged() == 1
            assert chasing.raise_not_acknowledged() == 0
        item = unacknowledged_items().get()
        assert item.team == cast.team_a and item.patient == cast.patient and item.priority == Priority.HIGH
        assert item.source_type == "treatment_summaries.practicedelivery" and item.source_id == str(delivery.pk)
        assert item.title == f"Practice A has not acknowledged the treatment summary for {cast.patient.full_name}"
        assert item.link == f"/treatment-summaries/{delivery.version.summary_id}/"

    def test_acknowledging_closes_the_item(self, cast, delivery):
        at = reminded(delivery)
        with time_machine.travel(at + 8 * DAY):
            chasing.raise_not_acknowledged()
            inbox.acknowledge(actor=cast.gp_a, delivery=delivery)
        item = unacknowledged_items().get()
        assert item.status == Status.DONE and item.status_changes.last().created_by == cast.gp_a

    def test_an_acknowledged_summary_is_never_chased(self, cast, delivery):
        inbox.acknowledge(actor=cast.gp_a, delivery=delivery)
        with later(60 * DAY):
            assert chasing.remind_practices() == chasing.raise_not_acknowledged() == 0
        assert not reminders().exists() and not unacknowledged_items().exists()

    def test_a_practice_without_email_is_chased_by_the_team_at_once(self, cast):
        delivery = sent_version(cast).practice_deliveries.get()  # practice A has no email address
        with later(14 * DAY + MINUTE):
            assert chasing.remind_practices() == 1
            assert chasing.raise_not_acknowledged() == 0  # raised already, once
        assert not reminders().exists()
        assert unacknowledged_items().get().source_id == str(delivery.pk)

    def test_a_superseded_summary_is_not_chased(self, cast, delivery):
        newer = sent_version(cast, after=delivery.version).practice_deliveries.get()
        with later(30 * DAY):
            assert chasing.remind_practices() == 1
        assert [n.idempotency_key for n in reminders()] == [f"eots-practice-reminder:{newer.pk}"]

    def test_sending_an_amendment_cancels_the_item_of_the_version_it_replaces(self, cast, delivery):
        at = reminded(delivery)
        with time_machine.travel(at + 8 * DAY):
            chasing.raise_not_acknowledged()
            sent_version(cast, after=delivery.version)  # the practice is to acknowledge this one instead
        item = unacknowledged_items().get()
        assert item.status == Status.CANCELLED and item.status_changes.last().created_by == cast.cns_a

    def test_in_chunks(self, cast, monkeypatch):
        monkeypatch.setattr(chasing, "CHUNK", 2)
        for _ in range(5):
            sent_version(cast, patient=PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a))
        with later(14 * DAY + MINUTE):
            assert chasing.remind_practices() == 5
        assert PracticeDelivery.objects.filter(reminded_at__isnull=False).count() == 5


def test_the_daily_run_does_all_three(cast, delivery):
    ended(cast, 30)
    with later(14 * DAY + MINUTE):
        counts = chasing.run_daily()
    assert counts == {"drafts_overdue": 0, "summaries_due": 1, "practices_reminded": 1, "not_acknowledged": 0}


def test_an_item_closes_as_done_or_cancelled_only(cast):
    with pytest.raises(ValueError, match="done or cancelled, not 'in_progress'"):
        close_for_source(kind=Kind.SUMMARY_DUE, source_type="x", source_id="y", to_status=Status.IN_PROGRESS)
