import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from portal.people.demo import demo_nhs_number
from portal.people.models import CareTeam, Diagnosis, Organisation, Patient, Role, RoleAssignment
from tests.portal.test_settings import ROOT, run_manage

pytestmark = pytest.mark.django_db
PASSCODE_SHOWN = r"passcode [A-Z0-9]{4}-[A-Z0-9]{4}"


def counts() -> dict:
    """Rows of every model with a table: the apps' demo stages, their audit, outbox, worklist and
    history rows too (pghistory's aggregate models are views over the history tables counted here)."""
    tables = set(connection.introspection.table_names())
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.db_table in tables}


def test_seed_demo_builds_the_demo_world_and_is_safe_to_run_twice():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    # The apps' stages are in it (tests/hna/test_demo.py and tests/treatment_summaries/test_demo.py
    # check each one), so the second run had something to not make again.
    made = ("hna.Assessment", "hna.CarePlan", "treatment_summaries.PracticeDelivery", "audit.AuditEvent")
    for label in (*made, "care_reviews.Review", "care_reviews.ReviewAction", "care_reviews.ReviewRequest"):
        assert first[label], label
    assert Organisation.objects.filter(kind="trust").count() == 1
    assert Organisation.objects.filter(kind="gp_practice").count() == 2
    assert set(CareTeam.objects.values_list("tumour_site", flat=True)) == {"breast", "colorectal", "prostate"}
    for role in Role:
        holders = RoleAssignment.objects.filter(role=role)
        assert holders.count() >= 2, role  # the prostate team's CNS and clinician make three (issue 11)
        if role in (Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN):
            assert holders.values("team").distinct().count() == holders.count()
        if role in (Role.GP, Role.PRACTICE_STAFF):
            assert holders.values("organisation").distinct().count() == 2
    from care_reviews import demo as review_demo
    from portal.people.demo import PATIENT_COUNT
    from qol_survey import demo_cohort

    # The named demo patients, the quality of life survey's past cohort (for its dashboard), and a
    # patient for each care review stage (tests/care_reviews/test_demo.py checks each one).
    assert Patient.objects.count() == PATIENT_COUNT + demo_cohort.SIZE + len(review_demo.STAGES) == 164
    assert Patient.objects.filter(user__isnull=False).count() == 2
    years = {d.year for d in Diagnosis.objects.values_list("date_of_diagnosis", flat=True)}
    assert len(years) >= 3  # spread over the last three years
    for patient in Patient.objects.all():
        patient.full_clean()  # demo data passes our own validation


def test_demo_users_can_sign_in_with_the_readme_password(client, settings):
    call_command("seed_demo")
    readme = (ROOT / "README.md").read_text()
    assert settings.DEMO_PASSWORD in readme
    assert "cns.breast@demo.example.nhs.uk" in readme
    assert client.login(email="cns.breast@demo.example.nhs.uk", password=settings.DEMO_PASSWORD)


def listed() -> str:
    out = StringIO()
    call_command("seed_demo", "--list", stdout=out)
    return out.getvalue()


def test_list_names_the_patient_at_each_demo_stage():
    # Not the seeded_demo fixture: it would hold its data until this module ends.
    out = listed()
    assert "Demo sign-ins (password for all:" in out
    stages = out.split("Demo patients at each stage:")[1]
    for what in (
        "HNA waiting for the patient",
        "Two HNAs to compare",
        "Treatment summary acknowledged",
        "Care review: review overdue",
        "Care review: done, for the patient to read in My care",
    ):
        assert what in stages
    # Each stage names its patient, as the patient list shows them.
    assert Patient.objects.get(nhs_number=demo_nhs_number(0)).full_name in stages
    assert re.search(PASSCODE_SHOWN, stages)  # the new passcode, for trying the patient's side


def test_a_second_run_lists_the_stages_but_not_the_passcode_again():
    call_command("seed_demo")
    out = listed()
    assert "HNA waiting for the patient" in out
    assert not re.search(PASSCODE_SHOWN, out)  # only its digest was kept: it cannot be shown again


def test_seed_demo_refuses_in_production():
    result = run_manage("seed_demo")
    assert result.returncode != 0
    assert "seed_demo refuses to run with production settings" in result.stderr


def test_if_empty_skips_when_data_exists():
    Organisation.objects.create(kind="trust", ods_code="RZZ", name="Existing")
    call_command("seed_demo", "--if-empty")
    assert Patient.objects.count() == 0
