"""The patient's way in: passcode + date of birth on /hna/start/, no account. One message whatever
was wrong, 5 wrong dates of birth lock the passcode, attempts are throttled per client IP."""

import datetime
import logging

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from hna.models import Assessment, Passcode
from hna.services import assessments, passcodes
from hna.views.patient import ALREADY_SENT, SESSION_KEY, SIGN_IN, STOPPED, TOO_MANY
from portal.audit.models import AuditEvent
from portal.worklist.models import Priority, Status, WorkItem
from tests.caches import use_database_cache
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
NOT_RIGHT = "The passcode or date of birth is not right. Check them and try again."
LOCKED = "Your passcode is locked"
SENT = "You have already sent this assessment to your care team"
START = "/hna/start/"
ISSUED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the per-IP counter lives in the (process-wide) cache
    yield
    cache.clear()


@pytest.fixture
def hna(cast):
    return set_up_hna(cast)


def set_up_hna(cast):
    return assessments.set_up(
        actor=cast.cns_a,
        patient=cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=datetime.date.today(),
    )


def dob_fields(date):
    return {
        "date_of_birth_day": str(date.day),
        "date_of_birth_month": str(date.month),
        "date_of_birth_year": str(date.year),
    }


def sign_in(client, passcode, date, **extra):
    return client.post(START, {"passcode": passcode, **dob_fields(date)}, **extra)


def signed_in_client(client, hna):
    response = sign_in(client, hna.passcode, hna.assessment.patient.date_of_birth)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def wrong(date):
    return date + datetime.timedelta(days=1)


def test_start_page_asks_for_passcode_and_date_of_birth(client):
    response = client.get(START)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Start your assessment</h1>" in html
    assert 'autocapitalize="characters"' in html and 'autocomplete="bday-day"' in html
    assert "no-store" in response["Cache-Control"]


def test_right_passcode_opens_the_first_page_and_keeps_only_the_passcode_id(client, hna, cast):
    response = sign_in(client, hna.passcode, cast.patient.date_of_birth)

    assert response.status_code == 302
    assert response.url == "/hna/my-assessment/concerns/physical/"
    passcode = Passcode.objects.get(assessment=hna.assessment)
    ours = {k: v for k, v in client.session.items() if not k.startswith("_qsessions_")}  # qsessions' own
    assert ours == {SESSION_KEY: str(passcode.pk)}
    assert hna.passcode not in str(dict(client.session))
    page = client.get(response.url)
    assert page.status_code == 200 and "Physical concerns" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_passcode_may_be_typed_with_spaces_dashes_and_lower_case(client, hna, cast):
    typed = f" {hna.passcode[:4].lower()} - {hna.passcode[4:].lower()} "
    assert sign_in(client, typed, cast.patient.date_of_birth).status_code == 302


def use_up(hna, cast):
    assessments.submit(Passcode.objects.get(assessment=hna.assessment, revoked_at__isnull=True))


def lock(hna, cast):
    for _ in range(5):
        assert sign_in_quietly(hna.passcode, wrong(cast.patient.date_of_birth))


def sign_in_quietly(passcode, date):
    return passcodes.check(passcode, date) is None


def reissue(hna, cast):
    assessments.reissue_passcode(actor=cast.cns_a, assessment=hna.assessment)


def cancel(hna, cast):
    Assessment.objects.filter(pk=hna.assessment.pk).update(status=Assessment.Status.CANCELLED)


@pytest.mark.parametrize(
    "spoil, passcode, dob",
    [
        (None, "ACDEFGHJ", "right"),  # unknown passcode
        (None, "right", "wrong"),  # wrong date of birth
        (use_up, "right", "wrong"),  # already sent, but only the right date of birth learns that
        (reissue, "right", "right"),  # replaced by a new passcode
        (cancel, "right", "right"),  # the assessment was cancelled
        (None, "NOT-A-CODE!", "right"),  # not even the right shape
    ],
    ids=["unknown", "wrong-dob", "used-wrong-dob", "revoked", "cancelled", "malformed"],
)
def test_every_failure_gets_the_same_message(client, hna, cast, spoil, passcode, dob):
    if spoil:
        spoil(hna, cast)
    raw = hna.passcode if passcode == "right" else passcode
    date = cast.patient.date_of_birth if dob == "right" else wrong(cast.patient.date_of_birth)

    response = sign_in(client, raw, date)

    html = response.content.decode()
    assert response.status_code == 200
    assert NOT_RIGHT in html and "If it still does not work, call your care team." in html
    assert "nhsuk-error-summary" in html and html.count("<title>Error: ") == 1
    assert SESSION_KEY not in client.session


