import pytest
from django.core.management import call_command

from portal.people.models import CareTeam, Diagnosis, Organisation, Patient, Role, RoleAssignment, User
from tests.portal.test_settings import ROOT, run_manage

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Organisation, CareTeam, User, RoleAssignment, Patient, Diagnosis)]


def test_seed_demo_builds_the_demo_world_and_is_safe_to_run_twice():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert Organisation.objects.filter(kind="trust").count() == 1
    assert Organisation.objects.filter(kind="gp_practice").count() == 2
    assert set(CareTeam.objects.values_list("tumour_site", flat=True)) == {"breast", "colorectal", "prostate"}
    for role in Role:
        holders = RoleAssignment.objects.filter(role=role)
        assert holders.count() == 2, role
        if role in (Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN):
            assert holders.values("team").distinct().count() == 2
        if role in (Role.GP, Role.PRACTICE_STAFF):
            assert holders.values("organisation").distinct().count() == 2
    assert Patient.objects.count() == 60
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


def test_seed_demo_refuses_in_production():
    result = run_manage("seed_demo")
    assert result.returncode != 0
    assert "seed_demo refuses to run with production settings" in result.stderr


def test_if_empty_skips_when_data_exists():
    Organisation.objects.create(kind="trust", ods_code="RZZ", name="Existing")
    call_command("seed_demo", "--if-empty")
    assert Patient.objects.count() == 0
