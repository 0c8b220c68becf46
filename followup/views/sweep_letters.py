"""Follow-up letters to print: the care team's pending letters, and the PDF batch that prints them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from followup.models import FollowupLetter
from followup.services import sweep_letters
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.services import audit_view_many
from portal.ui.pdf import pdf_response

LETTERS_URL = "/follow-up/letters/"


def _team(request):
    team = policy.care_team_of(request.user, RecordKind.FOLLOWUP_PATHWAY, "read")
    if team is None:
        raise PermissionDenied("Only the care team can print letters")
    return team


@login_required
def pending(request):
    team = _team(request)
    letters = list(sweep_letters.pending_letters(team))
    audit_view_many(request, [(x.patient, x) for x in letters])
    rows = [
        {
            "patient_name": x.patient.full_name,
            "nhs_number": x.patient.nhs_number,
            "to": "GP practice" if x.context.get("to_practice") else "Patient",
            "kind": FollowupLetter.Kind(x.kind).label,
            "made_on": timezone.localtime(x.created_at).strftime("%-d %B %Y"),
        }
        for x in letters
    ]
    context = {
        "page_title": "Follow-up letters to print",
        "team": team,
        "rows": rows,
        "batch_url": f"{LETTERS_URL}batch/",
    }
    return render(request, "followup/letters/pending.jinja", context)


@login_required
@require_POST
def batch(request):
    content = sweep_letters.letter_batch(request.user, _team(request))
    if not content:
        messages.info(request, "There are no letters to print.")
        return redirect(LETTERS_URL)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return pdf_response(content, f"follow-up-letters-{stamp}.pdf")
