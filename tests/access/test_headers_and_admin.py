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
        assert response["Cache-Control"] == "no-store, private", url
        assert response["Pragma"] == "no-cache", url
    client.logout()
    public = client.get("/accessibility/")
    assert "no-store" not in public.get("Cache-Control", "") and "Pragma" not in public, "public pages may be cached"


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
    other = PatientFactory(care_teams=[cast.team_b], family_name="Outsiderton")  # a name no page holds otherwise
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


@pytest.mark.parametrize(
    "changelist",
    ["/admin/people/user/", "/admin/account/emailaddress/", "/admin/mfa/authenticator/", "/admin/qsessions/session/"],
)
def test_admin_shows_patients_accounts_only_to_their_clinicians(client, cast, changelist):
    """A service admin (or a superuser with no clinical role) sees staff accounts but no patient's
    email address; the patient's own care team does, and that view is in the access log."""
    from allauth.account.models import EmailAddress

    from portal.audit.models import AuditEvent
    from tests.conftest import give_totp

    EmailAddress.objects.create(user=cast.patient_user, email=cast.patient_user.email, primary=True)
    give_totp(cast.patient_user)
    patient_client = type(client)()
    patient_client.force_login(cast.patient_user)  # a session row for the patient
    for user in (cast.admin, cast.cns_a):
        user.is_staff = user.is_superuser = True
        user.save()
    client.force_login(cast.admin)
    html = client.get(changelist).content.decode()
    assert cast.patient_user.email not in html
    client.force_login(cast.cns_a)
    before = AuditEvent.objects.filter(patient=cast.patient, actor=cast.cns_a).count()
    html = client.get(changelist).content.decode()
    assert cast.patient_user.email in html or cast.patient.full_name in html or str(cast.patient_user) in html
    assert AuditEvent.objects.filter(patient=cast.patient, actor=cast.cns_a).count() > before, "names who looked"


@pytest.mark.parametrize("model", ["user", "emailaddress", "authenticator", "session"])
def test_a_patients_account_rows_open_in_admin_only_for_their_clinicians(client, cast, model):
    """The change page of a row of a patient's account: 200 and in the access log for the patient's
    care team, 404 for a service admin (who still opens a staff member's row)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from qsessions.models import Session

    from portal.audit.models import AuditEvent
    from tests.conftest import give_totp

    EmailAddress.objects.create(user=cast.patient_user, email=cast.patient_user.email, primary=True)
    EmailAddress.objects.create(user=cast.cns_b, email=cast.cns_b.email, primary=True)
    give_totp(cast.patient_user)
    for user in (cast.patient_user, cast.cns_b):
        type(client)().force_login(user)  # a session row for each
    rows = {
        "user": ("people", "user", lambda u: u),
        "emailaddress": ("account", "emailaddress", lambda u: EmailAddress.objects.get(user=u)),
        "authenticator": ("mfa", "authenticator", lambda u: Authenticator.objects.filter(user=u).first()),
        "session": ("qsessions", "session", lambda u: Session.objects.filter(user=u).first()),
    }
    app, name, row_of = rows[model]
    for user in (cast.admin, cast.cns_a):
        user.is_staff = user.is_superuser = True
        user.save()

    def change_page(user, owner):
        client.force_login(user)
        return client.get(f"/admin/{app}/{name}/{row_of(owner).pk}/change/")

    assert change_page(cast.admin, cast.patient_user).status_code == 404
    assert change_page(cast.admin, cast.cns_b).status_code == 200
    before = AuditEvent.objects.filter(patient=cast.patient).count()
    response = change_page(cast.cns_a, cast.patient_user)
    assert response.status_code == 200
    assert response.context_data["original"] == row_of(cast.patient_user)  # this row, not an add form
    html = response.content.decode()
    form_tag = re.search(r'<form [^>]*id="\w+_form"[^>]*>', html).group(0)
    assert "action=" not in form_tag, "the change form posts back to its own page"
    assert AuditEvent.objects.filter(patient=cast.patient).count() == before + 1
    assert AuditEvent.objects.filter(patient=cast.patient).latest("seq").actor == cast.cns_a


@pytest.mark.parametrize(
    "changelist", ["/admin/people/patient/", "/admin/account/emailaddress/", "/admin/people/user/"]
)
def test_an_admin_address_with_a_malformed_id_is_a_404(client, cast, changelist):
    """Not Django admin's redirect with a message naming the id: the same 404 as an id out of scope."""
    cast.cns_a.is_staff = cast.cns_a.is_superuser = True
    cast.cns_a.save()
    client.force_login(cast.cns_a)
    assert client.get(f"{changelist}not-an-id/change/").status_code == 404


def test_admin_lets_a_row_be_changed_only_by_whom_the_table_lets_change_it(rf, cast):
    """Django's model permission is needed, and is not enough: the row must be in changeable_by."""
    from django.contrib import admin as django_admin
    from django.contrib.auth.models import Permission

    from portal.people.models import Patient

    patient_admin = django_admin.site._registry[Patient]
    change = Permission.objects.filter(codename__in=["view_patient", "change_patient"])
    for user in (cast.cns_a, cast.gp_a):
        user.is_staff = True
        user.save()
        user.user_permissions.add(*change)

    def may_change(user):
        request = rf.get("/admin/")
        request.user = type(user).objects.get(pk=user.pk)  # fresh: permissions are cached per instance
        return patient_admin.has_change_permission(request, cast.patient)

    assert may_change(cast.cns_a) is True  # the care team
    assert may_change(cast.gp_a) is False  # sees the practice's patient, may not change them
    cast.cns_a.user_permissions.remove(*change)
    assert not may_change(cast.cns_a)  # in scope, but no admin permission
    superuser = type(cast.cns_a).objects.get(pk=cast.cns_a.pk)
    superuser.is_superuser = True
    request = rf.get("/admin/")
    request.user = superuser
    assert patient_admin.has_delete_permission(request, cast.patient) is False, "records are never deleted"


def test_a_redirect_after_an_admin_save_has_no_context_to_audit():
    from django.http import HttpResponseRedirect

    from portal.access.admin import _context

    assert _context(HttpResponseRedirect("/admin/")) == {}
