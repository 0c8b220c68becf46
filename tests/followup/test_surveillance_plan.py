"""The hub hook `surveillance_plan(patient, team, user)` (ADR 0054): the tests on the patient's open
pathway with that team as plain rows, read through the policy table (visible_to)."""

import datetime

import pytest

from followup.models import PathwayStatus, SurveillanceTest
from followup.services import pathways
from followup.surveillance_plan import interval
from portal.people import hub
from tests.followup.factories import make_pathway
from tests.treatment_summaries.factories import clinician

pytestmark = pytest.mark.django_db
ANCHOR = datetime.date(2026, 1, 15)


def test_a_breast_pathway_lists_the_yearly_mammogram(cast):
    pathway = make_pathway(cast.patient, cast.team_a, anchor_date=ANCHOR)
    plan = hub.surveillance_plan(cast.patient, cast.team_a, cast.cns_a)
    assert plan["pathway"] == "Patient-initiated (PIFU) follow-up (Breast cancer follow-up)"
    assert plan["pathway_id"] == str(pathway.pk) and plan["set_url"] == ""
    (row,) = plan["rows"]
    assert row == {
        "test": "Mammogram",
        "code": "MAMMOGRAM",
        "interval": "yearly",
        "every_months": 12,
        "next_due": "2027-01-15",
        "dates": ["2027-01-15", "2028-01-15", "2029-01-15", "2030-01-15", "2031-01-15"],
        "until": "2031-01-15",
        "arranged_by": "Hospital team",
        "status": "Scheduled",
    }


def test_two_steps_of_one_test_read_as_one_row_with_both_intervals(cast):
    cast.patient.care_teams.add(cast.team_b)
    make_pathway(cast.patient, cast.team_b, protocol_slug="colorectal-default", anchor_date=ANCHOR)
    rows = hub.surveillance_plan(cast.patient, cast.team_b, cast.cns_b)["rows"]
    cea = next(row for row in rows if row["code"] == "CEA")
    assert (cea["interval"], cea["every_months"]) == ("every 6 months, then yearly", None)
    assert cea["arranged_by"] == "GP practice"
    assert (cea["next_due"], cea["until"]) == ("2026-07-15", "2031-01-15")
    assert [row["next_due"] for row in rows] == sorted(row["next_due"] for row in rows)  # soonest first


def test_changes_on_the_pathway_show(cast):
    pathway = make_pathway(cast.patient, cast.team_a, anchor_date=ANCHOR)
    doctor = clinician(cast)
    first = SurveillanceTest.objects.filter(pathway=pathway).order_by("due_date").first()
    pathways.cancel_test(actor=doctor, test=first, reason="Had one privately")
    (row,) = hub.surveillance_plan(cast.patient, cast.team_a, doctor)["rows"]
    assert row["next_due"] == "2028-01-15" and len(row["dates"]) == 4


def test_no_open_pathway_says_so_with_the_link_for_who_may_choose_one(cast):
    pathway = make_pathway(cast.patient, cast.team_a, anchor_date=ANCHOR, status=PathwayStatus.DISCHARGED)
    assert pathway.status == PathwayStatus.DISCHARGED  # a closed pathway is not the plan
    plan = hub.surveillance_plan(cast.patient, cast.team_a, cast.cns_a)
    assert plan == {"pathway": None, "rows": [], "set_url": f"/follow-up/patients/{cast.patient.pk}/stratify/"}
    # The GP may read a pathway but not choose one.
    assert hub.surveillance_plan(cast.patient, cast.team_a, cast.gp_a)["set_url"] == ""


def test_the_reads_respect_the_policy_table(cast):
    make_pathway(cast.patient, cast.team_a, anchor_date=ANCHOR)
    # The other team, the other practice and the auditor see no pathway of this patient.
    for outsider in (cast.cns_b, cast.gp_b, cast.auditor):
        assert hub.surveillance_plan(cast.patient, cast.team_a, outsider) == {
            "pathway": None,
            "rows": [],
            "set_url": "",
        }
    # The patient's own practice reads it (read-only), as the policy table says.
    assert len(hub.surveillance_plan(cast.patient, cast.team_a, cast.gp_a)["rows"]) == 1


@pytest.mark.parametrize(
    ("months", "words"), [(12, "yearly"), (24, "every 2 years"), (6, "every 6 months"), (1, "monthly"), (None, "")]
)
def test_interval_words(months, words):
    assert interval(months) == words
