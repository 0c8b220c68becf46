"""Every URL that takes a patient or record id, found from the URL resolver so a new one cannot
be missed, gives 404 to a user of another team and of another practice."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.worklist.models import Kind
from portal.worklist.services import raise_item

pytestmark = pytest.mark.django_db
SKIPPED_NAMESPACES = ("admin", "allauth")  # admin is scoped by get_queryset (tested apart)
# admin is scoped by get_queryset (tests/access/test_headers_and_admin.py); the patient's HNA pages
# are opened by a passcode session, not a user, and send anyone else to /hna/start/
# (tests/hna/test_passcode_sign_in.py).
SKIPPED_PREFIXES = ("admin/", "accounts/", "hna/my-assessment/")
# qol_survey: answer (the survey's link and question pages are opened by the link or code and a date
# of birth, not a user: tests/qol_survey/test_answer.py)
SKIPPED_PREFIXES += ("quality-of-life/s/", "quality-of-life/answer/")
# Reference data with an id but no patient in it: every staff user may read it, outsiders too.
# wellbeing: sessions are public pages, and a booking is the patient's and the service admins' (who
# are this walk's outsiders): tests/wellbeing/test_pages.py gives other patients and staff 404.
# The API is the same: sessions are public, bookings the patient's and admins' (tests/wellbeing/test_api.py).
SKIPPED_PREFIXES += ("wellbeing/", "api/v1/wellbeing/")
# care reviews: the practice's and the patient's, never a care team's (this walk's insider for a page
# without "practice" in its address): tests/care_reviews/test_pages.py gives others 404.
SKIPPED_PREFIXES += ("care-reviews/",)
# care_reviews: api (the same readers on the API and FHIR: tests/care_reviews/test_api.py and
# test_fhir.py give another practice's GP, both teams' nurses and the admins 404)
SKIPPED_PREFIXES += ("api/v1/care-reviews/", "fhir/Composition")
SHARED_REFERENCE = {"fhir:fhir-questionnaire"}
# followup: path (follow-up protocols are reference data every member of staff may read, ADR 0027)
SHARED_REFERENCE |= {"followup:protocol_version", "followup:protocol_version_settings"}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, namespace + (entry.name or ""), entry


def id_taking_urls():
    for route, name, entry in walk(get_resolver().url_patterns):
        params = set(entry.pattern.regex.groupindex) | set(getattr(entry.pattern, "converters", {}))
        if not params or route.startswith(SKIPPED_PREFIXES) or "format" in params:
            continue
        yield route, name, params


def record_ids(cast):
    """An id for every kind of record a URL can take, each belonging to team A / practice A.
    A new URL parameter must be added here, or the test fails and says so."""
    item = raise_item(
        kind=Kind.OTHER, patient=cast.patient, team=cast.team_a, source_type="test.source", source_id="1", title="t"
    )
    from django.utils import timezone

    from hna.services.assessments import set_up

    assessment = set_up(
        actor=cast.cns_a,
        patient=cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=timezone.localdate(),
    ).assessment
    from hna.models import CarePlan

    plan = CarePlan.objects.create(patient=cast.patient, team=cast.team_a, assessment=assessment, started_by=cast.cns_a)
    plan_item = plan.items.create(concern="Pain", category="Physical", score=7)
    from tests.treatment_summaries.factories import make_summary

    summary = make_summary(cast)  # one sent version, so practice A's GP may see it too
    sent_version = summary.versions.get()
    delivery = sent_version.practice_deliveries.get(practice=cast.practice_a)  # made by sending it
    # followup: results
    from tests.followup.results_helpers import followup_records

    followup = followup_records(cast)
    # followup: patient
    from tests.followup.test_patient_pages import url_ids as followup_patient_ids

    followup_patient = followup_patient_ids(cast)
    # end followup: patient
    # followup: path (team A's pathway for the cast's patient is the one the results block made:
    # a patient has one open pathway per team)
    from followup.models import Pathway
    from followup.services.protocols import current

    fu_path_pathway = Pathway.objects.get(pk=followup["api-followup-pathway-detail:pk"])
    fu_path_ids = {
        "pathway_id": fu_path_pathway.pk,
        "test_id": fu_path_pathway.tests.first().pk,
        "protocol_version_id": current(fu_path_pathway.protocol_version.protocol).pk,
    }
    # qol_survey: answer (a response team A's CNS and practice A may read, shared with the GP)
    from tests.qol_survey.factories import make_invitation, make_response

    qol_response = make_response(make_invitation(patient=cast.patient, team=cast.team_a))
    qol_open = make_invitation(patient=cast.patient, team=cast.team_a)
    qol_ids = {"response_id": qol_response.pk, "invitation_id": qol_open.pk}
    qol_invitation = qol_open  # qol_survey: api
    return {
        **followup,
        "api-qol-invitation-detail:pk": qol_invitation.pk,
        "api-qol-response-detail:pk": qol_response.pk,
        "fhir-questionnaireresponse:response_id": qol_response.pk,
        **followup_patient,  # followup: patient
        "patient_id": cast.patient.pk,
        "work_item_id": item.pk,
        "patient-detail:pk": cast.patient.pk,
        "assessment_id": assessment.pk,
        "api-assessment-detail:pk": assessment.pk,
        "api-care-plan-detail:pk": plan.pk,
        "fhir-careplan:plan_id": plan.pk,
        "plan_id": plan.pk,
        "item_id": plan_item.pk,
        "fhir-questionnaire:version_id": assessment.checklist_version_id,
        "api-treatment-summary-detail:pk": summary.pk,
        "fhir-documentreference:version_id": sent_version.pk,
        "delivery_id": delivery.pk,
        "action_id": sent_version.gp_actions.first().pk,
        "my_summary_pdf:version_id": sent_version.pk,
        # Treatment summary staff pages: the sent version's rows (removing one is refused, not 404).
        "summary_id": summary.pk,
        "version_id": sent_version.pk,
        "treatment_id": sent_version.treatments.first().pk,
        "gp_action_id": sent_version.gp_actions.first().pk,
        **fu_path_ids,  # followup: path
        **qol_ids,  # qol_survey: answer
    }


def test_the_walk_finds_the_patient_page():
    routes = [route for route, _name, _params in id_taking_urls()]
    assert any("patients/" in r for r in routes), routes


def test_every_record_url_is_404_for_another_team_and_practice(client, cast):
    ids = record_ids(cast)
    urls = list(id_taking_urls())
    assert urls
    for route, name, params in urls:
        kwargs = {}
        for param in params:
            key = f"{name.split(':')[-1]}:{param}" if f"{name.split(':')[-1]}:{param}" in ids else param
            assert key in ids, f"{route} takes '{param}': add an id for it to record_ids() in this test"
            kwargs[param] = ids[key]
        url = reverse(name, kwargs=kwargs)
        insider = cast.gp_a if "practice" in route else cast.cns_a
        client.force_login(insider)
        response = client.get(url)
        method = "post" if response.status_code == 405 else "get"
        assert getattr(client, method)(url).status_code != 404, f"{url}: insider got 404, so the id is wrong"
        expected = 200 if name in SHARED_REFERENCE else 404
        for outsider in (cast.cns_b, cast.gp_b, cast.admin):
            client.force_login(outsider)
            status = getattr(client, method)(url).status_code
            assert status == expected, f"{method.upper()} {url} as {outsider.email}: {status}, expected {expected}"
