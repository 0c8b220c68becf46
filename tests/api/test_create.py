"""Adding a patient: care-team roles only, the patient joins the creator's team, the model's
own validation applies, and every bad input is a 400 with a message on the field."""

import datetime

import pytest
import time_machine

from portal.audit.models import Action, AuditEvent
from portal.people.management.commands.seed_demo import demo_nhs_number
from portal.people.models import Patient, Role
from tests.api.conftest import PATIENTS
from tests.conftest import give_totp
from tests.factories import RoleAssignmentFactory, UserFactory

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


def new_patient(**changes) -> dict:
    data = {
        "nhs_number": demo_nhs_number(7),
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth": "1970-01-31",
        "postcode": "ls1 4ap",
        "email": "ada@example.com",
        "preferred_contact": "email",
        "registered_practice_ods_code": "a00001",
    }
    return {**data, **changes}


def field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] and isinstance(body["errors"], dict)
    return body["errors"]


def test_a_nurse_adds_a_patient_to_their_own_team(cast, api_as):
    response = api_as(cast.cns_a).post(PATIENTS, new_patient())
    assert response.status_code == 201, response.content
    body = response.json()
    patient = Patient.objects.get(pk=body["id"])
    assert list(patient.care_teams.all()) == [cast.team_a]
    assert patient.registered_practice == cast.practice_a
    assert patient.postcode == "LS1 4AP"  # normalised by the model
    assert body["care_teams"] == ["Team A (breast)"]
    assert body["registered_practice_ods_code"] == "A00001"


def test_spaces_in_the_nhs_number_are_fine(cast, api_as):
    digits = demo_nhs_number(8)
    spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    response = api_as(cast.cns_a).post(PATIENTS, new_patient(nhs_number=spaced))
    assert response.status_code == 201, response.content
    assert response.json()["nhs_number"] == digits


