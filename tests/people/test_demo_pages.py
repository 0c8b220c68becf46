"""Every demo role signs in (the users seed_demo makes, with the demo password) and finds something
real on each main page it can reach: 200, and no list page saying it has nothing to show."""

import pytest
from django.conf import settings

from hna import demo as hna_demo
from portal.people.demo import demo_email, demo_nhs_number
from portal.people.models import Patient, User
from tests.conftest import give_totp
from treatment_summaries import demo as summary_demo
from treatment_summaries.models import PracticeDelivery, TreatmentSummary

pytestmark = pytest.mark.django_db

# What the pages say when a list has nothing in it (their templates and the apps' hub sections).
EMPTY = [
    "Nothing on the worklist",
    "has not set up any assessments yet",
    "has not written any treatment summaries yet",
    "There are no letters to print",
    "No summaries yet",
    "No new summaries",
    "No read summaries",
    "No acknowledged summaries",
    "No completed assessments in the last 12 months",
    "nothing to compare it with",
    "No concerns in this plan yet",
    "You do not have a care and support plan yet",
    "You do not have a treatment summary yet",
    "No holistic needs assessments yet",
    "No care and support plans yet",
    "No care and support plans shared with your practice",
    "No treatment summaries yet",
    "No treatment summaries sent to your practice yet",
    "<p>0 events</p>",
    "There are no",
]


def patient(index) -> Patient:
    return Patient.objects.get(nhs_number=demo_nhs_number(index))


def sign_in(client, local) -> User:
    """Sign in as the demo user; staff have their authenticator app set up, as MFA requires."""
    user = User.objects.get(email=demo_email(local))
    if user.role_assignments.exists():
        give_totp(user)
    assert client.login(email=user.email, password=settings.DEMO_PASSWORD)
    return user


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def assert_full(client, urls) -> None:
    for url in urls:
        text = page(client, url)
        said = [phrase for phrase in EMPTY if phrase in text]
        assert not said, f"{url} says {said}"


def hub(index) -> str:
    return f"/patients/{patient(index).pk}/"


def plan_url() -> str:
    return f"/hna/plans/{patient(hna_demo.PLANNED).care_plans.get().pk}/"


def inbox_urls() -> list[str]:
    deliveries = PracticeDelivery.objects.filter(practice__name="Millbrook Surgery")
    return [f"/treatment-summaries/inbox/{d.pk}/" for d in deliveries]


# Patient 0 is at both the "planned" HNA stage and the "acknowledged" summary stage: their page
# has something in every section, for each role that may see it.
FULL_HUB = hna_demo.PLANNED
assert FULL_HUB == summary_demo.ACKNOWLEDGED


def team_lists():
    return ["/", "/worklist/", "/patients/", "/hna/", "/treatment-summaries/", hub(FULL_HUB), plan_url()]


def test_cns_finds_every_team_page_filled(seeded_demo, client):
    sign_in(client, hna_demo.CNS)
    assert_full(client, [*team_lists(), "/hna/reports/", "/treatment-summaries/letters/"])
    worklist = page(client, "/worklist/")
    assert patient(hna_demo.SUBMITTED).full_name in worklist
    assert patient(hna_demo.COMPARED).full_name in worklist
    for index in (hna_demo.WAITING, hna_demo.SUBMITTED, hna_demo.COMPARED):
        for assessment in patient(index).assessments.all():
            url = f"/hna/assessments/{assessment.pk}/"
            assert url in page(client, hub(index))  # the patient's page links it
            page(client, url)
    for index in (summary_demo.DRAFT, summary_demo.SIGNED_OFF, summary_demo.SENT, summary_demo.READ):
        summary = TreatmentSummary.objects.get(patient=patient(index))
        url = f"/treatment-summaries/{summary.pk}/"
        assert url in page(client, hub(index))
        page(client, url)
    for url in inbox_urls():  # the team sees what the practice sees, read-only
        page(client, url)


def test_support_worker_finds_the_team_pages_filled(seeded_demo, client):
    sign_in(client, "support.breast")
    assert_full(client, team_lists())


def test_clinician_finds_the_summary_to_sign_off_among_filled_team_pages(seeded_demo, client):
    sign_in(client, summary_demo.CLINICIAN)
    assert_full(client, team_lists())
    summary = TreatmentSummary.objects.get(patient=patient(summary_demo.SIGNED_OFF))
    assert f"/treatment-summaries/{summary.pk}/" in page(client, "/treatment-summaries/")


@pytest.mark.parametrize("local", [summary_demo.GP, "practice.millbrook"])
def test_practice_finds_its_inbox_in_every_state_and_the_shared_plan(seeded_demo, client, local):
    sign_in(client, local)
    states = [f"/treatment-summaries/inbox/?state={state}" for state in ("new", "read", "acknowledged")]
    assert_full(client, ["/", "/patients/", "/treatment-summaries/inbox/", *states, hub(FULL_HUB), plan_url()])
    assert plan_url() in page(client, hub(FULL_HUB))
    assert len(inbox_urls()) == 3
    for url in inbox_urls():
        page(client, url)
    # Nothing feeds a practice's worklist yet (cancer care reviews will): it opens, empty.
    page(client, "/worklist/")


def test_auditor_finds_the_access_log_filled(seeded_demo, client):
    sign_in(client, "auditor.one")
    assert_full(client, ["/", "/audit/"])


def test_service_admin_home_opens(seeded_demo, client):
    sign_in(client, "admin.one")
    assert_full(client, ["/"])


def test_patient_finds_their_plan_and_summary_in_my_care(seeded_demo, client):
    user = sign_in(client, "patient.one")
    assert user.patient == patient(FULL_HUB)
    assert_full(client, ["/", "/hna/my-plans/", "/treatment-summaries/mine/", plan_url()])
    version = TreatmentSummary.objects.get(patient=user.patient).versions.get()
    response = client.get(f"/treatment-summaries/mine/{version.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
