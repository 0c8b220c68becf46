"""A signed-off treatment summary with no follow-up pathway yet raises a STRATIFY item for its
team; stratifying closes it; the stratify page shows the summary's chosen pathway."""

import datetime

import pytest

from followup.models import PathwayKind, ProtocolVersion, VersionStatus
from followup.services import pathways
from portal.worklist.models import Kind, Status, WorkItem
from tests.followup.factories import make_pathway
from tests.treatment_summaries.factories import make_version

pytestmark = pytest.mark.django_db


def stratify_items(cast):
    return WorkItem.objects.filter(kind=Kind.STRATIFY, patient=cast.patient, team=cast.team_a)


def test_sign_off_raises_the_item_once_and_stratifying_closes_it(cast, client):
    make_version(cast, "sent", follow_up_pathway="pifu")  # signed off, then sent: still one item
    item = stratify_items(cast).get()
    assert item.status == Status.OPEN
    assert item.link == f"/follow-up/patients/{cast.patient.pk}/stratify/"
    client.force_login(cast.cns_a)
    page = client.get(item.link).content.decode()
    assert "Patient-initiated follow-up" in page
    pathways.stratify(
        actor=cast.cns_a,
        patient=cast.patient,
        team=cast.team_a,
        kind=PathwayKind.PROFESSIONAL_LED,
        protocol_version=ProtocolVersion.objects.get(protocol__slug="breast-default", status=VersionStatus.PUBLISHED),
        anchor_date=datetime.date(2026, 3, 1),
    )
    item.refresh_from_db()
    assert item.status == Status.DONE


def test_no_item_when_the_plan_is_already_set(cast):
    make_pathway(patient=cast.patient, team=cast.team_a)
    make_version(cast, "signed_off")
    assert not stratify_items(cast).exists()


def test_a_draft_raises_nothing(cast):
    make_version(cast, "draft")
    assert not stratify_items(cast).exists()
