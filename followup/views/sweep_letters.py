"""Follow-up letters to print: the care team's pending letters, and the PDF batch that prints them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from followup.models import FollowupLetter
from followup.services import sweep_letters
from portal.access.kinds import RecordKind
from portal.audit.services import audit_view_many
from portal.ui.letters import batch_response, printing_team

LETTERS_URL = "/follow-up/letters/"


def _team(request):
    return printing_team(request, RecordKind.FOLLOWUP_PATHWAY)


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
    return batch_response(request, content, LETTERS_URL, "follow-up-letters")
