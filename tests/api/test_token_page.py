"""Your API tokens (/account/api-tokens/): the signed-in user sees the tokens that act as them,
never anyone else's, and revokes one with a plain form post (no JavaScript, CSRF-checked)."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from portal.api import tokens
from portal.api.models import ApiToken
from tests.api.conftest import PATIENTS, Api, issue_token
from tests.api.test_tokens import assert_401

PAGE = "/account/api-tokens/"
REVOKE = "/account/api-tokens/revoke/"
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


def page_text(response) -> str:
    assert response.status_code == 200, response.content
    html = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def signed_in(client):
    def make(user):
        client.force_login(user)
        return client

    return make


def test_the_owner_sees_each_of_their_tokens_in_plain_words(cast, signed_in):
    with time_machine.travel(NOW, tick=False) as traveller:
        used, raw = issue_token(cast.cns_a, client_name="Trust EPR")
        traveller.shift(datetime.timedelta(hours=2))
        Api(Client(), raw).get(PATIENTS)  # records last use at 14:00
        issue_token(cast.cns_a, client_name="Audit feed", expires_at=NOW + datetime.timedelta(days=10))
        issue_token(cast.cns_a, client_name="Old feed", revoked_at=NOW)
        text = page_text(signed_in(cast.cns_a).get(PAGE))
    assert "Your API tokens" in text
    assert (
        f"Trust EPR Status Active Starts with {used.prefix}… Issued 22 November 2026 at 12:00 "
        "Last used 22 November 2026 at 14:00 Expires 20 February 2027 at 12:00 Revoke for Trust EPR"
    ) in text
    assert "Audit feed Status Active" in text and "Last used Never Expires 2 December 2026 at 12:00" in text
    assert "Old feed Status Revoked" in text and "Revoked 22 November 2026 at 12:00" in text
    assert text.count("Revoke for") == 2  # the revoked token has no button
    assert raw not in text and used.token_hash not in text


def test_an_expired_token_says_so_and_has_no_button(cast, signed_in):
    with time_machine.travel(NOW, tick=False) as traveller:
        issue_token(cast.cns_a, client_name="Trust EPR")
        traveller.move_to(NOW + datetime.timedelta(days=91))
        text = page_text(signed_in(cast.cns_a).get(PAGE))
    assert "Trust EPR Status Expired" in text and "Expired 20 February 2027 at 12:00" in text
    assert "Revoke for" not in text


def test_only_your_own_tokens_are_listed(cast, signed_in):
    issue_token(cast.cns_b, client_name="Team B system")
    mine, _ = issue_token(cast.cns_a, client_name="Team A system")
    text = page_text(signed_in(cast.cns_a).get(PAGE))
    assert "Team A system" in text and mine.prefix in text
    assert "Team B system" not in text


def test_no_tokens_says_so(cast, signed_in):
    issue_token(cast.cns_b)
    text = page_text(signed_in(cast.cns_a).get(PAGE))
    assert "You have no API tokens." in text and "Revoke for" not in text


def test_the_owner_revokes_a_token_and_it_stops_working(cast, signed_in):
    token, raw = issue_token(cast.cns_a, client_name="Trust EPR")
    other, other_raw = issue_token(cast.cns_a, client_name="Audit feed")
    browser = signed_in(cast.cns_a)
    response = browser.post(REVOKE, {"token": str(token.pk)})
    assert response.status_code == 302 and response["Location"] == PAGE
    text = page_text(browser.get(PAGE))
    assert "You have revoked the API token for Trust EPR. It no longer works." in text
    assert "Trust EPR Status Revoked" in text
    assert_401(Api(Client(), raw).get(PATIENTS), "The API token has been revoked")
    assert Api(Client(), other_raw).get(PATIENTS).status_code == 200  # only the one revoked


def test_revoking_twice_keeps_the_first_time(cast, signed_in):
    with time_machine.travel(NOW, tick=False) as traveller:
        token, _ = issue_token(cast.cns_a, client_name="Trust EPR")
        browser = signed_in(cast.cns_a)
        browser.post(REVOKE, {"token": str(token.pk)})
        traveller.shift(datetime.timedelta(minutes=5))
        browser.post(REVOKE, {"token": str(token.pk)})
        assert "The API token for Trust EPR was already revoked." in page_text(browser.get(PAGE))
    token.refresh_from_db()
    assert token.revoked_at == NOW


@pytest.mark.parametrize("who", ["cns_b", "gp_a", "admin", "patient_user"])
def test_another_users_token_is_404_and_stays_active(cast, signed_in, who):
    token, raw = issue_token(cast.cns_a)
    response = signed_in(getattr(cast, who)).post(REVOKE, {"token": str(token.pk)})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Api(Client(), raw).get(PATIENTS).status_code == 200


@pytest.mark.parametrize("value", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "1" * 500, "\x00"])
def test_a_missing_or_malformed_token_id_is_404(cast, signed_in, value):
    issue_token(cast.cns_a)
    assert signed_in(cast.cns_a).post(REVOKE, {"token": value}).status_code == 404
    assert signed_in(cast.cns_a).post(REVOKE, {}).status_code == 404
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_revoking_needs_a_post_with_a_csrf_token(cast):
    token, _ = issue_token(cast.cns_a)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.cns_a)
    assert strict.get(REVOKE).status_code == 405
    assert strict.post(REVOKE, {"token": str(token.pk)}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    # With the token from the page's own form, the same post works.
    page = strict.get(PAGE).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert strict.post(REVOKE, {"token": str(token.pk), "csrfmiddlewaretoken": csrf}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_page_needs_you_to_be_signed_in(client, cast):
    for response in (client.get(PAGE), client.post(REVOKE, {})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_header_links_to_the_page_next_to_your_sessions(cast, signed_in):
    html = signed_in(cast.cns_a).get(PAGE).content.decode()
    assert html.index('href="/account/sessions/"') < html.index(f'href="{PAGE}"')
    assert "<title>Your API tokens – " in html


def test_staff_without_mfa_are_sent_to_set_it_up_first(cast, signed_in):
    from portal.people.models import Role
    from tests.factories import RoleAssignmentFactory, UserFactory

    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.CNS, organisation=cast.trust, team=cast.team_a)
    response = signed_in(user).get(PAGE)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_service_admin_may_revoke_anyones_token_and_nobody_else_may(cast):
    from tests.factories import UserFactory

    token, _ = issue_token(cast.cns_a)
    with pytest.raises(PermissionDenied):
        tokens.revoke(token, actor=cast.cns_b)
    token.refresh_from_db()
    assert token.revoked_at is None
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert tokens.revoke(token, actor=superuser) is True
    assert ApiToken.objects.get().revoked_at <= timezone.now()


def test_each_revoke_button_names_its_own_token_and_each_tag_its_colour(cast, signed_in):
    """The form a person submits carries the id of the token on its card (not another's, not
    'None'), and the status tag is green, grey or red (portal/access/token_presenters.py)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        active, _ = issue_token(cast.cns_a, client_name="Trust EPR")
        issue_token(cast.cns_a, client_name="Old feed", revoked_at=NOW)
        issue_token(cast.cns_a, client_name="Short feed", expires_at=NOW + datetime.timedelta(days=1))
        traveller.shift(datetime.timedelta(days=2))
        html = signed_in(cast.cns_a).get(PAGE).content.decode()
    assert re.findall(r'name="token" value="([^"]*)"', html) == [str(active.pk)]
    tags = dict((status, colour) for colour, status in re.findall(r'class="nhsuk-tag (nhsuk-tag--\w+)">(\w+)<', html))
    assert tags == {"Active": "nhsuk-tag--green", "Expired": "nhsuk-tag--grey", "Revoked": "nhsuk-tag--red"}