def test_a_passcode_works_until_14_days_after_it_was_issued(client, cast):
    with time_machine.travel(ISSUED, tick=False) as traveller:
        raw = set_up_hna(cast).passcode
        traveller.move_to(ISSUED + datetime.timedelta(days=14, seconds=-1))
        assert sign_in(client, raw, cast.patient.date_of_birth).status_code == 302

        traveller.move_to(ISSUED + datetime.timedelta(days=14))
        response = Client().post(START, {"passcode": raw, **dob_fields(cast.patient.date_of_birth)})
    assert response.status_code == 200 and NOT_RIGHT in response.content.decode()  # the same message
    assert SESSION_KEY not in response.wsgi_request.session


def test_the_daily_expiry_revokes_passcodes_14_days_old_and_no_others(cast):
    with time_machine.travel(ISSUED, tick=False) as traveller:
        hna = set_up_hna(cast)
        sent = set_up_hna(cast)  # another assessment, sent: its passcode is used, not expired
        use_up(sent, cast)
        traveller.move_to(ISSUED + datetime.timedelta(days=14, seconds=-1))
        assert passcodes.expire_old() == 0
        traveller.move_to(ISSUED + datetime.timedelta(days=14))
        assert passcodes.expire_old() == 1
    revoked = Passcode.objects.get(assessment=hna.assessment)
    assert revoked.revoked_at == revoked.updated_at == ISSUED + datetime.timedelta(days=14)
    assert Passcode.objects.get(assessment=sent.assessment).state == "used"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "1960"}, "must be a real date"),
        ({"date_of_birth_day": "17", "date_of_birth_month": "5", "date_of_birth_year": ""}, "must include a year"),
        ({}, "Enter your date of birth"),
    ],
)
def test_a_malformed_date_of_birth_gets_the_date_error_and_does_not_count(client, hna, fields, message):
    response = client.post(START, {"passcode": hna.passcode, **fields})
    html = response.content.decode()
    assert message in html and NOT_RIGHT not in html
    assert Passcode.objects.get(assessment=hna.assessment).failed_attempts == 0


def test_without_a_passcode_key_the_hash_is_keyed_with_the_secret_key(cast, settings):
    settings.HNA_PASSCODE_KEY = ""
    raw = set_up_hna(cast).passcode
    assert passcodes.check(raw, cast.patient.date_of_birth) is not None
    settings.SECRET_KEY += "-rotated"
    assert passcodes.check(raw, cast.patient.date_of_birth) is None


def test_a_passcode_key_of_its_own_is_used_instead_of_the_secret_key(cast, settings):
    """So a stolen passcode table cannot be checked offline, nor the key rotated with SECRET_KEY."""
    settings.HNA_PASSCODE_KEY = "a-key-of-its-own"
    raw = set_up_hna(cast).passcode
    settings.SECRET_KEY += "-rotated"
    assert passcodes.check(raw, cast.patient.date_of_birth) is not None
    settings.HNA_PASSCODE_KEY = "another-key"
    assert passcodes.check(raw, cast.patient.date_of_birth) is None


def test_no_passcode_says_enter_your_passcode(client, cast):
    html = sign_in(client, "", cast.patient.date_of_birth).content.decode()
    assert "Enter your passcode" in html


def test_four_wrong_dates_of_birth_leave_the_passcode_working(client, hna, cast):
    for _ in range(4):
        assert NOT_RIGHT in sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth)).content.decode()
    assert Passcode.objects.get(assessment=hna.assessment).state == "live"

    response = sign_in(client, hna.passcode, cast.patient.date_of_birth)

    assert response.status_code == 302 and response.url == "/hna/my-assessment/concerns/physical/"
    assert client.get(response.url).status_code == 200


