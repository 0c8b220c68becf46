"""The NHS.UK page kit: layout, role-aware home, role switching, error pages, health."""

import re

import pytest
from django.test import override_settings
from django.urls import path

from portal.celery import app as celery_app
from portal.people.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("cns_a", "Team A (breast)"),
        ("cns_b", "Team B (colorectal)"),
        ("gp_a", "Practice A"),
        ("gp_b", "Practice B"),
        ("admin", "Wellbeing services admin"),
        ("auditor", "Access audit"),
        ("patient_user", "My care"),
    ],
)
def test_home_depends_on_the_role_in_use(client, cast, who, heading):
    client.force_login(getattr(cast, who))
    response = client.get("/")
    assert response.status_code == 200
    assert re.search(rf"<h1>{re.escape(heading)}</h1>", text(response))


def test_layout_has_skip_link_header_user_role_and_footer(client, cast):
    client.force_login(cast.cns_a)
    html = text(client.get("/"))
    assert re.search(r'<a class="nhsuk-skip-link"[^>]*href="#maincontent"', html)
    assert 'id="maincontent"' in html
    assert "Personalised cancer care" in html  # service name in the header
    assert cast.cns_a.get_full_name() in html
    assert "Clinical nurse specialist, Team A (breast)" in html
    assert 'name="csrfmiddlewaretoken"' in html and "Sign out" in html
    assert "nhsuk-footer" in html
    assert re.search(r"<title>Your team – Personalised cancer care – NHS</title>", html)
    # CSP: the one inline script (js-enabled) carries the request's nonce.
    nonce = re.search(r"<script nonce=\"([^\"]+)\">document.body.className", html)
    assert nonce, "inline script without a nonce would be blocked by the CSP"


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_user_with_several_roles_switches_the_one_in_use(client, cast):
    RoleAssignment.objects.create(user=cast.cns_a, role=Role.AUDITOR, organisation=cast.trust)
    client.force_login(cast.cns_a)
    assert "(change role)" in text(client.get("/"))
    page = client.get("/role/")
    assert "Which role are you using?" in text(page)
    auditor = cast.cns_a.role_assignments.get(role=Role.AUDITOR)
    response = client.post("/role/", {"role": str(auditor.pk)}, follow=True)
    assert "<h1>Access audit</h1>" in text(response)
    assert "Auditor, Test Trust" in text(response)


def test_switching_to_someone_elses_role_is_refused(client, cast):
    client.force_login(cast.cns_a)
    other = cast.cns_b.role_assignments.get()
    response = client.post("/role/", {"role": str(other.pk)})
    assert response.status_code == 200
    html = text(response)
    assert "Select one of your roles" in html
    assert "nhsuk-error-summary" in html
    assert html.count("<title>Error: ") == 1
    cast.cns_a.refresh_from_db()
    assert cast.cns_a.active_role_id is None


def test_choose_role_without_an_answer_says_what_to_do(client, cast):
    client.force_login(cast.cns_a)
    html = text(client.post("/role/", {}))
    assert "Select the role you want to use" in html
    assert 'href="#id_role"' in html


def test_404_is_nhs_styled(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = text(response)
    assert "<h1>Page not found</h1>" in html and "nhsuk-header" in html


def _boom(request):
    raise RuntimeError("deliberate")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden)]
handler403 = "portal.views.permission_denied"
handler500 = "portal.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_nhs_styled(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = text(response)
    assert "Sorry, there is a problem with the service" in html and "nhsuk-header" in html
    assert "deliberate" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_403_is_nhs_styled(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "You do not have access to this page" in text(response)


def test_info_pages(client):
    for url, heading in [("/accessibility/", "Accessibility statement"), ("/privacy/", "Privacy notice")]:
        assert f"<h1>{heading}</h1>" in text(client.get(url))


def test_health_reports_database_and_broker(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_health_is_503_when_the_broker_is_unreachable(client):
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/health")
    finally:
        celery_app.conf.broker_url = old
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error:")


def test_nhs_frontend_assets_are_served(client):
    assert client.get("/static/nhsuk/nhsuk-frontend.min.css").status_code == 200
    # The compiled CSS hard-codes /assets/images/... (STACK-NOTES 4).
    assert client.get("/assets/images/nhsuk-icon-cross.svg").status_code == 200


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_does_not_touch_the_user(client, cast, django_assert_num_queries):
    # The failure may be the database itself: the 500 page must render without it.
    client.force_login(cast.cns_a)
    client.raise_request_exception = False
    html = text(client.get("/boom/"))
    assert cast.cns_a.get_full_name() not in html


PASSCODE_LINK = re.compile(r'<a href="/hna/start/">Start your assessment with a passcode</a>')


def test_the_signed_out_home_offers_patients_their_passcode_start(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert PASSCODE_LINK.search(text(response))
    assert PASSCODE_LINK.search(text(client.get("/accounts/login/")))
    assert client.get("/hna/start/").status_code == 200


def test_the_readme_says_where_patients_start():
    from tests.portal.test_settings import ROOT

    readme = (ROOT / "README.md").read_text()
    assert re.search(r"`/hna/start/`[^.]*passcode", readme, re.S), "README does not say where patients start"


def links(html) -> set[str]:
    main = html.split('id="maincontent"', 1)[1].split("</main>", 1)[0]
    return set(re.findall(r'href="(/[^"]*)"', main))


@pytest.mark.parametrize("who", ["cns_a", "support_a", "clinician_a"])
def test_the_team_home_links_every_team_page_and_each_opens(client, cast, who):
    from tests.conftest import give_totp
    from tests.factories import RoleAssignmentFactory

    for name, role in (("support_a", Role.SUPPORT_WORKER), ("clinician_a", Role.CLINICIAN)):
        user = RoleAssignmentFactory(role=role, organisation=cast.trust, team=cast.team_a).user
        give_totp(user)
        setattr(cast, name, user)
    client.force_login(getattr(cast, who))
    found = links(text(client.get("/")))
    wanted = {
        "/worklist/",
        "/patients/",
        "/hna/",
        "/hna/reports/",
        "/treatment-summaries/",
        "/treatment-summaries/letters/",
        "/quality-of-life/dashboard/",
        "/quality-of-life/team/paper/",
        "/quality-of-life/letters/",
    }
    assert wanted <= found
    for href in found:
        assert client.get(href).status_code == 200, href
