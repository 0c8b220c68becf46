"""The patient's scores over time (ADR 0038): a section of the staff patient page, the same beside
their care and support plan (through the portal's generic hook, hna importing nothing of ours), and
a page of every score; read through visible_to and logged."""

import pytest
from django.urls import reverse

from portal.audit.models import Action, AuditEvent
from portal.people import hub
from tests.hna.test_care_plans import start
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db
LOW_PHYSICAL = {f"q{n}": 4 for n in range(1, 6)}


def respond(cast, **fields):
    return make_response(make_invitation(patient=cast.patient, team=cast.team_a), **fields)


def test_the_patient_page_lists_each_response_with_key_scores(client, cast):
    response = respond(cast, cancer=LOW_PHYSICAL)
    client.force_login(cast.cns_a)
    html = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert "<h2>Quality of life survey</h2>" in html
    assert f"Quality of life survey, {response.submitted_at:%-d %B %Y}" in html
    assert "Physical functioning 0" in html and "Global health and quality of life 83.3" in html
    assert "HNA offered: Low physical functioning 0 (below 50)" in html
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(response.pk), actor=cast.cns_a).exists()


def test_the_scores_page_shows_every_score_over_time(client, cast):
    respond(cast, cancer=LOW_PHYSICAL)
    client.force_login(cast.cns_a)
    page = client.get(f"/quality-of-life/dashboard/scores/{cast.patient.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Emotional functioning" in html and "Low physical functioning 0 (below 50)" in html


def test_another_team_and_the_patient_cannot_open_the_scores_page(client, cast):
    respond(cast)
    for user in (cast.cns_b, cast.patient_user):
        client.force_login(user)
        assert client.get(f"/quality-of-life/dashboard/scores/{cast.patient.pk}/").status_code == 404


def test_the_gp_sees_only_responses_shared_with_them(cast):
    respond(cast, share_with_gp=False)
    assert [s.entries for s in hub.patient_sections(cast.patient, cast.gp_a) if s.title.startswith("Quality")] == [[]]
    shared = make_response(make_invitation(patient=cast.patient, team=cast.team_a), share_with_gp=True)
    sections = [s for s in hub.patient_sections(cast.patient, cast.gp_a) if s.title.startswith("Quality")]
    assert [e.record for e in sections[0].entries] == [shared]


def test_the_patient_and_the_auditor_get_no_section(cast):
    respond(cast)
    for user in (cast.patient_user, cast.auditor):
        assert not [s for s in hub.patient_sections(cast.patient, user) if s.title.startswith("Quality")]


def test_the_care_plan_page_shows_the_scores_beside_the_plan(client, cast):
    response = respond(cast)
    plan = start(cast)
    client.force_login(cast.cns_a)
    html = client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "<h2>Quality of life scores over time</h2>" in html
    assert f"Quality of life survey, {response.submitted_at:%-d %B %Y}" in html
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(plan.pk)).exists()
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(response.pk), actor=cast.cns_a).exists()


def test_the_care_plan_page_says_when_there_are_no_scores(client, cast):
    plan = start(cast)
    client.force_login(cast.cns_a)
    html = client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "No quality of life survey answered yet." in html