def test_hyphens_in_the_nhs_number_are_fine(cast, api_as):
    digits = demo_nhs_number(8)
    response = api_as(cast.cns_a).post(PATIENTS, new_patient(nhs_number=f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"))
    assert response.status_code == 201, response.content
    assert response.json()["nhs_number"] == digits


def test_creating_is_audited(cast, api_as):
    body = api_as(cast.cns_a).post(PATIENTS, new_patient()).json()
    event = AuditEvent.objects.get()
    assert (event.action, str(event.patient_id), event.actor, event.role) == (
        Action.CREATE,
        body["id"],
        cast.cns_a,
        "cns",
    )


def test_the_creator_then_sees_the_patient_and_other_teams_do_not(cast, api_as):
    body = api_as(cast.cns_a).post(PATIENTS, new_patient()).json()
    assert api_as(cast.cns_a).get(f"{PATIENTS}{body['id']}/").status_code == 200
    assert api_as(cast.cns_b).get(f"{PATIENTS}{body['id']}/").status_code == 404


@pytest.mark.parametrize("role", [Role.SUPPORT_WORKER, Role.CLINICIAN])
def test_other_care_team_roles_may_add_patients(cast, api_as, role):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=role, organisation=cast.trust, team=cast.team_b)
    give_totp(user)  # staff tokens need MFA set up
    assert api_as(user).post(PATIENTS, new_patient()).status_code == 201
    assert list(Patient.objects.get(nhs_number=demo_nhs_number(7)).care_teams.all()) == [cast.team_b]


@pytest.mark.parametrize("who", ["gp_a", "admin", "auditor", "patient_user"])
def test_other_roles_may_not_add_patients(cast, api_as, who):
    response = api_as(getattr(cast, who)).post(PATIENTS, new_patient())
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Only care-team staff")
    assert not Patient.objects.filter(nhs_number=demo_nhs_number(7)).exists()


def test_the_role_in_use_decides_not_every_role_held(cast, api_as):
    # cns_a also holds a GP role and is using it: that role cannot add patients.
    gp_role = RoleAssignmentFactory(user=cast.cns_a, role=Role.GP, organisation=cast.practice_b)
    cast.cns_a.active_role = gp_role
    cast.cns_a.save()
    assert api_as(cast.cns_a).post(PATIENTS, new_patient()).status_code == 403


def test_unknown_practice_code(cast, api_as):
    errors = field_errors(api_as(cast.cns_a).post(PATIENTS, new_patient(registered_practice_ods_code="Z99999")))
    assert errors == {"registered_practice_ods_code": ["No GP practice has the ODS code Z99999"]}


def test_a_trust_code_is_not_a_practice(cast, api_as):
    errors = field_errors(api_as(cast.cns_a).post(PATIENTS, new_patient(registered_practice_ods_code="RTA")))
    assert errors == {"registered_practice_ods_code": ["No GP practice has the ODS code RTA"]}


def test_no_practice_is_allowed(cast, api_as):
    response = api_as(cast.cns_a).post(PATIENTS, new_patient(registered_practice_ods_code=None))
    assert response.status_code == 201
    assert response.json()["registered_practice_ods_code"] is None


def test_duplicate_nhs_number(cast, api_as):
    errors = field_errors(api_as(cast.cns_a).post(PATIENTS, new_patient(nhs_number=cast.patient.nhs_number)))
    assert errors == {"nhs_number": ["A patient with this NHS number already exists"]}


def test_duplicate_nhs_number_in_a_race_is_still_a_field_error(cast, api_as, monkeypatch):
    # The check before saving passes, then another request saves the same number first.
    from portal.api import serializers

    monkeypatch.setattr(serializers.PatientSerializer, "validate", lambda self, attrs: attrs)
    response = api_as(cast.cns_a).post(PATIENTS, new_patient(nhs_number=cast.patient.nhs_number))
    assert field_errors(response) == {"nhs_number": ["A patient with this NHS number already exists"]}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"nhs_number": "9434765918"}, {"nhs_number": ["NHS number is not valid: check the digits and try again"]}),
        ({"nhs_number": "12345"}, {"nhs_number": ["NHS number must be 10 digits"]}),
        # Valid digits in other scripts would be a second record for the same person.
        ({"nhs_number": "٩٤٣٤٧٦٥٩١٩"}, {"nhs_number": ["NHS number must be 10 digits"]}),
        ({"nhs_number": "９４３４７６５９１９"}, {"nhs_number": ["NHS number must be 10 digits"]}),
        ({"nhs_number": "943\t476\t5919"}, {"nhs_number": ["NHS number must be 10 digits"]}),
        ({"date_of_birth": "2027-01-01"}, {"date_of_birth": ["Date of birth must be today or in the past"]}),
        ({"date_of_death": "2027-01-01"}, {"date_of_death": ["Date of death must be today or in the past"]}),
        (
            {"date_of_death": "1969-12-31"},
            {"date_of_death": ["Date of death must be on or after the date of birth"]},
        ),
        (
            {"email": "", "preferred_contact": "email"},
            {"email": ["Enter an email address, or choose another way to contact the patient"]},
        ),
        (
            {"preferred_contact": "sms"},
            {"mobile": ["Enter a mobile phone number, or choose another way to contact the patient"]},
        ),
        (
            {"postcode": "", "preferred_contact": "post"},
            {"postcode": ["Enter a postcode, or choose another way to contact the patient"]},
        ),
        ({"postcode": "NOT A PC"}, {"postcode": ["Enter a real postcode, like LS1 4AP"]}),
        ({"mobile": "12345"}, {"mobile": ["Enter a UK mobile number, like 07700 900 982"]}),
        ({"preferred_contact": "pigeon"}, {"preferred_contact": ['"pigeon" is not a valid choice.']}),
        ({"given_name": ""}, {"given_name": ["This field may not be blank."]}),
    ],
)
def test_bad_input_gets_a_message_on_its_field(cast, api_as, changes, expected):
    with time_machine.travel(TODAY, tick=False):
        errors = field_errors(api_as(cast.cns_a).post(PATIENTS, new_patient(**changes)))
    assert errors == expected


def test_missing_fields_are_named(cast, api_as):
    errors = field_errors(api_as(cast.cns_a).post(PATIENTS, {}))
    assert set(errors) == {"nhs_number", "given_name", "family_name", "date_of_birth"}


def test_read_only_fields_are_ignored(cast, api_as):
    response = api_as(cast.cns_a).post(
        PATIENTS, new_patient(id="00000000-0000-0000-0000-000000000001", care_teams=["Team B (colorectal)"])
    )
    assert response.status_code == 201
    assert response.json()["id"] != "00000000-0000-0000-0000-000000000001"
    assert response.json()["care_teams"] == ["Team A (breast)"]


def test_nothing_is_saved_or_audited_when_input_is_bad(cast, api_as):
    # A field error, not a 401 or 403 that would also leave nothing behind.
    assert "nhs_number" in field_errors(api_as(cast.cns_a).post(PATIENTS, new_patient(nhs_number="9434765918")))
    assert Patient.objects.count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("value", ["٩٤٣٤٧٦٥٩١٩", "９４３４７６５９１９"])
def test_the_model_refuses_digits_in_other_scripts_too(value):
    # The admin and staff forms use the model's validator, not the API's pattern.
    from django.core.exceptions import ValidationError

    from portal.people.validators import validate_nhs_number

    with pytest.raises(ValidationError, match="NHS number must be 10 digits"):
        validate_nhs_number(value)
