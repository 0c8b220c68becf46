"""A signed-off treatment summary whose follow-up plan is not yet set raises a "stratify this
patient" worklist item for its team (issue 11, item 2). Hooked to the summary's save, not to
treatment_summaries.services, so the two apps stay apart (tests/portal/test_boundaries.py)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from followup.models import OPEN_PATHWAY_STATUSES, Pathway
from followup.services.pathways import stratify_item_source
from portal.worklist.models import Priority
from portal.worklist.services import raise_item
from treatment_summaries.models import SummaryVersion


def stratify_link(patient) -> str:
    return f"/follow-up/patients/{patient.pk}/stratify/"


@receiver(post_save, sender=SummaryVersion, dispatch_uid="followup.stratify_on_sign_off")
def raise_stratify_item(sender, instance, raw=False, **kwargs):
    if raw or instance.status != SummaryVersion.Status.SIGNED_OFF:
        return
    summary = instance.summary
    patient, team = summary.patient, summary.team
    if Pathway.objects.filter(patient=patient, team=team, status__in=OPEN_PATHWAY_STATUSES).exists():
        return  # the plan is set already
    raise_item(
        **stratify_item_source(patient, team),
        patient=patient,
        team=team,
        title=f"Choose a follow-up pathway for {patient}",
        priority=Priority.ROUTINE,
        link=stratify_link(patient),
        system_actor="followup",
    )