def test_five_wrong_dates_of_birth_lock_the_passcode_even_for_the_right_one_after(client, hna, cast):
    for _ in range(4):
        assert NOT_RIGHT in sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth)).content.decode()
    fifth = sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth)).content.decode()
    assert LOCKED in fifth and NOT_RIGHT not in fifth  # they learn at once, not after more tries
    assert Passcode.objects.get(assessment=hna.assessment).state == "locked"

    sixth = sign_in(client, hna.passcode, cast.patient.date_of_birth)

    html = sixth.content.decode()
    assert sixth.status_code == 200 and "<h1>Your passcode is locked</h1>" in html
    assert "<title>Your passcode is locked" in html
    assert "Call your care team and ask for a new passcode. We have told them your passcode is locked." in html
    assert "try again" not in html.lower() and NOT_RIGHT not in html
    assert SESSION_KEY not in client.session
    # No date of birth opens it now, so a wrong one gets the same page (not "try again").
    assert LOCKED in sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth)).content.decode()


def locked_items(hna):
    return WorkItem.objects.filter(source_type=passcodes.LOCKED_SOURCE, patient=hna.assessment.patient)


def test_the_care_team_is_told_once_when_the_passcode_locks(client, hna, cast):
    for _ in range(4):
        sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth))
    assert not locked_items(hna).exists()  # 4 wrong tries: nothing to tell yet

    sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth))  # the 5th locks it
    for _ in range(3):  # the patient keeps trying, right and wrong
        sign_in(client, hna.passcode, cast.patient.date_of_birth)
        sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth))

    item = locked_items(hna).get()
    passcode = Passcode.objects.get(assessment=hna.assessment)
    assert (item.team, item.status, item.source_id) == (cast.team_a, Status.OPEN, str(passcode.pk))
    assert item.title == f"HNA passcode locked for {cast.patient.full_name}: give them a new one"
    assert item.link == f"/hna/assessments/{hna.assessment.pk}/"
    assert item.priority == Priority.HIGH  # someone cannot get in, or someone else is guessing
    raised = AuditEvent.objects.get(object_id=str(item.pk), action="create")
    assert raised.actor is None and raised.actor_label == f"system:{passcodes.SYSTEM_ACTOR}"
    client.force_login(cast.cns_a)
    assert item.title in client.get("/worklist/").content.decode()  # on the team's worklist


def test_a_new_passcode_closes_the_item_and_a_new_lock_raises_a_new_one(client, hna, cast):
    lock(hna, cast)
    item = locked_items(hna).get()
    new = assessments.reissue_passcode(actor=cast.cns_a, assessment=hna.assessment)
    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.status_changes.last().created_by == cast.cns_a

    for _ in range(5):
        assert passcodes.check(new, wrong(cast.patient.date_of_birth)) is None
    assert locked_items(hna).filter(status=Status.OPEN).count() == 1 and locked_items(hna).count() == 2


def test_a_sent_assessment_says_already_sent_not_not_right(client, hna, cast):
    use_up(hna, cast)

    response = sign_in(client, hna.passcode, cast.patient.date_of_birth)

    html = response.content.decode()
    assert response.status_code == 200 and "<h1>You have already sent this assessment</h1>" in html
    assert SENT in html and NOT_RIGHT not in html and "try again" not in html.lower()
    assert SESSION_KEY not in client.session


def test_wrong_guesses_are_throttled_per_client_ip(client, hna, cast, settings):
    settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 3
    assert sign_in(client, "ACDEFGHJ", cast.patient.date_of_birth).status_code == 200  # unknown passcode
    other = set_up_hna(cast)
    assert sign_in(client, other.passcode, wrong(cast.patient.date_of_birth)).status_code == 200  # wrong date
    assert sign_in(client, "NOT-A-CODE!", cast.patient.date_of_birth).status_code == 200  # not a passcode at all

    refused = sign_in(client, hna.passcode, cast.patient.date_of_birth)  # even the right one

    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html and NOT_RIGHT not in html
    assert SESSION_KEY not in client.session
    assert Passcode.objects.get(assessment=hna.assessment).failed_attempts == 0
    # Another address is not held up
    assert sign_in(client, hna.passcode, cast.patient.date_of_birth, REMOTE_ADDR="192.0.2.7").status_code == 302


@pytest.fixture(params=["locmem", "database"])
def backend(request, settings):
    """The throttle on LocMem (test settings) and on the DatabaseCache the embedded default uses."""
    if request.param == "database":
        use_database_cache(settings)
    return request.param


