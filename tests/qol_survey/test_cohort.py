"""The survey cohort (issue 12 item 3): who is due on a given day, and who is not, each for its reason."""

import datetime

import pytest

from qol_survey.services import cohort
from tests.factories import DiagnosisFactory, PatientFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
DUE = datetime.date(2025, 6, 1)  # 18 months before TODAY


def diagnosis(code="C50.9", diagnosed=DUE, born=datetime.date(1960, 1, 1), **patient):
    return DiagnosisFactory(
        patient=PatientFactory(date_of_birth=born, **patient), icd10_code=code, date_of_diagnosis=diagnosed
    )


def due_today():
    return set(cohort.eligible(TODAY))


def test_a_cancer_diagnosed_18_months_ago_in_an_adult_is_due():
    made = diagnosis()
    assert due_today() == {made}


@pytest.mark.parametrize("code", ["C00", "C18.7", "C97", "c50.1"])
def test_every_cancer_code_from_c00_to_c97_is_in(code):
    made = diagnosis(code=code)
    assert due_today() == {made}


@pytest.mark.parametrize("code", ["C44.3", "C44", "D05.1", "C98"])
def test_other_skin_cancers_and_codes_outside_c00_c97_are_out(code):
    diagnosis(code=code)
    assert due_today() == set()


def test_not_yet_18_months_and_long_past_the_window_are_out():
    diagnosis(diagnosed=DUE + datetime.timedelta(days=1))
    diagnosis(diagnosed=datetime.date(2025, 2, 28))  # 21 months and a day: older than the window
    on_the_edge = diagnosis(diagnosed=datetime.date(2025, 3, 1))  # 21 months: still caught up
    assert due_today() == {on_the_edge}


def test_age_16_at_diagnosis_counts_the_birthday_itself():
    sixteen = diagnosis(born=datetime.date(2009, 6, 1))  # 16 on the day of diagnosis
    diagnosis(born=datetime.date(2009, 6, 2))  # a day short of 16
    assert due_today() == {sixteen}


def test_the_dead_and_those_who_opted_out_are_not_asked():
    diagnosis(date_of_death=datetime.date(2026, 1, 5))
    diagnosis(survey_opt_out=True)
    assert due_today() == set()


def test_a_patient_with_two_cancers_is_asked_about_each():
    first = diagnosis()
    second = DiagnosisFactory(patient=first.patient, icd10_code="C61", date_of_diagnosis=DUE)
    assert due_today() == {first, second}


def test_died_yesterday_is_not_asked():
    diagnosis(date_of_death=TODAY - datetime.timedelta(days=1))
    assert due_today() == set()


def test_a_diagnosis_already_invited_is_not_due_again_but_the_patients_other_one_is():
    from tests.qol_survey.factories import make_invitation

    first = diagnosis()
    second = DiagnosisFactory(patient=first.patient, icd10_code="C61", date_of_diagnosis=DUE)
    make_invitation(diagnosis=first)
    assert due_today() == {second}
