"""Patient accounts: the care team issues an account passcode; the patient proves passcode + date
of birth, then chooses an email address and password, and is signed in to My care."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from hna.forms_accounts import LOCKED, NOT_RECOGNISED, TOO_MANY_TRIES
from hna.models import Passcode
from hna.services import accounts, assessments, passcodes
from portal.audit.models import Action, AuditEvent
from portal.people.models import Patient, User
from portal.worklist.models import WorkItem
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db
START, CHECK, DETAILS = "/hna/account/", "/hna/account/passcode/", "/hna/account/details/"
GOOD_PASSWORD = "heron-lantern-orchard-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the per-IP attempt counter; every test client is 127.0.0.1
    yield
    cache.clear()


def set_up(cast, patient):
    return assessments.set_up(
        actor=cast.cns_a,
        patient=patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=datetime.date.today(),
    )


def submitted(cast, patient=None):
    patient = patient or PatientFactory(care_teams=[cast.team_a], given_name="Ada", family_name="Lovelace")
    s = set_up(cast, patient)
    return assessments.submit(passcodes.check(s.passcode, patient.date_of_birth))


@pytest.fixture
def issued(cast):
    """(assessment, raw account passcode) for a team A patient with no account yet."""
    assessment = submitted(cast)
    return assessment, accounts.issue_account_passcode(cast.cns_a, assessment)


def step1(client, passcode, dob):
    return client.post(
        CHECK,
        {"passcode": passcode, "date_of_birth_day": dob.day, "date_of_birth_month": dob.month,
         "date_of_birth_year": dob.year},
    )  # fmt: skip


def step2(client, email="ada@example.org", password1=GOOD_PASSWORD, password2=None):
    return client.post(DETAILS, {"email": email, "password1": password1, "password2": password2 or password1})


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


class TestHappyPath:
    def test_start_page_explains(self, client):
        response = client.get(START)
        assert response.status_code == 200
        assert "account passcode from your care team" in text(response)

    def test_create_an_account_and_land_in_my_care(self, client, issued):
        assessment, raw = issued
        patient = assessment.patient
        response = step1(client, raw, patient.date_of_birth)
        assert response.status_code == 302 and response["Location"] == DETAILS
        assert client.get(DETAILS).status_code == 200
        response = step2(client, email="Ada@Example.org")
        assert response.status_code == 302 and response["Location"] == "/"
        user = User.objects.get(email="ada@example.org")
        assert Patient.objects.get(pk=patient.pk).user == user
        assert (user.first_name, user.is_staff, user.role_assignments.count()) == ("Ada", False, 0)
        assert user.check_password(GOOD_PASSWORD)
        assert Passcode.objects.get(assessment=assessment, purpose="account").state == "used"
        home = client.get("/")
        assert home.status_code == 200 and "My care" in text(home) and "Your care and support plans" in text(home)
        assert "Your account has been created" in text(home)
        assert AuditEvent.objects.filter(action=Action.UPDATE, actor=user, patient=patient).exists()

    def test_the_passcode_works_once(self, client, issued):
        assessment, raw = issued
        step1(client, raw, assessment.patient.date_of_birth)
        step2(client)
        client.logout()
        response = step1(client, raw, assessment.patient.date_of_birth)
        assert "You already have an account. Sign in instead." in text(response)  # what using it did
        assert NOT_RECOGNISED in text(step1(client, raw, assessment.patient.date_of_birth + datetime.timedelta(1)))

    def test_the_new_account_can_sign_in(self, client, issued):
        assessment, raw = issued
        step1(client, raw, assessment.patient.date_of_birth)
        step2(client)
        client.logout()
        response = client.post("/accounts/login/", {"login": "ada@example.org", "password": GOOD_PASSWORD})
        assert response.status_code == 302
        assert "My care" in text(client.get("/"))


class TestStepOne:
    @pytest.mark.parametrize("case", ["wrong_dob", "unknown", "assessment_passcode", "expired", "malformed"])
    def test_one_message_whatever_was_wrong(self, client, cast, issued, case):
        assessment, raw = issued
        dob = assessment.patient.date_of_birth
        if case == "wrong_dob":
            dob = dob + datetime.timedelta(days=1)
        elif case == "unknown":
            raw = "ACDE-FG34"
        elif case == "assessment_passcode":  # the passcode for the assessment itself is not for accounts
            raw = set_up(cast, assessment.patient).passcode
        elif case == "expired":
            Passcode.objects.filter(purpose="account").update(expires_at=timezone.now())
        else:
            raw = "not a passcode"
        response = step1(client, raw, dob)
        assert response.status_code == 200
        assert NOT_RECOGNISED in text(response) and text(response).strip().startswith("Error: ")
        assert SESSION_HAS_NO_PASSCODE(client)

    def test_missing_answers_say_what_to_enter(self, client, issued):
        response = client.post(CHECK, {})
        assert "Enter your account passcode" in text(response) and "Enter your date of birth" in text(response)

    def test_throttled_per_ip(self, client, issued, settings):
        settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 2
        assessment, raw = issued
        for _ in range(2):
            step1(client, "ACDE-FG34", assessment.patient.date_of_birth)
        response = step1(client, raw, assessment.patient.date_of_birth)  # even the right one
        assert response.status_code == 429 and TOO_MANY_TRIES in text(response)
        assert NOT_RECOGNISED not in text(response)

    def test_after_19_wrong_guesses_the_right_one_works_after_20_it_is_refused(self, client, issued):
        assessment, raw = issued
        for _ in range(19):
            assert step1(client, "ACDE-FG34", assessment.patient.date_of_birth).status_code == 200
        after_19 = step1(Client(), raw, assessment.patient.date_of_birth)
        assert after_19.status_code == 302 and after_19["Location"] == DETAILS

        assert step1(client, "ACDE-FG34", assessment.patient.date_of_birth).status_code == 200  # the 20th
        refused = step1(Client(), raw, assessment.patient.date_of_birth)  # a new browser, the same address

        assert refused.status_code == 429 and TOO_MANY_TRIES in text(refused)
        assert NOT_RECOGNISED not in text(refused)

    def test_right_passcodes_and_empty_submits_do_not_count(self, client, issued, settings):
        settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 2
        assessment, raw = issued
        for _ in range(5):
            assert step1(Client(), raw, assessment.patient.date_of_birth).status_code == 302
            client.post(CHECK, {})
        assert step1(client, raw, assessment.patient.date_of_birth).status_code == 302

    def test_the_assessment_form_has_its_own_count(self, client, cast, issued):
        assessment, raw = issued
        other = set_up(cast, PatientFactory(care_teams=[cast.team_a]))
        dob = {"date_of_birth_day": "1", "date_of_birth_month": "1", "date_of_birth_year": "1970"}
        for _ in range(20):
            client.post("/hna/start/", {"passcode": "ACDE-FG34", **dob})
        assert client.post("/hna/start/", {"passcode": other.passcode, **dob}).status_code == 429
        assert step1(client, raw, assessment.patient.date_of_birth).status_code == 302

    def test_four_wrong_dates_of_birth_leave_the_passcode_working_the_fifth_locks_it(self, client, cast, issued):
        assessment, raw = issued
        dob = assessment.patient.date_of_birth
        for _ in range(4):
            assert NOT_RECOGNISED in text(step1(client, raw, dob + datetime.timedelta(days=1)))
        assert step1(client, raw, dob).status_code == 302  # the 5th try, right: still works

        other = Client()
        assert LOCKED in text(step1(other, raw, dob + datetime.timedelta(days=1)))  # the 5th wrong one
        response = step1(other, raw, dob)
        assert response.status_code == 200 and LOCKED in text(response) and NOT_RECOGNISED not in text(response)
        assert "try again" not in text(response).lower()
        passcode = Passcode.objects.get(assessment=assessment, purpose="account")
        assert passcode.state == "locked"
        item = WorkItem.objects.get(source_type=passcodes.LOCKED_SOURCE, source_id=str(passcode.pk))
        assert (item.team, item.title) == (
            cast.team_a, f"Account passcode locked for {assessment.patient.full_name}: give them a new one"
        )  # fmt: skip
        accounts.issue_account_passcode(cast.cns_a, assessment)  # a new one: the item is done
        item.refresh_from_db()
        assert item.status == "done"

    def test_an_account_passcode_works_until_14_days_after_it_was_issued(self, cast):
        issued_at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
        with time_machine.travel(issued_at, tick=False) as traveller:
            assessment = submitted(cast)
            raw = accounts.issue_account_passcode(cast.cns_a, assessment)
            dob = assessment.patient.date_of_birth
            traveller.move_to(issued_at + datetime.timedelta(days=14, seconds=-1))
            assert step1(Client(), raw, dob).status_code == 302
            traveller.move_to(issued_at + datetime.timedelta(days=14))
            response = step1(Client(), raw, dob)
        assert response.status_code == 200 and NOT_RECOGNISED in text(response)

    def test_patient_with_an_account_is_told_to_sign_in(self, client, issued):
        assessment, raw = issued
        Patient.objects.filter(pk=assessment.patient_id).update(user=UserFactory(email="other@example.org"))
        response = step1(client, raw, assessment.patient.date_of_birth)
        assert "You already have an account. Sign in instead." in text(response)

    def test_failed_attempts_are_audited(self, client, issued):
        step1(client, "ACDE-FG34", datetime.date(1970, 1, 1))
        assert AuditEvent.objects.filter(action=Action.FAILED_SIGN_IN, actor_label="hna-account-passcode").exists()


def SESSION_HAS_NO_PASSCODE(client):  # noqa: N802 - reads as a condition
    return "hna.account_passcode" not in client.session


class TestStepTwo:
    @pytest.fixture
    def past_step1(self, client, issued):
        assessment, raw = issued
        assert step1(client, raw, assessment.patient.date_of_birth).status_code == 302
        return assessment

    def test_needs_step_one_first(self, client):
        response = client.get(DETAILS)
        assert response.status_code == 302 and response["Location"] == CHECK

    @pytest.mark.parametrize(
        "fields, message",
        [
            ({"email": ""}, "Enter your email address"),
            ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
            ({"email": "CNS.A@example.com"}, accounts.EMAIL_TAKEN),
            ({"password1": ""}, "Create a password"),
            ({"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"}, "The passwords do not match"),
            ({"password1": "short-1"}, "This password is too short. It must contain at least 12 characters."),
            ({"password1": "password1234"}, "This password is too common."),
            ({"password1": "740193658201"}, "This password is entirely numeric."),
            ({"password1": "ada@example.org1"}, "The password is too similar to the email address."),
        ],
    )
    def test_bad_input_gets_a_clear_message(self, client, past_step1, fields, message):
        response = step2(client, **fields)
        assert response.status_code == 200
        assert message in text(response)
        assert not User.objects.filter(email="ada@example.org").exists()
        assert Patient.objects.get(pk=past_step1.patient_id).user is None

    def test_passwords_are_never_sent_back(self, client, past_step1):
        response = step2(client, password1="short-secret-1", password2="short-secret-2")
        assert "short-secret" not in response.content.decode()

    def test_account_made_elsewhere_meanwhile(self, client, past_step1):
        Patient.objects.filter(pk=past_step1.patient_id).update(user=UserFactory(email="other@example.org"))
        response = step2(client)
        assert "You already have an account. Sign in instead." in text(response)
        assert not User.objects.filter(email="ada@example.org").exists()

    def test_passcode_reissued_meanwhile(self, client, cast, past_step1):
        accounts.issue_account_passcode(cast.cns_a, past_step1)
        response = step2(client)
        assert response.status_code == 302 and response["Location"] == CHECK

    def test_signed_in_people_are_sent_to_the_start(self, client, cast, past_step1):
        client.force_login(cast.cns_a)
        assert client.get(DETAILS)["Location"] == START
        assert client.get(CHECK)["Location"] == START


class TestIssuing:
    def url(self, assessment):
        return f"/hna/assessments/{assessment.pk}/account-passcode/"

    def test_cns_issues_and_sees_it_once(self, client, cast):
        assessment = submitted(cast)
        client.force_login(cast.cns_a)
        page = client.get(self.url(assessment))
        assert page.status_code == 200 and "Make an account passcode" in text(page)
        response = client.post(self.url(assessment))
        shown = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", text(response)).group(1)
        assert passcodes.check(shown, assessment.patient.date_of_birth, purpose="account") is not None
        assert shown not in text(client.get(self.url(assessment)))
        assert AuditEvent.objects.filter(action=Action.UPDATE, actor=cast.cns_a, object_id=str(assessment.pk)).exists()

    def test_reissue_stops_the_old_one(self, cast):
        assessment = submitted(cast)
        old = accounts.issue_account_passcode(cast.cns_a, assessment)
        new = accounts.issue_account_passcode(cast.cns_a, assessment)
        dob = assessment.patient.date_of_birth
        assert passcodes.check(old, dob, purpose="account") is None
        assert passcodes.check(new, dob, purpose="account") is not None

    def test_not_before_the_patient_has_sent_the_assessment(self, client, cast):
        s = set_up(cast, PatientFactory(care_teams=[cast.team_a]))
        with pytest.raises(ValidationError):
            accounts.issue_account_passcode(cast.cns_a, s.assessment)
        client.force_login(cast.cns_a)
        assert "after they have sent this assessment" in text(client.get(self.url(s.assessment)))
        assert "after they have sent this assessment" in text(client.post(self.url(s.assessment)))

    def test_not_when_the_patient_has_an_account(self, client, cast):
        assessment = submitted(cast, patient=cast.patient)  # the cast patient has an account
        with pytest.raises(accounts.AlreadyHasAccount):
            accounts.issue_account_passcode(cast.cns_a, assessment)
        client.force_login(cast.cns_a)
        assert "already has an account" in text(client.get(self.url(assessment)))

    def test_everyone_but_the_care_team_gets_404(self, client, cast):
        assessment = submitted(cast, patient=PatientFactory(care_teams=[cast.team_a],
                                                            registered_practice=cast.practice_a))  # fmt: skip
        # The patient's own GP too: HNA answers are the care team's and the patient's (the policy table).
        for outsider in (cast.cns_b, cast.gp_b, cast.admin, cast.gp_a, cast.auditor):
            client.force_login(outsider)
            assert client.get(self.url(assessment)).status_code == 404
            assert client.post(self.url(assessment)).status_code == 404
        for refused in (cast.cns_b, cast.gp_a):
            with pytest.raises(PermissionDenied):
                accounts.issue_account_passcode(refused, assessment)
        assert not Passcode.objects.filter(purpose="account").exists()