def test_after_19_wrong_guesses_from_an_address_the_right_one_works_after_20_it_is_refused(client, cast, backend):
    first, second = set_up_hna(cast), set_up_hna(cast)
    for _ in range(19):
        assert sign_in(client, "ACDEFGHJ", cast.patient.date_of_birth).status_code == 200
    assert sign_in(Client(), first.passcode, cast.patient.date_of_birth).status_code == 302  # after N-1

    assert sign_in(client, "ACDEFGHJ", cast.patient.date_of_birth).status_code == 200  # the 20th wrong guess
    refused = sign_in(Client(), second.passcode, cast.patient.date_of_birth)  # a new browser, the same address

    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode() and NOT_RIGHT not in refused.content.decode()


def test_25_patients_sign_in_one_after_another_on_one_clinic_tablet(cast, backend):
    """Successful sign-ins are not guesses: the 21st patient on a shared tablet is not refused."""
    patients = [PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a]) for _ in range(25)]
    setups = [
        assessments.set_up(
            actor=cast.cns_a, patient=patient, point_of_pathway="01", trigger="diagnosis", offer_status="03",
            event_date=datetime.date.today(),
        )
        for patient in patients
    ]  # fmt: skip
    tablet = Client(REMOTE_ADDR="192.0.2.50")
    for setup, patient in zip(setups, patients, strict=True):
        response = sign_in(tablet, setup.passcode, patient.date_of_birth)
        assert response.status_code == 302, f"patient {patients.index(patient) + 1} refused"
        assert tablet.session[SESSION_KEY] == str(Passcode.objects.get(assessment=setup.assessment).pk)


def test_empty_and_half_filled_submits_do_not_count(client, hna, cast, settings, backend):
    settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 2
    for _ in range(10):
        assert "Enter your passcode" in client.post(START, {}).content.decode()
        client.post(START, {"passcode": "ACDEFGHJ"})  # no date of birth
        not_a_date = {**dob_fields(cast.patient.date_of_birth), "date_of_birth_day": "31", "date_of_birth_month": "2"}
        client.post(START, {"passcode": hna.passcode, **not_a_date})
    assert sign_in(client, hna.passcode, cast.patient.date_of_birth).status_code == 302


def test_a_used_or_locked_passcode_with_the_right_date_of_birth_does_not_count(client, cast, settings, backend):
    settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 5
    sent, locked = set_up_hna(cast), set_up_hna(cast)
    use_up(sent, cast)
    lock(locked, cast)
    for _ in range(10):  # a patient who keeps coming back to a page that says what happened
        assert SENT in sign_in(client, sent.passcode, cast.patient.date_of_birth).content.decode()
        assert LOCKED in sign_in(client, locked.passcode, cast.patient.date_of_birth).content.decode()
    assert sign_in(client, set_up_hna(cast).passcode, cast.patient.date_of_birth).status_code == 302


def test_a_throttled_address_waits_15_minutes_from_its_first_wrong_guess(client, hna, cast, settings, backend):
    """On the DatabaseCache its incr would cut the block to 5 minutes; a later wrong guess, a
    success before, or a refused try must not move the window."""
    settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 2
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        start = timezone.now()
        assert sign_in(client, hna.passcode, cast.patient.date_of_birth).status_code == 302  # opens no window
        traveller.move_to(start + datetime.timedelta(minutes=1))
        sign_in(client, "ACDEFGHJ", cast.patient.date_of_birth)  # the window opens: until minute 16
        traveller.move_to(start + datetime.timedelta(minutes=14))
        sign_in(client, "ACDEFGHJ", cast.patient.date_of_birth)  # the 2nd: blocked from now
        traveller.move_to(start + datetime.timedelta(minutes=15))
        assert sign_in(client, hna.passcode, cast.patient.date_of_birth).status_code == 429
        traveller.move_to(start + datetime.timedelta(minutes=16, seconds=-1))
        assert sign_in(client, hna.passcode, cast.patient.date_of_birth).status_code == 429
        traveller.move_to(start + datetime.timedelta(minutes=16, seconds=1))
        assert sign_in(client, hna.passcode, cast.patient.date_of_birth).status_code == 302


