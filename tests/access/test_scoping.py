"""Who sees which patients, and the check that keeps views from forgetting scoping."""

import pytest

from portal.access.lint import find_violations, patient_data_models, violations_in_source
from portal.people.models import Diagnosis, Patient, Role, RoleAssignment
from tests.factories import DiagnosisFactory, PatientFactory
from tests.portal.test_settings import ROOT

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Patient.objects.visible_to(user))


def test_care_team_staff_see_their_teams_patients(cast):
    other = PatientFactory(care_teams=[cast.team_b], registered_practice=cast.practice_a)
    assert visible(cast.cns_a) == {cast.patient}
    assert visible(cast.cns_b) == {other}


def test_gp_staff_see_patients_registered_at_their_practice(cast):
    other = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_b)
    assert visible(cast.gp_a) == {cast.patient}
    assert visible(cast.gp_b) == {other}


def test_admins_and_auditors_see_no_clinical_records(cast):
    assert visible(cast.admin) == set()
    assert visible(cast.auditor) == set()


def test_patients_see_only_themselves(cast):
    PatientFactory(care_teams=[cast.team_a])
    assert visible(cast.patient_user) == {cast.patient}


def test_disabled_or_anonymous_users_see_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    cast.cns_a.is_active = False
    assert visible(cast.cns_a) == set()
    assert visible(AnonymousUser()) == set()


def test_the_role_in_use_decides(cast):
    assignment = RoleAssignment.objects.create(user=cast.cns_a, role=Role.AUDITOR, organisation=cast.trust)
    from portal.people.roles import switch_role

    switch_role(cast.cns_a, assignment.pk)
    assert visible(cast.cns_a) == set()


def test_diagnoses_follow_their_patient(cast):
    mine = DiagnosisFactory(patient=cast.patient)
    DiagnosisFactory(patient=PatientFactory(care_teams=[cast.team_b]))
    assert list(Diagnosis.objects.visible_to(cast.cns_a)) == [mine]


def test_no_view_or_api_module_reads_patient_data_unscoped():
    assert find_violations(ROOT) == []


def test_the_check_catches_unscoped_queries():
    models = patient_data_models()
    assert {"Patient", "Diagnosis"} <= models
    bad = (
        "def v(request, pk):\n"
        "    a = Patient.objects.get(pk=pk)\n"
        "    b = get_object_or_404(Diagnosis, pk=pk)\n"
        "    c = Patient._default_manager.all()\n"
        "    d = Patient.objects.visible_to(request.user).get(pk=pk)\n"
        "    e = Patient.objects.filter(nhs_number=n).exists()  # unscoped-ok: NHS numbers are unique\n"
    )
    found = violations_in_source(bad, "views.py", models)
    assert len(found) == 3, found
    assert any("views.py:2" in f for f in found)


def test_the_check_covers_every_module_that_serves_a_request():
    """Found from the URL resolver, so a view module named anything at all is still checked."""
    from portal.access.lint import is_view_module, url_view_files

    served = url_view_files(ROOT.resolve())
    for module in ("hna/fhir_views.py", "treatment_summaries/fhir_views.py", "portal/fhir/views.py",
                   "portal/audit/views.py", "hna/api.py"):  # fmt: skip
        assert (ROOT / module).resolve() in served, module
    assert is_view_module(ROOT / "portal" / "people" / "admin.py")
    odd = ROOT / "wellbeing" / "oddly_named.py"
    assert is_view_module(odd, frozenset({odd.resolve()})) and not is_view_module(odd)
