"""The patient page is the hub: every HNA, care plan and treatment summary of the patient, newest
first, with status and a link, for each role only what the policy table lets it see; every record
shown is in the access log. The page learns what each app has to show from the app's own AppConfig
(`patient_sections`, ADR 0023), so `portal/` imports no domain app."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hna.services import care_plans
from portal.audit.models import Action, AuditEvent
from portal.people.hub import Entry, Section
from portal.people.models import Role
from tests.access.policy_fixtures import complete_draft, sent_summary
from tests.conftest import give_totp
from tests.factories import RoleAssignmentFactory
from tests.hna.test_care_plans import locked_plan, start, submitted_assessment
from tests.hna.test_review import set_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(cast):
    cast.clinician_a = RoleAssignmentFactory(role=Role.CLINICIAN, organisation=cast.trust, team=cast.team_a).user
    cast.support_a = RoleAssignmentFactory(role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a).user
    give_totp(cast.support_a)  # staff need an authenticator app, or every page redirects to set one up
    return cast


def page_of(client, user, patient):
    client.force_login(user)
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading) -> str:
    """The HTML of one section of the page: from its h2 to the next h2."""
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}</h2>(.*?)(?=<h2|</main>)", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def links_in(html, pattern) -> list[str]:
    return re.findall(rf'href="({pattern})"', html)


def test_the_care_team_sees_every_hna_plan_and_summary_newest_first(client, cast):
    plan = locked_plan(cast)
    first = plan.assessment
    second = set_up(cast)
    sent = sent_summary(cast)
    draft = complete_draft(cast)

    html = page_of(client, cast.cns_a, cast.patient)

    hnas = section(html, "Holistic needs assessments")
    assert links_in(hnas, '/hna/assessments/[^"]+/') == [
        f"/hna/assessments/{second.pk}/",
        f"/hna/assessments/{first.pk}/",
    ]
    assert hnas.index("Waiting for the patient") < hnas.index("Submitted")
    plans = section(html, "Care and support plans")
    assert links_in(plans, '/hna/plans/[^"]+/') == [f"/hna/plans/{plan.pk}/"]
    assert "Agreed and locked" in plans and "plan, version 1" in plans
    summaries = section(html, "Treatment summaries")
    assert links_in(summaries, "/treatment-summaries/[0-9a-f-]+/") == [
        f"/treatment-summaries/{draft.summary_id}/",
        f"/treatment-summaries/{sent.summary_id}/",
    ]
    assert summaries.index("Draft") < summaries.index("Sent")


def test_every_record_shown_is_in_the_access_log(client, cast):
    assessment = submitted_assessment(cast)
    plan = care_plans.start_plan(actor=cast.cns_a, assessment=assessment)
    version = sent_summary(cast)
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    page_of(client, cast.cns_a, cast.patient)

    new = AuditEvent.objects.exclude(pk__in=before).filter(action=Action.VIEW, actor=cast.cns_a)
    shown = set(new.values_list("object_type", "object_id"))
    assert shown == {
        ("people.patient", str(cast.patient.pk)),
        ("hna.assessment", str(assessment.pk)),
        ("hna.careplan", str(plan.pk)),
        ("treatment_summaries.summaryversion", str(version.pk)),
    }
    assert set(new.values_list("patient_id", flat=True)) == {cast.patient.pk}


def test_a_gp_sees_shared_plans_and_delivered_summaries_and_no_hna(client, cast):
    shared = locked_plan(cast, shared=True)
    not_shared = locked_plan(cast, shared=False)
    draft = start(cast)  # a draft is the team's working copy
    version = sent_summary(cast)
    unsent = complete_draft(cast)
    delivery = version.practice_deliveries.get()

    html = page_of(client, cast.gp_a, cast.patient)

    assert "Holistic needs assessments" not in html and "/hna/assessments/" not in html
    plans = section(html, "Care and support plans")
    assert links_in(plans, '/hna/plans/[^"]+/') == [f"/hna/plans/{shared.pk}/"]
    assert f"/hna/plans/{not_shared.pk}/" not in html and f"/hna/plans/{draft.pk}/" not in html
    summaries = section(html, "Treatment summaries")
    # The practice reads a summary in its inbox, not on the hospital team's page.
    assert links_in(summaries, '/treatment-summaries/[^"]+/') == [f"/treatment-summaries/inbox/{delivery.pk}/"]
    assert f"/treatment-summaries/{unsent.summary_id}/" not in html
    assert "New" in summaries
    # Nothing to set up or write: those are the care team's.
    assert "/set-up/" not in html and "/start/" not in html
    # The link opens the plan for the GP.
    assert client.get(f"/hna/plans/{shared.pk}/").status_code == 200
    assert client.get(f"/treatment-summaries/inbox/{delivery.pk}/").status_code == 200


def test_a_plan_whose_consent_is_withdrawn_leaves_the_gps_page(client, cast):
    shared = locked_plan(cast, shared=True)
    amended = care_plans.unlock_to_amend(actor=cast.cns_a, plan=shared)
    care_plans.set_sharing(actor=cast.cns_a, plan=amended, seen_lock_version=amended.lock_version, shared_with_gp=False)
    html = page_of(client, cast.gp_a, cast.patient)
    assert "/hna/plans/" not in section(html, "Care and support plans")


def test_no_page_for_a_patient_outside_the_users_scope(client, cast):
    locked_plan(cast, shared=True)
    for outsider in (cast.gp_b, cast.cns_b, cast.admin, cast.auditor):
        client.force_login(outsider)
        assert client.get(f"/patients/{cast.patient.pk}/").status_code == 404, outsider.email


def test_a_patient_cannot_open_the_staff_patient_pages_or_the_worklist(client, cast):
    client.force_login(cast.patient_user)
    assert client.get("/patients/").status_code == 404
    assert client.get(f"/patients/{cast.patient.pk}/").status_code == 404
    assert client.get("/worklist/").status_code == 403


def test_roles_with_no_worklist_are_refused_it(client, cast):
    for user in (cast.admin, cast.auditor):
        client.force_login(user)
        assert client.get("/worklist/").status_code == 403, user.email
    client.force_login(cast.gp_a)
    assert client.get("/worklist/").status_code == 200


def test_actions_are_offered_to_those_who_may_take_them(client, cast):
    set_up_link = f'href="/hna/patients/{cast.patient.pk}/set-up/"'
    write_link = f'href="/treatment-summaries/patients/{cast.patient.pk}/start/"'
    cns = page_of(client, cast.cns_a, cast.patient)
    assert set_up_link in cns and write_link in cns
    # Support workers set up HNAs but may not write treatment summaries (the policy table).
    support = page_of(client, cast.support_a, cast.patient)
    assert set_up_link in support and write_link not in support


def test_empty_sections_say_so(client, cast):
    html = page_of(client, cast.cns_a, cast.patient)
    assert "No holistic needs assessments yet" in section(html, "Holistic needs assessments")
    assert "No care and support plans yet" in section(html, "Care and support plans")
    assert "No treatment summaries yet" in section(html, "Treatment summaries")


def test_queries_do_not_grow_with_the_records(client, cast):
    def count():
        client.force_login(cast.cns_a)
        client.get(f"/patients/{cast.patient.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/patients/{cast.patient.pk}/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    locked_plan(cast)
    sent_summary(cast)
    few, _ = count()
    for _ in range(3):
        locked_plan(cast, shared=True)
        sent_summary(cast)
    many, html = count()
    assert len(links_in(section(html, "Care and support plans"), '/hna/plans/[^"]+/')) == 4
    assert many == few


def test_a_later_app_adds_its_section_through_its_app_config(client, cast, monkeypatch):
    """What a follow-up or survey app will do: offer `patient_sections` on its AppConfig."""
    config = apps.get_app_config("followup")

    def patient_sections(patient, user):
        entry = Entry(
            title="Surveillance test",
            url="/follow-up/tests/1/",
            status="Overdue",
            status_class="nhsuk-tag--red",
            when=patient.created_at,
            detail="Mammogram",
            record=patient,
        )
        return [Section(title="Follow-up", entries=[entry], empty="No follow-up yet.")]

    monkeypatch.setattr(config, "patient_sections", patient_sections, raising=False)
    follow_up = section(page_of(client, cast.cns_a, cast.patient), "Follow-up")
    assert 'href="/follow-up/tests/1/"' in follow_up and "Overdue" in follow_up and "Mammogram" in follow_up


class TestReviewPageLinksToThePlan:
    def test_before_a_plan_it_offers_to_start_one(self, client, cast):
        assessment = submitted_assessment(cast)
        client.force_login(cast.cns_a)
        html = client.get(f"/hna/assessments/{assessment.pk}/").content.decode()
        assert "Start a care plan" in html and "Open the care plan" not in html

    @pytest.mark.parametrize("make", [start, locked_plan], ids=["draft", "locked"])
    def test_once_a_plan_exists_it_opens_it(self, client, cast, make):
        plan = make(cast)
        client.force_login(cast.cns_a)
        html = client.get(f"/hna/assessments/{plan.assessment_id}/").content.decode()
        assert f'<a href="/hna/plans/{plan.pk}/">Open the care plan</a>' in html
        assert "Start a care plan" not in html

    def test_after_amending_it_opens_the_newest_version(self, client, cast):
        plan = locked_plan(cast)
        amended = care_plans.unlock_to_amend(actor=cast.cns_a, plan=plan)
        client.force_login(cast.cns_a)
        html = client.get(f"/hna/assessments/{plan.assessment_id}/").content.decode()
        assert f'<a href="/hna/plans/{amended.pk}/">Open the care plan</a>' in html
