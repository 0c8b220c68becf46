"""The fixed cost of a signed-in request (issue 16 item 2, ADR 0056): a no-op page behind the whole
middleware stack, MFA enforced, reads the user row and nothing else, and writes nothing unless
something changed: the session is touched at most once a minute, and the role in use and the MFA
state are held in the session until the user's access_version says they changed."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.people.models import Role, RoleAssignment
from tests.factories import RoleAssignmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.bench.urls")]
BARE = "/bench/bare/"
WRITES = ("INSERT", "UPDATE", "DELETE")


def _requests(client, n=3, path=BARE):
    with CaptureQueriesContext(connection) as captured:
        for _ in range(n):
            assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _writes(sql):
    return [s for s in sql if s.lstrip().upper().startswith(WRITES)]


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast.cns_a)
    client.get(BARE)  # the first request after sign-in keeps the role and MFA state in the session
    return client


def test_a_signed_in_no_op_request_reads_the_user_and_writes_nothing(signed_in):
    sql = _requests(signed_in, n=3)
    assert len(sql) <= 3 * 2, sql
    assert not _writes(sql), _writes(sql)


def test_the_session_is_touched_at_most_once_a_minute_and_keeps_the_idle_limit(signed_in, settings):
    later = timezone.now() + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        touched = _requests(signed_in, n=3)
    assert len([s for s in _writes(touched) if "qsessions_session" in s]) == 1, _writes(touched)
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(later + idle + datetime.timedelta(seconds=1), tick=False):
        response = signed_in.get("/worklist/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_role_taken_away_is_gone_on_the_next_request(signed_in, cast):
    RoleAssignment.objects.filter(user=cast.cns_a).delete()  # unscoped-ok: the test's own user
    response = signed_in.get("/worklist/")
    assert response.status_code in (302, 403, 404), response.status_code


def test_a_role_switched_to_is_the_one_in_use_on_the_next_request(signed_in, cast):
    other = RoleAssignmentFactory(user=cast.cns_a, role=Role.CNS, organisation=cast.trust, team=cast.team_b)
    assert b"Team A" in signed_in.get("/worklist/").content
    response = signed_in.post("/role/", {"role": str(other.pk)})
    assert response.status_code in (302, 303)
    assert b"Team B" in signed_in.get("/worklist/").content


def test_an_authenticator_removed_sends_the_user_to_set_one_up_on_the_next_request(signed_in, cast):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=cast.cns_a).delete()
    response = signed_in.get("/worklist/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_a_staff_page_reads_no_role_assignment_once_the_session_holds_them(signed_in, cast):
    RoleAssignmentFactory(user=cast.cns_a, role=Role.CNS, organisation=cast.trust, team=cast.team_b)
    signed_in.get("/worklist/")  # the new role changed the stamp: read again, once
    with CaptureQueriesContext(connection) as captured:
        response = signed_in.get("/worklist/")
    assert b"(change role)" in response.content  # the header knows there are two
    assert not [q["sql"] for q in captured.captured_queries if "people_roleassignment" in q["sql"]]
