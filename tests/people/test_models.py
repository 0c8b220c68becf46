"""People and organisations: validation that names the field, never a 500."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.people.forms import PatientAdminForm
from portal.people.models import Diagnosis, Organisation, Patient, Role, RoleAssignment
from tests.factories import (
    CareTeamFactory,
    DiagnosisFactory,
    PatientFactory,
    PracticeFactory,
    TrustFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


def errors_of(instance):
    with pytest.raises(ValidationError) as exc:
        instance.full_clean()
    return exc.value.message_dict


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("943476591", "NHS number must be 10 digits"),
        ("94347659AB", "NHS number must be 10 digits"),
        ("9434765918", "NHS number is not valid: check the digits and try again"),
    ],
)
def test_invalid_nhs_numbers_name_the_field(value, message):
    patient = PatientFactory.build(nhs_number=value, registered_practice=PracticeFactory())
    assert errors_of(patient)["nhs_number"] == [message]


REPEATED = "NHS number is not valid: it cannot be one digit repeated 10 times"


# The nhs-number package passes these (their check digits work out), but no one has them: they are
# what people type to get past a required field.
@pytest.mark.parametrize("value", ["0000000000", "1111111111", "4444444444", "999 999 9999", "555-555-5555"])
def test_repeated_digit_nhs_numbers_are_refused(value):
    patient = PatientFactory.build(nhs_number=value, registered_practice=PracticeFactory())
    assert errors_of(patient)["nhs_number"] == [REPEATED]


def test_repeated_digit_nhs_numbers_are_refused_by_the_admin_form():
    PracticeFactory(ods_code="A81001")
    form = TestPatientAdminForm().data(nhs_number="111 111 1111")
    bound = PatientAdminForm(data=form)
    assert not bound.is_valid()
    assert bound.errors["nhs_number"] == [REPEATED]


def test_repeated_digit_nhs_numbers_are_refused_by_the_api(client, cast):
    from tests.api.conftest import PATIENTS, Api, issue_token
    from tests.api.test_create import field_errors, new_patient

    api = Api(client, issue_token(cast.cns_a)[1])
    assert field_errors(api.post(PATIENTS, new_patient(nhs_number="4444444444"))) == {"nhs_number": [REPEATED]}
    assert not Patient.objects.filter(nhs_number="4444444444").exists()


def test_repeated_digit_nhs_numbers_are_refused_by_fhir_search(client, cast):
    from tests.api.conftest import Api, issue_token

    api = Api(client, issue_token(cast.cns_a)[1])
    response = api.get("/fhir/CarePlan?patient=0000000000")
    assert response.status_code == 400
    assert "valid 10-digit NHS number" in response.content.decode()


def test_valid_nhs_number_with_spaces_is_normalised():
    patient = PatientFactory.build(nhs_number="943 476 5919", registered_practice=PracticeFactory())
    patient.full_clean()
    assert patient.nhs_number == "9434765919"


def test_nhs_number_is_unique():
    PatientFactory(nhs_number="9434765919")
    with pytest.raises(IntegrityError), transaction.atomic():
        PatientFactory(nhs_number="9434765919")


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_date_of_birth_in_the_future_is_refused():
    patient = PatientFactory.build(
        date_of_birth=TODAY + datetime.timedelta(days=1), registered_practice=PracticeFactory()
    )
    assert errors_of(patient)["date_of_birth"] == ["Date of birth must be today or in the past"]


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_date_of_diagnosis_in_the_future_is_refused():
    diagnosis = DiagnosisFactory.build(patient=PatientFactory(), date_of_diagnosis=datetime.date(2027, 1, 1))
    assert errors_of(diagnosis)["date_of_diagnosis"] == ["Date of diagnosis must be today or in the past"]


def test_end_of_treatment_before_diagnosis_is_refused():
    diagnosis = DiagnosisFactory.build(
        patient=PatientFactory(),
        date_of_diagnosis=datetime.date(2025, 3, 1),
        end_of_treatment_date=datetime.date(2025, 2, 1),
    )
    assert "on or after the date of diagnosis" in errors_of(diagnosis)["end_of_treatment_date"][0]


def test_icd10_code_shape():
    diagnosis = DiagnosisFactory.build(patient=PatientFactory(), icd10_code="breast")
    assert errors_of(diagnosis)["icd10_code"] == ["ICD-10 code must look like C50 or C50.9"]


def test_preferred_contact_needs_its_detail():
    patient = PatientFactory.build(
        preferred_contact=Patient.Contact.SMS, mobile="", registered_practice=PracticeFactory()
    )
    assert "mobile phone number" in errors_of(patient)["mobile"][0]


def test_gp_practice_ods_code_shape():
    practice = Organisation(kind=Organisation.Kind.GP_PRACTICE, ods_code="RX1", name="Wrong")
    assert "letter and 5 digits" in errors_of(practice)["ods_code"][0]


def test_care_team_roles_need_a_team_in_the_trust():
    trust, other = TrustFactory(), TrustFactory()
    team = CareTeamFactory(organisation=other)
    user = UserFactory()
    assert "Choose the care team" in errors_of(RoleAssignment(user=user, role=Role.CNS, organisation=trust))["team"][0]
    mismatch = RoleAssignment(user=user, role=Role.CNS, organisation=trust, team=team)
    assert errors_of(mismatch)["team"] == ["The care team must belong to the chosen organisation"]


def test_gp_role_must_be_at_a_practice():
    errors = errors_of(RoleAssignment(user=UserFactory(), role=Role.GP, organisation=TrustFactory()))
    assert errors["organisation"] == ["GPs and practice staff belong to a GP practice"]


def test_user_may_hold_several_roles():
    user = UserFactory()
    trust = TrustFactory()
    team = CareTeamFactory(organisation=trust)
    RoleAssignment.objects.create(user=user, role=Role.CNS, organisation=trust, team=team)
    RoleAssignment.objects.create(user=user, role=Role.AUDITOR, organisation=trust)
    assert user.role_assignments.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.AUDITOR, organisation=trust)


class TestPatientAdminForm:
    def data(self, **overrides):
        data = {
            "nhs_number": "943 476 5919",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "date_of_birth": "1950-01-02",
            "postcode": "LS1 4AP",
            "email": "ada@example.com",
            "mobile": "",
            "preferred_contact": "email",
            "practice_ods_code": "A81001",
        }
        return {**data, **overrides}

    def test_unknown_ods_code_is_a_clear_error_on_that_field(self):
        form = PatientAdminForm(data=self.data(practice_ods_code="Z99999"))
        assert not form.is_valid()
        assert form.errors["practice_ods_code"] == [
            "No GP practice has the ODS code Z99999: check the code, or add the practice first"
        ]

    def test_malformed_ods_code(self):
        form = PatientAdminForm(data=self.data(practice_ods_code="hello"))
        assert not form.is_valid()
        assert form.errors["practice_ods_code"] == ["A GP practice ODS code is a letter and 5 digits, like A81001"]

    def test_known_ods_code_links_the_practice(self):
        practice = PracticeFactory(ods_code="A81001")
        form = PatientAdminForm(data=self.data(practice_ods_code="a81001"))
        assert form.is_valid(), form.errors
        patient = form.save()
        assert patient.registered_practice == practice
        assert patient.nhs_number == "9434765919"


def test_admin_add_patient_with_bad_input_shows_errors_not_500(client):
    from tests.conftest import give_totp

    admin = UserFactory(is_staff=True, is_superuser=True)
    give_totp(admin)
    client.force_login(admin)
    response = client.post(
        "/admin/people/patient/add/",
        {
            "nhs_number": "1234567890",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "date_of_birth": "2999-01-01",
            "preferred_contact": "post",
            "practice_ods_code": "Q12345",
            "diagnoses-TOTAL_FORMS": "0",
            "diagnoses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "NHS number is not valid" in html
    assert "Date of birth must be today or in the past" in html
    assert "No GP practice has the ODS code Q12345" in html
    assert not Patient.objects.exists()


def test_diagnosis_str_is_readable():
    diagnosis = DiagnosisFactory(date_of_diagnosis=datetime.date(2025, 3, 1))
    assert str(diagnosis) == "Breast (C50.9), 01 Mar 2025"
    assert isinstance(diagnosis, Diagnosis)
