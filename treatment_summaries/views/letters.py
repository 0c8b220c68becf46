"""Letters to print: the care team's pending posted copies, and the PDF batch that prints them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.services import audit_view_many
from portal.ui.pdf import pdf_response
from treatment_summaries.services import letters

LETTERS_URL = "/treatment-summaries/letters/"


def _team(request):
    team = policy.care_team_of(request.user, RecordKind.SUMMARY, "read")
    if team is None:
        raise PermissionDenied("Only the care team can print letters")
    return team


@login_required
def pending(request):
    team = _team(request)
    copies = list(letters.pending_letters(team))
    audit_view_many(request, [(c.version.summary.patient, c) for c in copies])
    rows = [
        {
            "patient_name": c.version.summary.patient.full_name,
            "nhs_number": c.version.summary.patient.nhs_number,
            "postcode": c.version.summary.patient.postcode,
            "sent_on": timezone.localtime(c.version.sent_at).strftime("%-d %B %Y") if c.version.sent_at else "",
            "amended": c.version.is_amendment,
        }
        for c in copies
    ]
    context = {
        "page_title": "Treatment summary letters to print",
        "team": team,
        "rows": rows,
        "batch_url": f"{LETTERS_URL}batch/",
    }
    return render(request, "treatment_summaries/letters/pending.jinja", context)


@login_required
@require_POST
def batch(request):
    content = letters.letter_batch(request.user, _team(request))
    if not content:
        messages.info(request, "There are no letters to print.")
        return redirect(LETTERS_URL)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return pdf_response(content, f"treatment-summary-letters-{stamp}.pdf")
