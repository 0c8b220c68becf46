"""What the treatment summaries app puts on the GP practice's home (ADR 0049): the inbox's counts, and
the actions the hospital asked of the practice that no one has answered yet, with the first few named.

Read through PracticeDelivery.objects.visible_to(user) only (a GP action is part of a version the
practice reaches through its delivery), in four queries however many summaries: the counts in two
aggregates, the short list in one query and its open actions in one prefetch."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people import hub
from portal.ui.presenters import format_date
from treatment_summaries.models import GPAction, PracticeDelivery, SummaryVersion

INBOX = "/treatment-summaries/inbox/"
LISTED = 5  # actions named on the home; the rest are in the inbox
INBOX_POSITION, ACTIONS_POSITION = 10, 40
NEW = Q(first_read_at__isnull=True, acknowledged_at__isnull=True)
READ = Q(first_read_at__isnull=False, acknowledged_at__isnull=True)


def _unanswered():
    return GPAction.objects.filter(responses__isnull=True)


def practice_home_sections(user) -> list[hub.HomeSection]:
    if policy.practice_of(user, RecordKind.SUMMARY_DELIVERY, "read") is None:
        return []
    deliveries = PracticeDelivery.objects.visible_to(user)
    inbox = deliveries.aggregate(new=Count("pk", filter=NEW), read=Count("pk", filter=READ))
    # A superseded version's actions were copied into its amendment, which asks them again: count those.
    current = deliveries.exclude(version__status=SummaryVersion.Status.SUPERSEDED)
    unanswered = Q(version__gp_actions__isnull=False, version__gp_actions__responses__isnull=True)
    total = current.aggregate(n=Count("version__gp_actions", filter=unanswered, distinct=True))["n"]
    asking = (
        current.filter(Exists(_unanswered().filter(version=OuterRef("version"))))
        .select_related("version__summary__patient", "version__summary__team")
        .defer("version__pdf")
        .prefetch_related(Prefetch("version__gp_actions", queryset=_unanswered(), to_attr="open_actions"))
        .order_by("-created_at", "-pk")[:LISTED]
    )
    entries = [
        hub.HomeEntry(
            title=action.text,
            url=f"{INBOX}{delivery.pk}/",
            patient=delivery.version.summary.patient,
            record=delivery,
            detail=(
                f"{delivery.version.summary.patient.full_name}, from the {delivery.version.summary.team.name} on "
                f"{format_date(timezone.localdate(delivery.created_at))}"
            ),
        )
        for delivery in asking
        for action in delivery.version.open_actions
    ][:LISTED]
    return [
        hub.HomeSection(
            title="Treatment summaries",
            counts=[
                hub.Count("new, not opened yet", inbox["new"], f"{INBOX}?state=new"),
                hub.Count("read, not acknowledged", inbox["read"], f"{INBOX}?state=read"),
            ],
            link=("Your summaries inbox", INBOX),
            position=INBOX_POSITION,
        ),
        hub.HomeSection(
            title="Actions the hospital asked of you",
            counts=[hub.Count("not answered yet", total, INBOX)],
            link=("Answer them in your summaries inbox", INBOX),
            entries=entries,
            entries_title="Actions not answered yet",
            more=max(0, total - len(entries)),
            position=ACTIONS_POSITION,
        ),
    ]
