"""Follow-up results demo stages (seed_demo, ADR 0023), made through the results service:

- 10 (colorectal): a normal CEA result waiting for review;
- 13 (colorectal): an abnormal CEA result waiting for review (first in the queue; reviewing it
  suspends the pathway and asks for a clinic appointment);
- 8 (prostate): a CEA result for a prostate patient, who has no CEA test: unmatched, on the
  prostate team's unmatched list.

Each patient gets a professional-led pathway, anchored a year ago, if they have none with their
team. A patient who already has a result is left as they are, so a second run makes nothing."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from followup.models import (
    OPEN_PATHWAY_STATUSES,
    Pathway,
    PathwayChange,
    PathwayKind,
    ProtocolVersion,
    Result,
    SurveillanceTest,
    VersionStatus,
)
from followup.services.history import snapshot
from followup.services.results import record_result
from followup.services.schedule import planned_tests
from portal.people.demo import Stage

WAITING, ABNORMAL, UNMATCHED = 10, 13, 8
PROTOCOLS = {"colorectal": "colorectal-default", "prostate": "prostate-default"}


def _pathway(world, patient, team, by):
    """The patient's open pathway with this team, or a new one with its planned tests. (A minimal
    stand-in for the pathways part's service, so this file depends on no other part's.)"""
    found = Pathway.objects.filter(patient=patient, team=team, status__in=OPEN_PATHWAY_STATUSES).first()
    if found:
        return found
    version = ProtocolVersion.objects.get(protocol__slug=PROTOCOLS[team.tumour_site], status=VersionStatus.PUBLISHED)
    anchor = timezone.localdate() - relativedelta(months=12)
    pathway = Pathway.objects.create(
        patient=patient, team=team, kind=PathwayKind.PROFESSIONAL_LED, protocol_version=version,
        anchor_date=anchor, created_by=by, rationale="Demo: standard surveillance after surgery",
    )  # fmt: skip
    SurveillanceTest.objects.bulk_create(
        SurveillanceTest(pathway=pathway, test_type=step.test_type, step=step, due_date=due)
        for step, due in planned_tests(version, anchor)
    )
    PathwayChange.objects.create(pathway=pathway, by=by, status_to=pathway.status, snapshot=snapshot(pathway))
    return pathway


def _result(world, index, team_index, local, what, **fields):
    patient, team = world.patient(index), world.teams[team_index]
    by = world.user(local)
    existing = Result.objects.filter(nhs_number=patient.nhs_number).first()
    if existing is None:
        _pathway(world, patient, team, by)
        sample = timezone.localdate() - datetime.timedelta(days=3)
        record_result(actor=by, nhs_number=patient.nhs_number, sample_date=sample, source=Result.Source.KEYED, **fields)
    return Stage(what, patient)


def stages(world) -> list:
    return [
        _result(
            world, WAITING, 1, "cns.colorectal", "Follow-up: CEA result waiting for review",
            test_code="CEA", value=Decimal("2.1"), units="ug/L", abnormal=False,
        ),
        _result(
            world, ABNORMAL, 1, "cns.colorectal", "Follow-up: abnormal CEA result waiting for review",
            test_code="CEA", value=Decimal("11.8"), units="ug/L", abnormal=True, report_text="Rising since last test",
        ),
        _result(
            world, UNMATCHED, 2, "support.prostate", "Follow-up: unmatched result (no CEA test on a prostate pathway)",
            test_code="CEA", value=Decimal("1.4"), units="ug/L",
        ),
    ]  # fmt: skip
