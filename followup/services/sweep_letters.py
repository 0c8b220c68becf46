"""The follow-up letters the sweep left for the care team to post (patients who prefer post, practices
with no email address): printed as one PDF batch, which marks them printed in the same transaction."""

from django.db import transaction
from django.utils import timezone

from followup.models import FollowupLetter
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record_many, who
from portal.people import support
from portal.ui.pdf import render_pdf
from portal.ui.presenters import format_nhs_number

BATCH_TEMPLATE = "followup/letters/batch.jinja"


def pending_letters(team):
    return (
        FollowupLetter.objects.filter(team=team, printed_at__isnull=True)
        .select_related("patient__registered_practice", "team")
        .order_by("created_at", "pk")
    )


def letter_context(letter) -> dict:
    patient = letter.patient
    to_practice = bool(letter.context.get("to_practice"))
    practice = patient.registered_practice
    return {
        **letter.context,
        "kind": letter.kind,
        "to_practice": to_practice,
        "addressee": practice.name if to_practice and practice else patient.full_name,
        "address": (practice.address if to_practice and practice else patient.postcode) or "",
        "nhs_number": format_nhs_number(patient.nhs_number),
        "team": letter.team,
        "first_name": patient.given_name,
        **(support.NO_LETTER_EXTRAS if to_practice else support.letter_extras(patient)),
    }


@transaction.atomic
def letter_batch(actor, team) -> bytes:
    """One PDF of every pending letter for the team (empty bytes when there is none); marked printed,
    and each export audited, only if the whole batch is made."""
    policy.require_team(actor, team, RecordKind.FOLLOWUP_PATHWAY, "read")
    # Rows another batch is printing right now are skipped: no letter is printed twice.
    letters = list(pending_letters(team).select_for_update(of=("self",), skip_locked=True))
    if not letters:
        return b""
    content = render_pdf(
        BATCH_TEMPLATE, {"letters": [letter_context(x) for x in letters], "date": timezone.localdate()}
    )
    now = timezone.now()
    FollowupLetter.objects.filter(pk__in=[x.pk for x in letters]).update(
        printed_at=now, printed_by=actor, updated_at=now
    )
    record_many(Action.EXPORT, [(x.patient, x) for x in letters], who_fields=who(actor=actor))
    return content
