"""A follow-up pathway with its planned tests, built the way the services will build one."""

import datetime

from followup.models import Pathway, PathwayKind, ProtocolVersion, SurveillanceTest, VersionStatus
from followup.services.schedule import planned_tests
from tests.factories import CareTeamFactory, PatientFactory


def make_pathway(
    patient=None,
    team=None,
    protocol_slug="breast-default",
    kind=PathwayKind.PATIENT_INITIATED,
    anchor_date=datetime.date(2026, 1, 15),
    **fields,
):
    team = team or (patient.care_teams.first() if patient else None) or CareTeamFactory()
    patient = patient or PatientFactory(care_teams=[team])
    version = ProtocolVersion.objects.get(protocol__slug=protocol_slug, status=VersionStatus.PUBLISHED)
    pathway = Pathway.objects.create(
        patient=patient, team=team, kind=kind, protocol_version=version, anchor_date=anchor_date, **fields
    )
    SurveillanceTest.objects.bulk_create(
        SurveillanceTest(pathway=pathway, test_type=step.test_type, step=step, due_date=due)
        for step, due in planned_tests(version, anchor_date)
    )
    return pathway
