"""Security headers on patient pages, and the Django admin scoped like every page."""

import re

import pytest

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_patient_pages_are_never_cached(client, cast):
    client.force_login(cast.cns_a)
    for url in ("/patients/", f"/patients/{cast.patient.pk}/", "/worklist/", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_csp_uses_nonces_and_no_unsafe_inline_scripts(client, cast):
    client.force_login(cast.cns_a)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'nonce-" in script_src and "unsafe-inline" not in script_src
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    html = response.content.decode()
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag
    assert response["X-Frame-Options"] == "DENY"


def test_admin_patient_list_is_scoped(client, cast):
    other = PatientFactory(care_teams=[cast.team_b])
    from django.contrib.auth.models import Permission

    cast.cns_a.is_staff = True
    cast.cns_a.save()
    cast.cns_a.user_permissions.add(*Permission.objects.filter(codename__in=["view_patient", "change_patient"]))
    client.force_login(cast.cns_a)
    html = client.get("/admin/people/patient/").content.decode()
    assert cast.patient.family_name in html and other.family_name not in html
    assert client.get(f"/admin/people/patient/{other.pk}/change/").status_code == 404  # as on every channel


def test_superuser_without_a_clinical_role_sees_no_patients_in_admin(client, cast):
    from tests.factories import UserFactory

    superuser = UserFactory(is_staff=True, is_superuser=True)
    from tests.conftest import give_totp

    give_totp(superuser)
    client.force_login(superuser)
    html = client.get("/admin/people/patient/").content.decode()
    assert "0 patients" in html
    assert cast.patient.family_name not in html
