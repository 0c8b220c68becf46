"""The alliance coverage report (ADR 0055): counts per team and month from hand-built events, the
6-week boundary, the small-number rule (9 hidden, 10 shown, one more beside a single hidden group),
the CSV equal to the page, a well-formed accessible SVG, a fixed number of queries, who may see it,
bad parameters named, and every view and download logged."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance import services
from care_reviews.models import Kind, Outcome, Review
from hna.models import Assessment, ChecklistVersion
from portal.audit.models import Action, AuditEvent
from qol_survey.models import PostcodeDeprivation
from tests.factories import DiagnosisFactory, PatientFactory
from tests.treatment_summaries.factories import sent_version
from treatment_summaries.models import SummaryVersion, TreatmentSummary

pytestmark = pytest.mark.django_db
PAGE, CSV = "/alliance/coverage/", "/alliance/coverage/export.csv"
MARCH = datetime.date(2026, 3, 1)
SPLIT = services.SPLIT_KEYS


def offer(cast, *, team=None, on=datetime.date(2026, 3, 10), submitted=None, **patient):
    team = team or cast.team_a
    person = PatientFactory(care_teams=[team], **patient)
    return Assessment.objects.create(
        patient=person,
        team=team,
        checklist_version=ChecklistVersion.objects.order_by("-created_at").first(),
        set_up_by=cast.cns_a,
        staff_role="cns",
        cosd_staff_role="02",
        point_of_pathway="02",
        trigger="diagnosis",
        offer_status="03",
        offer_status_date=on,
        event_date=on,
        status=Assessment.Status.SUBMITTED if submitted else Assessment.Status.SET_UP,
        submitted_at=submitted,
    )


def report(split="none", first=MARCH, last=MARCH, team_ids=None):
    return services.coverage(first=first, last=last, split=SPLIT[split], team_ids=team_ids)


def month_of(rep, team, month=MARCH):
    block = next(b for b in rep.teams if b.team == team)
    return next(m for m in block.months if m.month == month)


def group(month, label):
    return next(g for g in month.groups if g.label == label)


def test_hnas_offered_and_completed_are_counted_by_their_own_month(cast):
    april = timezone.make_aware(datetime.datetime(2026, 4, 2, 9))
    for _ in range(10):
        offer(cast, submitted=april)
    offer(cast, on=datetime.date(2026, 2, 27))  # February: not in March
    offer(cast, team=cast.team_b)  # another team's
    rep = report(first=MARCH, last=datetime.date(2026, 4, 1))
    march, april_block = month_of(rep, cast.team_a), month_of(rep, cast.team_a, datetime.date(2026, 4, 1))
    assert march.total.counts["hna_offered"] == 10 and march.total.counts["hna_completed"] == 0
    assert april_block.total.counts["hna_completed"] == 10 and april_block.total.counts["hna_offered"] == 0
    assert month_of(rep, cast.team_b).total.counts["hna_offered"] is None  # 1: fewer than 10


def test_nine_are_hidden_ten_are_shown_and_one_more_beside_a_single_hidden_group(cast):
    for _ in range(10):
        offer(cast, sex="1")
    for _ in range(12):
        offer(cast, sex="2")
    for _ in range(30):
        offer(cast, sex="9")
    for _ in range(9):
        offer(cast, sex="")
    march = month_of(report("sex"), cast.team_a)
    male, female, not_recorded = group(march, "Male"), group(march, "Female"), group(march, "Not recorded")
    assert not_recorded.counts["hna_offered"] is None  # 9
    assert male.counts["hna_offered"] is None  # 10, the next smallest: the total would give the 9 away
    assert female.counts["hna_offered"] == 12
    assert march.total.counts["hna_offered"] == 61


def test_ten_alone_are_shown_and_zero_is_not_hidden(cast):
    for _ in range(10):
        offer(cast, sex="1")
    for _ in range(10):
        offer(cast, sex="2")
    march = month_of(report("sex"), cast.team_a)
    assert group(march, "Male").counts["hna_offered"] == 10 and group(march, "Female").counts["hna_offered"] == 10
    assert group(march, "Male").counts["reviews"] == 0


def test_splits_by_age_band_ethnic_category_and_deprivation(cast):
    PostcodeDeprivation.objects.create(postcode="LS11AA", decile=3)
    born = datetime.date(1961, 3, 20)  # 65 on 20 March 2026: 64 on the 10th
    for _ in range(10):
        offer(cast, date_of_birth=born, ethnic_category="A", postcode="ls1 1aa")
    for _ in range(10):
        offer(cast, on=datetime.date(2026, 3, 25), date_of_birth=born, ethnic_category="M", postcode="ZZ9 9ZZ")
    ages = month_of(report("age_band"), cast.team_a)
    assert group(ages, "55-64").counts["hna_offered"] == 10 and group(ages, "65-74").counts["hna_offered"] == 10
    ethnic = month_of(report("ethnic_category"), cast.team_a)
    assert [g.label for g in ethnic.groups] == ["White: British", "Mixed: White and Black Caribbean"] or all(
        g.counts["hna_offered"] == 10 for g in ethnic.groups
    )
    deciles = month_of(report("deprivation"), cast.team_a)
    assert group(deciles, "Decile 3").counts["hna_offered"] == 10
    assert group(deciles, "Postcode not in the deprivation table").counts["hna_offered"] == 10


def _summary_sent(cast, days_after):
    person = PatientFactory(care_teams=[cast.team_a])
    version = sent_version(cast, patient=person)
    end = datetime.date(2026, 3, 5)
    diagnosis = DiagnosisFactory(patient=person, date_of_diagnosis=datetime.date(2025, 9, 1), end_of_treatment_date=end)
    TreatmentSummary.objects.filter(pk=version.summary_id).update(diagnosis=diagnosis)
    sent = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=days_after), datetime.time(16)))
    SummaryVersion.objects.filter(pk=version.pk).update(sent_at=sent)
    return version


def test_summaries_due_and_sent_within_42_days_of_the_end_of_treatment(cast, monkeypatch):
    monkeypatch.setattr(services, "total_hidden", lambda n: False)  # two summaries: read the raw counts
    monkeypatch.setattr(services, "hidden", lambda counts: set())
    _summary_sent(cast, 42)  # in
    _summary_sent(cast, 43)  # out
    DiagnosisFactory(
        patient=PatientFactory(care_teams=[cast.team_a]),
        date_of_diagnosis=datetime.date(2025, 9, 1),
        end_of_treatment_date=datetime.date(2026, 3, 9),
    )  # due, no summary
    march = month_of(report(), cast.team_a)
    assert march.total.counts["summaries_due"] == 3
    assert march.total.counts["summaries_sent"] == 1


def test_cancer_care_reviews_done_count_for_the_patients_team(cast, monkeypatch):
    monkeypatch.setattr(services, "total_hidden", lambda n: False)
    for outcome, kind in (
        (Outcome.COMPLETED, Kind.REVIEW),
        (Outcome.DECLINED, Kind.REVIEW),
        (Outcome.COMPLETED, Kind.EARLY_CONTACT),
    ):
        person = PatientFactory(care_teams=[cast.team_b], registered_practice=cast.practice_a)
        Review.objects.create(
            patient=person,
            diagnosis=DiagnosisFactory(patient=person),
            practice=cast.practice_a,
            kind=kind,
            outcome=outcome,
            reviewed_on=datetime.date(2026, 3, 3),
            reason="" if outcome == Outcome.COMPLETED else "Did not want one",
            recorded_by=cast.gp_a,
        )
    rep = report()
    assert month_of(rep, cast.team_b).total.counts["reviews"] == 1
    assert month_of(rep, cast.team_a).total.counts["reviews"] == 0


def _as(client, user):
    client.force_login(user)
    return client


def test_the_page_the_chart_and_the_csv_show_the_same_numbers_and_are_logged(client, cast):
    for _ in range(12):
        offer(cast, sex="2")
    for _ in range(3):
        offer(cast, sex="1")
    _as(client, cast.admin)
    query = f"?team={cast.team_a.pk}&split=sex&since=2026-03&until=2026-03"
    page = client.get(PAGE + query)
    assert page.status_code == 200
    html = page.content.decode()
    svg = re.search(r"<svg[^>]*class=\"qol-chart\".*?</svg>", html, re.S).group(0)
    root = ET.fromstring(svg)  # noqa: S314 - our own page
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "coverage-chart-title coverage-chart-desc"
    assert root.find(f"{ns}title").text.startswith("HNAs offered per month")
    assert "March 2026: 15" in root.find(f"{ns}desc").text
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no external hosts
    exported = client.get(CSV + query)
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][:4] == ["Care team", "Organisation", "Month", "Sex (stated gender)"]
    by_group = {r[3]: r[4:] for r in rows[1:]}
    assert (
        by_group["All"][0] == "15"
        and by_group["Female"][0] == "fewer than 10"
        and by_group["Male"][0] == "fewer than 10"
    )
    for label, counts in by_group.items():
        cells = "".join(f'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">{c}</td>' for c in counts)
        assert f'<td class="nhsuk-table__cell">{label}</td>{cells}' in html.replace("\n", "").replace("  ", "")
    for patient in Assessment.objects.values_list("patient__family_name", "patient__nhs_number"):
        assert patient[1] not in html and patient[1] not in exported.content.decode()
    actions = list(AuditEvent.objects.filter(actor=cast.admin).values_list("action", flat=True))
    assert Action.VIEW in actions and Action.EXPORT in actions


def _queries(client, path):
    with CaptureQueriesContext(connection) as seen:
        assert client.get(path).status_code == 200
    return len(seen)


@pytest.mark.parametrize("split", ["none", "deprivation"])
def test_the_number_of_queries_does_not_grow_with_patients(client, cast, split):
    _as(client, cast.admin)
    path = f"{PAGE}?split={split}&since=2026-01&until=2026-06"
    offer(cast)
    _queries(client, path)  # the first request after sign-in reads the role and MFA state (ADR 0056)
    few = _queries(client, path)
    for _ in range(15):
        offer(cast, team=cast.team_b, submitted=timezone.make_aware(datetime.datetime(2026, 3, 12)))
    assert _queries(client, path) == few


@pytest.mark.parametrize("who", ["cns_a", "gp_a", "patient_user", "auditor"])
def test_only_a_service_admin_may_see_it(client, cast, who):
    _as(client, getattr(cast, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-13", "since must have a month from 01 to 12"),
        ("until=March", "until must be a year and month, like 2026-04"),
        ("since=2026-05&until=2026-01", "until must be the same month as since or later"),
        ("since=2020-01&until=2026-01", "until must be within 24 months of since"),
        ("split=postcode", "split must be one of the splits in the list"),
        ("team=not-a-team", "team must be one of the care teams in the list"),
    ],
)
def test_a_bad_parameter_is_named(client, cast, query, message):
    _as(client, cast.admin)
    page = client.get(f"{PAGE}?{query}")
    assert page.status_code == 400 and message in page.content.decode()
    assert page.content.decode().count("<title>Error: ") == 1
    exported = client.get(f"{CSV}?{query}")
    assert exported.status_code == 400 and message in exported.content.decode()
