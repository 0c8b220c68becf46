"""The re-entry demo stages (followup.demo_concerns), as seed_demo makes them."""

import datetime

import pytest

from followup import demo_concerns
from followup.models import CheckIn, Concern
from tests.people.test_demo_pages import page, patient, sign_in

pytestmark = pytest.mark.django_db


def test_patient_two_sees_their_open_concern_and_check_in(seeded_demo, client):
    user = sign_in(client, "patient.two")
    assert user.patient == patient(demo_concerns.OPEN_CONCERN)
    assert Concern.objects.get(pathway__patient=user.patient).status == "open"
    plan = page(client, "/follow-up/mine/")
    assert "Answer your check-in" in plan and "Sent: waiting for your team" in plan
    assert "Your check-in" in page(client, "/follow-up/mine/check-in/")


def test_the_colorectal_cns_sees_both_concerns_and_the_prostate_check_in_is_overdue(seeded_demo, client):
    sign_in(client, "cns.colorectal")
    queue = page(client, "/follow-up/concerns/")
    for index in (demo_concerns.OPEN_CONCERN, demo_concerns.TRIAGED_CONCERN):
        concern = Concern.objects.get(pathway__patient=patient(index))
        assert str(concern.pk) in queue
    triaged = Concern.objects.get(pathway__patient=patient(demo_concerns.TRIAGED_CONCERN))
    assert (triaged.rating, triaged.outcome, triaged.raised_on_behalf) == ("amber", "advice", True)
    # (This morning's sweep may have sent this month's check-in too: the overdue one is still there.)
    checkins = CheckIn.objects.filter(pathway__patient=patient(demo_concerns.UNANSWERED))
    assert checkins.filter(answered_at=None, due_by__lt=datetime.date.today()).exists()
    assert "PSA check-in not answered" in seeded_demo  # listed by seed_demo --list
