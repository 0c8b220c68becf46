"""One client-IP rule for the access log and the rate limits: X-Forwarded-For counts only as far
as TRUSTED_PROXY_COUNT proxies vouch for it, so a forged header changes nothing. ADR 0016."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from portal.access.client_ip import client_ip
from portal.audit.models import Action, AuditEvent

REMOTE = "10.0.0.1"  # the TCP peer: with proxies in front, the innermost proxy
CASES = [
    # (trusted proxies, X-Forwarded-For, expected client)
    (0, None, REMOTE),
    (0, "6.6.6.6", REMOTE),  # no proxy trusted: a client-written header is ignored
    (0, "6.6.6.6, 203.0.113.9", REMOTE),
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own entry is on the left
    (1, "", REMOTE),
    (1, "unknown", REMOTE),  # not an address: never stored or counted
    (1, "203.0.113.9:4711", "203.0.113.9"),
    (1, "[2001:db8::1]:443", "2001:db8::1"),
    (1, "2001:DB8:0:0::1", "2001:db8::1"),
    (1, "2001:db8::1]", REMOTE),  # a closing bracket with no opening one is not an address
    (2, "203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (2, "10.0.0.2", REMOTE),  # fewer entries than proxies: it skipped ours, so only REMOTE_ADDR is sure
    (3, "6.6.6.6, 203.0.113.9, 10.0.0.3, 10.0.0.2", "203.0.113.9"),
]


def request_with(forwarded, remote=REMOTE):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), CASES)
def test_the_client_is_the_nth_entry_from_the_right(settings, proxies, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    request = request_with(forwarded)
    assert client_ip(request) == expected
    assert get_adapter(request).get_client_ip(request) == expected  # what every rate limit counts


def test_a_request_with_no_address_at_all_is_refused_by_the_rate_limits(settings):
    from django.core.exceptions import PermissionDenied

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = request_with("203.0.113.9", remote="")
    assert client_ip(request) is None
    with pytest.raises(PermissionDenied):
        get_adapter(request).get_client_ip(request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "forwarded", "recorded"),
    [
        (0, "6.6.6.6", REMOTE),  # the forged header of the finding: REMOTE_ADDR is recorded
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    ],
)
def test_the_access_log_records_the_same_address(client, cast, settings, proxies, forwarded, recorded):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    client.force_login(cast.cns_a)
    response = client.get(f"/patients/{cast.patient.pk}/", REMOTE_ADDR=REMOTE, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 200
    assert AuditEvent.objects.get(action=Action.VIEW, patient=cast.patient).ip_address == recorded


WRONG_PASSCODE = {
    "passcode": "ACDEFGHJ",
    "date_of_birth_day": "1",
    "date_of_birth_month": "1",
    "date_of_birth_year": "1960",
}


def _try_a_passcode(client, forwarded) -> int:
    return client.post("/hna/start/", WRONG_PASSCODE, REMOTE_ADDR=REMOTE, HTTP_X_FORWARDED_FOR=forwarded).status_code


@pytest.mark.django_db
def test_a_forged_header_does_not_dodge_the_passcode_throttle(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 2
    assert [_try_a_passcode(client, f"198.51.100.{n}") for n in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_throttle(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.HNA_PASSCODE_ATTEMPTS_PER_IP = 2
    assert [_try_a_passcode(client, f"198.51.100.{n}") for n in range(3)] == [200, 200, 200]
    # One client forging the left of the header is still one client to the proxy.
    assert [_try_a_passcode(client, f"6.6.6.{n}, 203.0.113.9") for n in range(3)] == [200, 200, 429]
