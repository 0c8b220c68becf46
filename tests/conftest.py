"""Test-wide fixtures: the fixed cast, and CI's rule that a skipped test is a failure."""

import os

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from portal.people.models import Role
from tests.factories import (
    CareTeamFactory,
    PatientFactory,
    PracticeFactory,
    RoleAssignmentFactory,
    TrustFactory,
    UserFactory,
)

pytest_plugins = ["tests.ci_rule", "tests.workers", "tests.pdf_safety"]

# Playwright's sync API runs an event loop in the test thread (STACK-NOTES 8).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class Cast:
    """The fixed cast every permission test uses: two teams at one trust, two GP practices."""

    def __init__(self):
        self.totp_secrets: dict = {}
        self.trust = TrustFactory(ods_code="RTA", name="Test Trust")
        self.team_a = CareTeamFactory(organisation=self.trust, name="Team A (breast)", tumour_site="breast")
        self.team_b = CareTeamFactory(organisation=self.trust, name="Team B (colorectal)", tumour_site="colorectal")
        self.practice_a = PracticeFactory(ods_code="A00001", name="Practice A")
        self.practice_b = PracticeFactory(ods_code="B00002", name="Practice B")
        self.patient = PatientFactory(registered_practice=self.practice_a, care_teams=[self.team_a])
        self.patient_user = UserFactory(email="patient@example.com", first_name=self.patient.given_name)
        self.patient.user = self.patient_user
        self.patient.save()
        self.cns_a = self._staff("cns.a", Role.CNS, self.trust, self.team_a)
        self.cns_b = self._staff("cns.b", Role.CNS, self.trust, self.team_b)
        self.gp_a = self._staff("gp.a", Role.GP, self.practice_a)
        self.gp_b = self._staff("gp.b", Role.GP, self.practice_b)
        self.admin = self._staff("admin", Role.SERVICE_ADMIN, self.trust)
        self.auditor = self._staff("auditor", Role.AUDITOR, self.trust)

    def _staff(self, local, role, organisation, team=None):
        user = UserFactory(email=f"{local}@example.com")
        RoleAssignmentFactory(user=user, role=role, organisation=organisation, team=team)
        # Staff must have two-factor authentication (ADR 0007), as in real life; browser journeys
        # sign in with codes made from the secret.
        self.totp_secrets[user.pk] = give_totp(user)
        return user


def give_totp(user, secret: str | None = None) -> str:
    """Set up an authenticator app (TOTP) for the user; returns its secret, so a test can make
    codes with allauth.mfa.totp.internal.auth.hotp_value(secret, int(time.time()) // 30)."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests marked `long` (a minute or more of real time, mostly waiting on real processes) run
    first. Under xdist a long test that starts late keeps one worker busy after the other has
    finished everything else; started first, it overlaps the rest of the suite. A stable sort:
    every worker collects the same order, as xdist requires. Longest first (`seconds`, a rough
    figure from a quiet run), so the last test a worker starts is a short one."""

    def order(item):
        long = item.get_closest_marker("long")
        return -long.kwargs.get("seconds", 1) if long else 0

    items.sort(key=order)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and throttle counters live in the cache (locmem in tests, one per process): a test
    that used up the sign-in attempts of 127.0.0.1 must not lock out the next test's browser."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data that data migrations load (the HNA checklist) is put back for every
    database test: a transactional test's teardown TRUNCATEs all tables, migration rows too."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = (marker and marker.kwargs.get("transaction")) or names & {"transactional_db", "live_server"}
    request.getfixturevalue("transactional_db" if transactional else "db")
    load_reference_data(qol=False)
    if transactional:
        request.node.stash[_RELOAD_AFTER] = request.getfixturevalue("django_db_blocker")


_RELOAD_AFTER = pytest.StashKey()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's teardown has TRUNCATEd every table, load the migrations' rows
    again, committed, so the next test finds them whatever xdist runs next (ADR 0041)."""
    yield
    blocker = item.stash.get(_RELOAD_AFTER, None)
    if blocker is not None and nextitem is not None:  # after the last test the database is gone
        with blocker.unblock():
            load_reference_data()


def load_reference_data(qol: bool = True) -> None:
    """Put back what data migrations load. The survey's instruments are many rows: they are put
    back only after a flush (tests/qol_survey/conftest.py also loads them for its own tests)."""
    from followup import default_protocols
    from hna.checklist_v1 import ensure_loaded
    from treatment_summaries import gp_actions_v1, side_effects_v1
    from wellbeing import topics_v1

    ensure_loaded()
    side_effects_v1.ensure_loaded()
    gp_actions_v1.ensure_loaded()
    default_protocols.ensure_loaded()
    topics_v1.ensure_loaded()
    if qol:
        from qol_survey import demo_instruments, demo_reference, demo_value_set

        demo_instruments.ensure_loaded()
        demo_value_set.ensure_loaded()
        demo_reference.ensure_loaded()


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker) -> str:
    """`seed_demo --list` run once for a whole test module, as `make run` runs it; its output.
    Inside a transaction rolled back when the module ends: each test's own transaction is a
    savepoint in it, so what one test changes the next does not see. For tests that only read the
    demo; a test of seeding itself calls seed_demo in its own test."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()  # reference data an earlier transactional test may have truncated
        call_command("seed_demo", "--list", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def cast(db):
    return Cast()


@pytest.fixture
def api_as(client):
    """api_as(user): a client acting for `user` through an API token (every app's API tests)."""
    from tests.api.conftest import Api, issue_token

    return lambda user: Api(client, issue_token(user)[1])
