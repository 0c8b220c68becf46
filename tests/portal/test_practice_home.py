"""The GP practice's home (issue 14 item 4, ADR 0049): counts first, straight under the heading, from
each app's `practice_home_sections`: the summaries inbox, cancer care reviews due, the practice's
patients on follow-up, and the actions the hospital asked of the practice. Each count is the
practice's own (another practice sees zeros); the queries are the same for 2 patients as for 20;
the patients the short lists name are in the access log."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from care_reviews.services.reviews import ask_for_review
from followup.models import PathwayKind, PathwayStatus, SurveillanceTest
from portal.audit.models import AuditEvent
from portal.people import hub
from tests.factories import DiagnosisFactory, PatientFactory
from tests.followup.factories import make_pathway
from tests.treatment_summaries.factories import delivered
from treatment_summaries.models import GPActionResponse
from treatment_summaries.services import inbox

pytestmark = pytest.mark.django_db
COUNT = re.compile(
    r'<span class="nhsuk-u-font-size-36 nhsuk-u-font-weight-bold">(\d+)</span> (?:<a href="[^"]*">)?([^<]+)'
)


def counts(user) -> dict:
    """{(section title, count label): number} of what the home shows this user."""
    return {(s.title, c.label): c.number for s in hub.practice_home_sections(user) for c in s.counts}


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def a_patient(cast, practice=None):
    return PatientFactory(registered_practice=practice or cast.practice_a, care_teams=[cast.team_a])


def on_followup(patient, team, overdue=False, **fields):
    """A pathway whose tests are all ahead, or (overdue) one of them a fortnight late."""
    pathway = make_pathway(patient=patient, team=team, **fields)
    today = timezone.localdate()
    tests = SurveillanceTest.objects.filter(pathway=pathway)
    tests.update(due_date=today + datetime.timedelta(days=60))
    if overdue:
        SurveillanceTest.objects.filter(pk=tests.first().pk).update(due_date=today - datetime.timedelta(days=14))
    return pathway


def seed(cast, practice=None, team=None):
    """One of everything the home counts, for `practice` (A) and `team` (A)."""
    practice, team = practice or cast.practice_a, team or cast.team_a
    gp = cast.gp_a if practice == cast.practice_a else cast.gp_b

    def patient():
        return PatientFactory(registered_practice=practice, care_teams=[team])

    # Summaries: one new with two actions; one read with one answered; one acknowledged.
    delivered(cast, patient=patient(), team=team)
    read = delivered(cast, patient=patient(), team=team)
    inbox.mark_read(actor=gp, delivery=read)
    answered = read.version.gp_actions.first()
    inbox.respond_to_action(actor=gp, action=answered, status=GPActionResponse.Status.DONE)
    inbox.acknowledge(actor=gp, delivery=delivered(cast, patient=patient(), team=team, actions=()))
    # Reviews: diagnosed a month ago (early contact due), and 13 months ago (both overdue); one asked.
    today = timezone.localdate()
    DiagnosisFactory(patient=patient(), date_of_diagnosis=today - relativedelta(months=1))
    late = DiagnosisFactory(patient=patient(), date_of_diagnosis=today - relativedelta(months=13))
    ask_for_review(actor=gp, patient=late.patient, what_about="Tired")
    # Follow-up: on PIFU with a test overdue, professional-led, and suspended.
    on_followup(patient(), team, overdue=True)
    on_followup(patient(), team, kind=PathwayKind.PROFESSIONAL_LED)
    on_followup(patient(), team, status=PathwayStatus.SUSPENDED)


SEEDED = {
    ("Treatment summaries", "new, not opened yet"): 1,
    ("Treatment summaries", "read, not acknowledged"): 1,
    ("Cancer care reviews", "early contacts or reviews overdue"): 2,
    ("Cancer care reviews", "early contacts or reviews due now"): 1,
    ("Cancer care reviews", "asked for by patients"): 1,
    ("Your patients' follow-up", "on patient-initiated follow-up (PIFU)"): 1,
    ("Your patients' follow-up", "on professional-led follow-up"): 1,
    ("Your patients' follow-up", "brought back to clinic (follow-up suspended)"): 1,
    ("Your patients' follow-up", "with a test overdue"): 1,
    ("Actions the hospital asked of you", "not answered yet"): 3,
}


def test_the_gp_sees_their_practices_counts(client, cast):
    seed(cast)
    assert counts(cast.gp_a) == SEEDED
    html = home(client, cast.gp_a)
    assert dict(((label.strip(), int(n)) for n, label in COUNT.findall(html))) == {
        label: n for (_title, label), n in SEEDED.items()
    }
    assert 'href="/treatment-summaries/inbox/?state=new"' in html and 'href="/care-reviews/?show=overdue"' in html


def test_a_gp_of_another_practice_sees_zeros(client, cast):
    seed(cast)
    assert counts(cast.gp_b) == dict.fromkeys(SEEDED, 0)
    html = home(client, cast.gp_b)
    assert {int(n) for n, _label in COUNT.findall(html)} == {0}
    assert "Actions not answered yet" not in html and "Follow-up tests overdue" not in html


def test_other_practices_records_count_only_there(cast):
    seed(cast, practice=cast.practice_b, team=cast.team_b)
    assert counts(cast.gp_a) == dict.fromkeys(SEEDED, 0)
    assert counts(cast.gp_b) == SEEDED


@pytest.mark.parametrize("who", ["cns_a", "admin", "auditor", "patient_user"])
def test_no_one_else_gets_the_sections(cast, who):
    seed(cast)
    assert hub.practice_home_sections(getattr(cast, who)) == []


def test_the_page_is_its_heading_then_the_counts(client, cast):
    seed(cast)
    html = home(client, cast.gp_a)
    main = html[html.index("<h1") :]
    # Nothing but closing tags between the heading and the counts.
    between = main[main.index("</h1>") + len("</h1>") : main.index('<ul class="nhsuk-grid-row nhsuk-card-group')]
    assert re.fullmatch(r"(\s|</div>)*", between), between
    order = ["Treatment summaries", "Cancer care reviews", "Your patients&#39; follow-up",
             "Actions the hospital asked of you", "Follow-up tests overdue", "Actions not answered yet",
             "Your practice's pages"]  # fmt: skip
    found = [main.index(f">{words}<") for words in order]
    assert found == sorted(found)


def test_the_short_lists_name_patients_and_log_each(client, cast):
    seed(cast)
    before = AuditEvent.objects.filter(actor=cast.gp_a, action="view").count()
    sections = hub.practice_home_sections(cast.gp_a)
    named = hub.home_records(sections)
    assert len(named) == 3  # two summaries (one asks two actions, listed twice) and the overdue test
    html = home(client, cast.gp_a)
    for patient, record in named:
        assert patient.full_name in html
        assert AuditEvent.objects.filter(actor=cast.gp_a, patient=patient, object_id=str(record.pk)).exists()
    assert AuditEvent.objects.filter(actor=cast.gp_a, action="view").count() == before + len(named)


def test_counts_alone_write_nothing_to_the_access_log(client, cast):
    DiagnosisFactory(patient=a_patient(cast), date_of_diagnosis=timezone.localdate() - relativedelta(months=2))
    html = home(client, cast.gp_a)
    assert "Cancer care reviews" in html
    assert not AuditEvent.objects.filter(actor=cast.gp_a, action="view").exists()


def test_the_queries_are_the_same_for_2_patients_as_for_20(client, cast):
    def add(n):
        for _ in range(n):
            patient = a_patient(cast)
            delivered(cast, patient=patient)
            DiagnosisFactory(patient=patient, date_of_diagnosis=timezone.localdate() - relativedelta(months=13))
            on_followup(patient, cast.team_a, overdue=True)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    add(2)
    client.force_login(cast.gp_a)
    client.get("/")  # the session's first request (role, MFA) is not the steady state
    few = queries()
    add(18)
    assert counts(cast.gp_a)[("Your patients' follow-up", "with a test overdue")] == 20
    assert queries() == few
