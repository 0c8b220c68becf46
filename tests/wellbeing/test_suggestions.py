""" "Suggested for you" (issue 13 item 5): the patient's My care suggests upcoming sessions, resources
and services matching the concerns of their latest HNA, by the topics' concern codes (data); the
care team sees the same beside the care plan; no one else gets suggestions from an HNA they may not
read, and reading them is in the access log."""

import datetime

import pytest
from django.utils import timezone

from portal.audit.models import AuditEvent
from tests.hna.test_care_plans import start, submitted_assessment
from tests.wellbeing.factories import make_session
from wellbeing import suggestions
from wellbeing.models import Topic
from wellbeing.services import library, sessions
from wellbeing.topics_v1 import ensure_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(cast):
    ensure_loaded()
    fatigue, worry = Topic.objects.get(slug="fatigue"), Topic.objects.get(slug="worry")
    made = {
        "fatigue": make_session(title="Managing fatigue"),
        "worry": make_session(title="Coping with worry and anxiety", days_ahead=9),
        "past": make_session(title="Fatigue last month", starts_at=timezone.now() - datetime.timedelta(days=30)),
        "money": make_session(title="Benefits drop-in"),
    }
    for key, topic in (("fatigue", fatigue), ("worry", worry), ("past", fatigue)):
        made[key].topics.set([topic])
    made["money"].topics.set([Topic.objects.get(slug="money")])
    made["leaflet"] = library.add_resource(
        actor=cast.admin, title="Living with fatigue", summary="Saving energy day to day", url="https://example.org/f",
        formats=["web"], topics=[fatigue],
    )  # fmt: skip
    return made


def test_suggestions_follow_the_latest_hna_concerns_highest_score_first(cast, offers):
    submitted_assessment(cast, {"emotional-worry": 9, "physical-fatigue": 5})
    found = suggestions.for_patient(cast.patient, cast.patient_user)
    assert [s.title for s in found.sessions] == ["Coping with worry and anxiety", "Managing fatigue"]
    assert [r.title for r in found.resources] == ["Living with fatigue"]
    assert found.concerns[0].startswith("Worry")


def test_a_series_is_suggested_once_by_its_next_session(cast, offers):
    first, second = sessions.schedule(
        actor=cast.admin, title="Sleep clinic", category="therapies", every_days=7, count=2,
        starts_at=timezone.now() + datetime.timedelta(days=3), online=False, place="Room 4", capacity=6,
        topics=[Topic.objects.get(slug="sleep")],
    )  # fmt: skip
    submitted_assessment(cast, {"physical-sleep": 6})
    found = suggestions.for_patient(cast.patient, cast.patient_user).sessions
    assert first in found and second not in found


def test_no_hna_no_suggestions(cast, offers):
    assert not suggestions.for_patient(cast.patient, cast.patient_user)


def test_a_topic_edited_as_data_changes_what_is_suggested(cast, offers):
    submitted_assessment(cast, {"practical-money": 7})
    assert [s.title for s in suggestions.for_patient(cast.patient, cast.patient_user).sessions] == ["Benefits drop-in"]
    Topic.objects.filter(slug="money").update(concern_codes=["practical-work"])
    assert not suggestions.for_patient(cast.patient, cast.patient_user)


def test_my_care_shows_them_and_logs_the_hna_read(client, cast, offers):
    assessment = submitted_assessment(cast, {"physical-fatigue": 8})
    client.force_login(cast.patient_user)
    page = client.get("/").content.decode()
    assert "Suggested for you" in page and "Managing fatigue" in page and "Living with fatigue" in page
    assert "Fatigue last month" not in page and "Benefits drop-in" not in page
    assert AuditEvent.objects.filter(
        action="view", object_id=str(assessment.pk), actor=cast.patient_user, patient=cast.patient
    ).exists()


def test_the_care_team_sees_them_beside_the_plan_and_others_do_not(client, cast, offers):
    plan = start(cast, {"physical-fatigue": 8})
    client.force_login(cast.cns_a)
    page = client.get(f"/hna/plans/{plan.pk}/").content.decode()
    assert "Sessions, information and services for these concerns" in page and "Living with fatigue" in page
    for outsider in (cast.cns_b, cast.gp_a, cast.admin):
        assert not suggestions.for_patient(cast.patient, outsider)


def test_sessions_tagged_through_the_service_are_found(cast, offers):
    (made,) = sessions.schedule(
        actor=cast.admin, title="Sleep clinic", category="therapies",
        starts_at=timezone.now() + datetime.timedelta(days=3), online=False, place="Room 4", capacity=6,
        topics=[Topic.objects.get(slug="sleep")],
    )  # fmt: skip
    submitted_assessment(cast, {"physical-sleep": 6})
    assert made in suggestions.for_patient(cast.patient, cast.patient_user).sessions
