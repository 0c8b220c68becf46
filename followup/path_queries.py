"""Reads for the follow-up staff pages: the team caseload with its counts (a fixed number of
queries, however many patients), a patient's timeline, and who may change a pathway."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from followup.models import (
    OPEN_PATHWAY_STATUSES,
    Concern,
    ConcernStatus,
    Pathway,
    PathwayKind,
    PathwayStatus,
    Result,
    SurveillanceTest,
    TestStatus,
)
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people.roles import role_in_use

WAITING = (TestStatus.SCHEDULED, TestStatus.REQUESTED, TestStatus.MISSED)  # no result yet
STATUS_TAGS = {
    PathwayStatus.ACTIVE: "nhsuk-tag--green",
    PathwayStatus.SUSPENDED: "nhsuk-tag--orange",
    PathwayStatus.DISCHARGED: "nhsuk-tag--grey",
    PathwayStatus.CLOSED: "nhsuk-tag--grey",
}
TEST_TAGS = {
    TestStatus.SCHEDULED: "nhsuk-tag--white",
    TestStatus.REQUESTED: "nhsuk-tag--blue",
    TestStatus.RESULTED: "nhsuk-tag--yellow",
    TestStatus.REVIEWED: "nhsuk-tag--aqua-green",
    TestStatus.TOLD: "nhsuk-tag--green",
    TestStatus.CANCELLED: "nhsuk-tag--grey",
    TestStatus.MISSED: "nhsuk-tag--red",
}


def with_counts(pathways, today=None):
    today = today or timezone.localdate()
    overdue = SurveillanceTest.objects.filter(pathway=OuterRef("pk"), status__in=WAITING, due_date__lt=today)
    to_review = Result.objects.filter(test__pathway=OuterRef("pk"), reviewed_at__isnull=True)
    concerns = Concern.objects.filter(pathway=OuterRef("pk")).exclude(status=ConcernStatus.CLOSED)
    return pathways.annotate(
        overdue_tests=_subcount(overdue, "pathway"),
        results_to_review=_subcount(to_review, "test__pathway"),
        open_concerns=_subcount(concerns, "pathway"),
    )


def _subcount(queryset, group):
    grouped = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


@dataclass
class CaseloadGroup:
    kind: str
    status: str
    status_class: str
    count: int


def caseload(user, team, status=None):
    """The team's pathways, with counts, and the count of each (kind, status)."""
    pathways = Pathway.objects.visible_to(user).filter(team=team.pk)
    groups = [
        CaseloadGroup(PathwayKind(kind).label, PathwayStatus(state).label, STATUS_TAGS[state], n)
        for kind, state, n in pathways.order_by("kind", "status").values_list("kind", "status").annotate(n=Count("pk"))
    ]
    shown = pathways.filter(status=status) if status else pathways.filter(status__in=OPEN_PATHWAY_STATUSES)
    rows = (
        with_counts(shown)
        .select_related("patient", "protocol_version__protocol")
        .order_by("patient__family_name", "patient__given_name")
    )
    return groups, rows


def may_change(user, pathway) -> bool:
    """The buttons the page shows; the services decide again (followup.services.pathways)."""
    from followup.services.pathways import STRATIFIERS

    team = policy.care_team_of(user, RecordKind.FOLLOWUP_PATHWAY, "change")
    return team is not None and team.pk == pathway.team_id and role_in_use(user).role in STRATIFIERS


def may_stratify(user, patient) -> bool:
    from followup.services.pathways import STRATIFIERS

    team = policy.care_team_of(user, RecordKind.FOLLOWUP_PATHWAY, "change")
    return (
        team is not None
        and role_in_use(user).role in STRATIFIERS
        and patient.care_teams.filter(pk=team.pk).exists()
        and not Pathway.objects.filter(patient=patient, team=team, status__in=OPEN_PATHWAY_STATUSES).exists()
    )