def test_sign_in_logs_and_audits_no_passcode_or_date_of_birth(client, hna, cast, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, hna.passcode, wrong(cast.patient.date_of_birth))
    sign_in(client, hna.passcode, cast.patient.date_of_birth)
    sign_in(client, hna.passcode.lower(), cast.patient.date_of_birth)
    assert hna.passcode not in caplog.text and hna.passcode.lower() not in caplog.text
    assert cast.patient.date_of_birth.isoformat() not in caplog.text
    assert not AuditEvent.objects.exclude(actor=cast.cns_a).exists()  # set_up's own event only


@pytest.mark.parametrize("path", ["/hna/my-assessment/", "/hna/my-assessment/distress/", "/hna/my-assessment/check/"])
def test_patient_pages_without_a_passcode_go_to_the_start_page(client, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == START
    assert SIGN_IN in response.content.decode()
    assert "no-store" in client.get(path)["Cache-Control"]


def test_staff_sign_in_is_not_a_passcode(client, cast):
    client.force_login(cast.cns_a)
    assert client.get("/hna/my-assessment/distress/").url == START


def test_a_passcode_that_expires_mid_session_stops_the_pages(client, hna):
    signed_in_client(client, hna)
    Passcode.objects.filter(assessment=hna.assessment).update(expires_at=timezone.now())  # while they answer

    response = client.get("/hna/my-assessment/distress/", follow=True)

    assert STOPPED in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_reissued_passcode_ends_the_old_session(client, hna, cast):
    signed_in_client(client, hna)
    reissue(hna, cast)
    response = client.get("/hna/my-assessment/distress/", follow=True)
    assert STOPPED in response.content.decode()


def test_after_sending_the_passcode_no_longer_works(client, hna, cast):
    signed_in_client(client, hna)
    use_up(hna, cast)
    response = client.get("/hna/my-assessment/concerns/physical/", follow=True)
    assert ALREADY_SENT in response.content.decode()
    assert SENT in sign_in(client, hna.passcode, cast.patient.date_of_birth).content.decode()


@pytest.mark.parametrize("raw", ["ACDEFGH!", "ACD", "", "ACDEFGHJK", "ACDEFGHJ"])
def test_a_malformed_or_unknown_passcode_is_not_right_and_a_wrong_guess(hna, cast, raw):
    """What the service says, before any page words it: not right, counted against the address."""
    result = passcodes.attempt(raw, cast.patient.date_of_birth)
    assert (result.outcome, result.passcode, result.wrong_guess) == (passcodes.Outcome.NOT_RIGHT, None, True)


def test_a_locked_passcode_says_locked_and_counts_only_wrong_dates_against_the_address(hna, cast):
    lock(hna, cast)
    passcode = Passcode.objects.get(assessment=hna.assessment)
    right = passcodes.attempt(hna.passcode, cast.patient.date_of_birth)
    guess = passcodes.attempt(hna.passcode, wrong(cast.patient.date_of_birth))
    assert (right.outcome, right.passcode, right.wrong_guess) == (passcodes.Outcome.LOCKED, passcode, False)
    assert (guess.outcome, guess.passcode, guess.wrong_guess) == (passcodes.Outcome.LOCKED, passcode, True)


def test_a_wrong_date_of_birth_is_not_right_and_a_wrong_guess_and_hides_the_passcode(hna, cast):
    result = passcodes.attempt(hna.passcode, wrong(cast.patient.date_of_birth))
    assert (result.outcome, result.passcode, result.wrong_guess) == (passcodes.Outcome.NOT_RIGHT, None, True)


def test_with_the_right_date_of_birth_the_attempt_names_the_passcode_it_matched(hna, cast):
    """Used and expired passcodes are named (the date of birth proved whose they are), though
    they open nothing: the contract every caller reads `Attempt.passcode` by."""
    passcode = Passcode.objects.get(assessment=hna.assessment)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        expired = passcodes.attempt(hna.passcode, cast.patient.date_of_birth)
    assert (expired.outcome, expired.passcode, expired.wrong_guess) == (passcodes.Outcome.NOT_RIGHT, passcode, False)
    use_up(hna, cast)
    used = passcodes.attempt(hna.passcode, cast.patient.date_of_birth)
    assert (used.outcome, used.passcode, used.wrong_guess) == (passcodes.Outcome.USED, passcode, False)
