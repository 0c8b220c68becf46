"""Letters to print: the care team's pending posted copies, and the PDF batch that prints them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.access.kinds import RecordKind
from portal.audit.services import audit_view_many
from portal.ui.letters import batch_response, printing_team
from treatment_summaries.services import letters

LETTERS_URL = "/treatment-summaries/letters/"


def _team(request):
    return printing_team(request, RecordKind.SUMMARY)


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
    return batch_response(request, content, LETTERS_URL, "treatment-summary-letters")
