"""Patient copies that go by post: printed by the care team as one PDF batch. Each letter is a short
cover page (name and postcode; the full address comes from the practice system) followed by the
stored, signed-off summary PDF. Printing marks the copies printed in the same transaction."""

from io import BytesIO

from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record
from portal.people import support
from portal.ui.pdf import render_pdf
from portal.ui.presenters import format_nhs_number
from treatment_summaries.models import PatientCopy, SummaryVersion

COVER_TEMPLATE = "treatment_summaries/letters/cover.jinja"


def pending_letters(team):
    """Letters to print for the team: patient copies by letter, not yet printed, of a version that
    is the one currently sent (a superseded version's letter is not printed: its amendment is)."""
    return (
        PatientCopy.objects.filter(
            channel=PatientCopy.Channel.LETTER,
            printed_at__isnull=True,
            version__status=SummaryVersion.Status.SENT,
            version__summary__team=team,
        )
        .select_related("version__summary__patient", "version__summary__team")
        .order_by("version__sent_at", "pk")
    )


def cover_pdf(copy) -> bytes:
    version = copy.version
    patient, team = version.summary.patient, version.summary.team
    return render_pdf(
        COVER_TEMPLATE,
        {
            "patient_name": patient.full_name,
            "first_name": patient.given_name,
            "postcode": patient.postcode,
            "nhs_number": format_nhs_number(patient.nhs_number),
            "team": team,
            "amended": version.is_amendment,
            "date": timezone.localdate(),
            **support.letter_extras(patient),
        },
    )


@transaction.atomic
def letter_batch(actor, team) -> bytes:
    """One PDF of every pending letter for the team (empty bytes when there is none); the letters
    are marked printed, and each export audited, only if the whole batch is made."""
    # Printing the posted copies is team work anyone in the team who may read summaries can do.
    policy.require_team(actor, team, RecordKind.SUMMARY, "read")
    # Rows another batch is printing right now are skipped: no letter is printed twice.
    copies = list(pending_letters(team).select_for_update(of=("self",), skip_locked=True))
    if not copies:
        return b""
    writer = PdfWriter()
    now = timezone.now()
    for copy in copies:
        writer.append(PdfReader(BytesIO(cover_pdf(copy))))
        writer.append(PdfReader(BytesIO(bytes(copy.version.pdf))))
    out = BytesIO()
    writer.write(out)
    PatientCopy.objects.filter(pk__in=[c.pk for c in copies]).update(printed_at=now, printed_by=actor, updated_at=now)
    for copy in copies:
        record(Action.EXPORT, actor=actor, patient=copy.version.summary.patient, obj=copy)
    return out.getvalue()
