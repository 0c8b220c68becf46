"""The staff patient form (Django admin's, ADR 0005) takes the patient's address, stated gender and
ethnic category, all optional, as NHS data dictionary codes; a code outside the list is named."""

import pytest

from portal.people.forms import PatientAdminForm
from portal.people.models import EthnicCategory, StatedGender
from tests.factories import PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def data(**overrides):
    PracticeFactory(ods_code="A81001")
    base = {
        "nhs_number": "943 476 5919",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth": "1950-01-02",
        "postcode": "LS1 4AP",
        "email": "ada@example.com",
        "preferred_contact": "email",
        "practice_ods_code": "A81001",
    }
    return {**base, **overrides}


def test_all_three_are_optional():
    form = PatientAdminForm(data=data())
    assert form.is_valid(), form.errors
    patient = form.save()
    assert (patient.address, patient.sex, patient.ethnic_category) == ("", "", "")


def test_they_are_saved_as_codes_and_not_stated_is_allowed():
    form = PatientAdminForm(data=data(address="1 Park Row\nLeeds", sex="2", ethnic_category="Z"))
    assert form.is_valid(), form.errors
    patient = form.save()
    assert patient.address == "1 Park Row\nLeeds"
    assert patient.sex == StatedGender.FEMALE and patient.ethnic_category == EthnicCategory.NOT_STATED


def test_a_code_outside_the_list_is_named_and_the_rest_is_kept():
    form = PatientAdminForm(data=data(sex="M", ethnic_category="Q", address="1 Park Row"))
    assert not form.is_valid()
    assert form.errors["sex"] == ["Choose the patient's gender from the list, or leave it blank"]
    assert form.errors["ethnic_category"] == ["Choose the patient's ethnic category from the list, or leave it blank"]
    assert form["address"].value() == "1 Park Row"


def test_the_admin_page_shows_the_three_fields(client):
    from tests.conftest import give_totp

    admin = UserFactory(is_staff=True, is_superuser=True)
    give_totp(admin)
    client.force_login(admin)
    html = client.get("/admin/people/patient/add/").content.decode()
    assert 'name="address"' in html and 'name="sex"' in html and 'name="ethnic_category"' in html
    assert "Not stated" in html
