"""People and pathways for the results tests: a colorectal team (CEA every 6 months) and its staff."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from followup.models import PathwayKind
from portal.people.models import Role
from tests.factories import CareTeamFactory, PatientFactory, RoleAssignmentFactory
from tests.followup.factories import make_pathway


def staff(team, role=Role.CNS):
    return RoleAssignmentFactory(role=role, organisation=team.organisation, team=team).user


def colorectal_pathway(team=None, **fields):
    team = team or CareTeamFactory(tumour_site="colorectal")
    patient = PatientFactory(care_teams=[team])
    return make_pathway(
        patient=patient, team=team, protocol_slug="colorectal-default", kind=PathwayKind.PROFESSIONAL_LED, **fields
    )


def _cast_result(cast, **fields):
    """A result of a new patient of the cast's team A, keyed in by its CNS (breast: a mammogram)."""

    from followup.models import Result
    from followup.services.results import record_result

    patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
    pathway = make_pathway(patient=patient, team=cast.team_a)
    # Near the mammogram due 15 January 2027; never in the future (refused), for tests that keep the real clock.
    sample = min(datetime.date(2027, 1, 20), timezone.localdate())
    values = dict(nhs_number=patient.nhs_number, test_code="MAMMOGRAM", sample_date=sample)
    result = record_result(actor=cast.cns_a, source=Result.Source.KEYED, **(values | fields))
    return pathway, result


def matched_result(cast):
    return _cast_result(cast)[1]


def reviewed_result(cast):
    from followup.services.results import review

    return review(cast.cns_a, matched_result(cast), "Normal")


def unmatched_and_test(cast):
    pathway, result = _cast_result(cast, test_code="PSA")
    return result, pathway.tests.first()


def followup_records(cast) -> dict:
    """Ids for the follow-up URLs of tests/access/test_url_scoping.py: one of each kind, team A's."""

    from django.utils import timezone

    from followup.models import CheckIn, Concern

    pathway, result = _cast_result(cast)
    unmatched = _cast_result(cast, test_code="PSA")[1]
    now = timezone.now()
    checkin = CheckIn.objects.create(pathway=pathway, sent_at=now, due_by=datetime.date.today())
    concern = Concern.objects.create(pathway=pathway, raised_by=cast.cns_a, respond_by=now)
    return {
        "api-followup-pathway-detail:pk": pathway.pk,
        "api-followup-test-detail:pk": result.test_id,
        "api-followup-result-detail:pk": result.pk,
        "api-followup-checkin-detail:pk": checkin.pk,
        "api-followup-concern-detail:pk": concern.pk,
        "result_id": result.pk,
        "unmatched_id": unmatched.pk,
        "fhir-servicerequest:test_id": result.test_id,
        "fhir-observation:result_id": result.pk,
    }


@pytest.fixture(autouse=True)
def after_the_samples():
    """These tests' samples are taken in 2027 (the test pathways' tests fall due then), and a sample
    date in the future is refused: the clock is set to after them. Imported by each results module."""
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield
