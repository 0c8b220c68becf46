"""Django admin signs in through allauth: the same form, two-factor step and rate limits."""

from urllib.parse import quote

import pytest

from tests.access.conftest import AUTHENTICATE, code_now, sign_in
from tests.conftest import give_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_login_page_redirects_to_the_portal_sign_in(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + quote("/admin/login/", safe="")


def test_admin_index_sends_anonymous_users_to_the_portal_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=" + quote("/admin/", safe="")


def test_admin_posting_a_password_to_the_old_form_does_not_sign_in(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": admin.email, "password": "cancer-care-demo"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_admin_signs_in_with_password_and_code_then_reaches_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    secret = give_totp(admin)
    response = client.post(
        "/accounts/login/", {"login": admin.email, "password": "cancer-care-demo", "next": "/admin/"}
    )
    assert response["Location"] == AUTHENTICATE
    response = client.post(AUTHENTICATE, {"code": code_now(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_signed_in_non_staff_user_is_refused_admin_login(client, cast):
    sign_in(client, cast.patient_user)
    assert client.get("/admin/login/").status_code == 403
