"""HNA reports (figures, chart, scoping, constant query count) and the COSD CSV export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hna.models import Assessment, CarePlan, ChecklistVersion, ConcernCategory, ConcernItem
from hna.services import assessments, passcodes, reports
from portal.audit.models import Action, AuditEvent
from portal.people.models import Role
from portal.ui.csv_cells import FORMULA_STARTS, safe_cell
from tests.conftest import give_totp
from tests.factories import PatientFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
REPORT, EXPORT = "/hna/reports/", "/hna/reports/export.csv"
DAY = datetime.timedelta(days=1)


def make(cast, *, scores=None, distress=None, submit=True, actor=None, offer_status="03", event_date=None):
    """An assessment of a new team A patient; ticked physical concerns with `scores`; submitted."""
    patient = PatientFactory(care_teams=[cast.team_a])
    s = assessments.set_up(
        actor=actor or cast.cns_a,
        patient=patient,
        point_of_pathway="02",
        trigger="diagnosis",
        offer_status=offer_status,
        event_date=event_date or timezone.localdate(),
    )
    if scores:
        assessments.save_ticks(s.assessment, "physical", set(scores))
        assessments.save_scores(s.assessment, scores)
    if distress is not None:
        assessments.save_answers(s.assessment, distress_score=distress)
    if submit:
        assessments.submit(passcodes.check(s.passcode, patient.date_of_birth))
    return Assessment.objects.get(pk=s.assessment.pk)


def lock_plan(assessment, at, *, version=1, status=CarePlan.Status.LOCKED, by=None):
    return CarePlan.objects.create(
        patient=assessment.patient,
        team=assessment.team,
        assessment=assessment,
        version=version,
        status=status,
        started_by=assessment.set_up_by,
        locked_at=at,
        locked_by=by or assessment.set_up_by,
    )


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


class TestReport:
    def test_median_days_from_submission_to_first_locked_plan(self, cast):
        t = timezone.now() - 30 * DAY
        made = [make(cast) for _ in range(4)]
        Assessment.objects.filter(pk__in=[a.pk for a in made]).update(submitted_at=t)
        lock_plan(made[0], t + 2 * DAY)
        first = lock_plan(made[1], t + 4 * DAY, status=CarePlan.Status.SUPERSEDED)
        CarePlan.objects.create(  # a later version: the first agreed plan is what counts
            patient=first.patient, team=first.team, assessment=made[1], version=2, previous=first,
            status="locked", started_by=first.started_by, locked_at=t + 20 * DAY, locked_by=first.started_by,
        )  # fmt: skip
        lock_plan(made[2], t + 10 * DAY)
        # made[3] has no agreed plan yet: not counted
        report = reports.team_report(cast.cns_a)
        assert (report.median_days_to_plan, report.plans_counted) == (4.0, 3)

    def test_no_plans_no_median(self, cast):
        make(cast)
        assert reports.team_report(cast.cns_a).median_days_to_plan is None

    def test_offered_by_status_and_completed_per_month(self, cast):
        today = timezone.localdate()
        two_months_ago = (today.replace(day=1) - 40 * DAY).replace(day=15)
        make(cast, offer_status="03")
        make(cast, offer_status="03", submit=False)
        make(cast, offer_status="02", submit=False)
        make(cast, offer_status="03", event_date=two_months_ago, submit=False)
        make(cast, offer_status="03", event_date=today - 400 * DAY, submit=False)  # before the 12 months
        report = reports.team_report(cast.cns_a)
        assert len(report.months) == 12 and report.months[-1].month == today.replace(day=1)
        this_month = report.months[-1]
        assert this_month.offered == {"03": 2, "02": 1} and this_month.completed == 1
        old = next(m for m in report.months if m.month == two_months_ago.replace(day=1))
        assert old.offered == {"03": 1} and old.completed == 0
        assert report.offered_totals["03"] == 3 and report.completed_total == 1

    def test_top_concerns_by_times_ticked_with_mean_score(self, cast):
        make(cast, scores={"physical-pain": 8, "physical-fatigue": 3})
        make(cast, scores={"physical-pain": 6, "physical-sleep": 5})
        make(cast, scores={"physical-pain": 4, "physical-fatigue": 7})
        make(cast, scores={"physical-breathing": 9}, submit=False)  # not completed: not counted
        rows = reports.team_report(cast.cns_a).top_concerns
        assert [(r.code, r.ticked, r.mean_score, r.percent) for r in rows] == [
            ("physical-pain", 3, 6.0, 100),
            ("physical-fatigue", 2, 5.0, 67),
            ("physical-sleep", 1, 5.0, 33),
        ]
        assert rows[0].text == "Pain"

    def test_page_shows_the_chart_as_text_and_svg_bars(self, client, cast):
        make(cast, scores={"physical-pain": 8, "physical-fatigue": 3})
        make(cast, scores={"physical-pain": 6})
        client.force_login(cast.cns_a)
        response = client.get(REPORT)
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>HNA reports" in html and "Team A (breast)" in html
        assert "Tired, exhausted or fatigued" in html and "1 (50%)" in html and "2 (100%)" in html
        assert 'width="50%"' in html and 'aria-hidden="true"' in html
        assert 'style="' not in html.split("<main", 1)[1]  # the CSP forbids inline styles
        assert EXPORT in html

    def test_query_count_does_not_grow_with_data(self, client, cast):
        client.force_login(cast.cns_a)
        make(cast, scores={"physical-pain": 8})
        client.get(REPORT)  # warm up per-process caches
        with CaptureQueriesContext(connection) as few:
            assert client.get(REPORT).status_code == 200
        for n in range(6):
            a = make(cast, scores={"physical-pain": n, "physical-sleep": 2})
            lock_plan(a, timezone.now())
        with CaptureQueriesContext(connection) as many:
            assert client.get(REPORT).status_code == 200
        assert len(many) == len(few)

    def test_only_the_users_own_team(self, client, cast):
        make(cast, scores={"physical-pain": 8})
        report = reports.team_report(cast.cns_b)
        assert report.completed_total == 0 and report.top_concerns == []
        client.force_login(cast.cns_b)
        assert "Pain" not in client.get(REPORT).content.decode().split("Top concerns", 1)[1]

    @pytest.mark.parametrize("who", ["gp_a", "admin", "auditor", "patient_user"])
    def test_not_for_other_roles(self, client, cast, who):
        client.force_login(getattr(cast, who))
        assert client.get(REPORT).status_code == 403
        assert client.get(EXPORT).status_code == 403

    def test_signed_out_goes_to_sign_in(self, client, cast):
        assert client.get(REPORT).status_code == 302
        assert client.get(EXPORT).status_code == 302


class TestExport:
    def test_one_row_per_assessment_with_cosd_fields_and_scores(self, client, cast):
        done = make(cast, scores={"physical-pain": 8, "physical-sleep": 0}, distress=6)
        waiting = make(cast, submit=False, offer_status="01")
        client.force_login(cast.cns_a)
        response = client.get(EXPORT)
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith('attachment; filename="hna-cosd-')
        rows = {row["nhs_number"]: row for row in read_csv(response)}
        assert set(rows) == {done.patient.nhs_number, waiting.patient.nhs_number}
        row = rows[done.patient.nhs_number]
        submitted = timezone.localtime(done.submitted_at).date().isoformat()
        assert {k: row[k] for k in reports.EXPORT_COLUMNS} == {
            "record_type": "HNA",
            "event_date": submitted,
            "offer_status": "03",
            "offered_date": done.event_date.isoformat(),
            "point_of_pathway": "02",
            "staff_role": "01",
            "organisation_code": "RTA",
            "nhs_number": done.patient.nhs_number,
            "status": "submitted",
            "plan_version": "",
            "submitted_date": submitted,
            "distress_score": "6",
            "completion_method": "patient_self",  # local column (ADR 0053)
        }
        assert (row["physical-pain"], row["physical-sleep"], row["physical-fatigue"]) == ("8", "0", "")
        other = rows[waiting.patient.nhs_number]
        assert (other["offer_status"], other["status"], other["submitted_date"], other["physical-pain"]) == (
            "01",
            "set_up",
            "",
            "",
        )
        assert len(ConcernItem.objects.filter(category__version=ChecklistVersion.current())) <= len(row)

    def test_staff_role_codes(self, client, cast):
        for role in (Role.SUPPORT_WORKER, Role.CLINICIAN):
            user = UserFactory(email=f"{role}@example.com")
            RoleAssignmentFactory(user=user, role=role, organisation=cast.trust, team=cast.team_a)
            give_totp(user)
            make(cast, actor=user, submit=False)
        client.force_login(cast.cns_a)
        assert sorted(row["staff_role"] for row in read_csv(client.get(EXPORT))) == ["04", "06"]

    def test_formula_cells_are_neutralised(self, client, cast):
        assert [safe_cell(v) for v in ("=1+1", "+44", "-2", "@SUM(A1)", "\tx", "ok", None, 5)] == [
            "'=1+1",
            "'+44",
            "'-2",
            "'@SUM(A1)",
            "'\tx",
            "ok",
            "",
            "5",
        ]
        # End to end: a checklist code a service admin typed that a spreadsheet would run.
        version = ChecklistVersion.objects.create(number=99, name="Draft")
        category = ConcernCategory.objects.create(version=version, code="x", name="X")
        ConcernItem.objects.create(category=category, code='=HYPERLINK("http://evil")', text="Evil")
        make(cast, submit=False)
        client.force_login(cast.cns_a)
        header = next(csv.reader(io.StringIO(b"".join(client.get(EXPORT).streaming_content).decode())))
        assert '\'=HYPERLINK("http://evil")' in header
        assert not [cell for cell in header if cell.startswith(FORMULA_STARTS)]

    def test_audited_once_for_the_export_and_once_per_assessment(self, client, cast):
        made = [make(cast, submit=False) for _ in range(3)]
        client.force_login(cast.cns_a)
        read_csv(client.get(EXPORT))
        events = AuditEvent.objects.filter(action=Action.EXPORT, actor=cast.cns_a)
        summary = events.get(object_type="people.careteam")
        assert summary.object_id == str(cast.team_a.pk) and summary.patient is None
        per_row = events.filter(object_type="hna.assessment")
        assert {(e.patient_id, e.object_id) for e in per_row} == {(a.patient_id, str(a.pk)) for a in made}
        assert {e.role for e in per_row} == {"cns"} and all(e.ip_address for e in per_row)

    def test_streams_in_pages(self, client, cast, monkeypatch):
        monkeypatch.setattr(reports, "CHUNK", 2)
        made = [make(cast, submit=False) for _ in range(5)]
        client.force_login(cast.cns_a)
        rows = read_csv(client.get(EXPORT))
        assert sorted(r["nhs_number"] for r in rows) == sorted(a.patient.nhs_number for a in made)
        assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="hna.assessment").count() == 5

    def test_another_team_gets_only_a_header(self, client, cast):
        make(cast, submit=False)
        client.force_login(cast.cns_b)
        assert read_csv(client.get(EXPORT)) == []
        assert not AuditEvent.objects.filter(action=Action.EXPORT, object_type="hna.assessment").exists()
