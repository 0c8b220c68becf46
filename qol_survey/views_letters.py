"""Quality of life survey letters to print: the care team's pending letters, the PDF batch that
prints them, and the same letters as a CSV for a mailing house."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.access.kinds import RecordKind
from portal.audit.services import audit_view_many
from portal.ui.letters import batch_response, printing_team
from qol_survey.models import Purpose
from qol_survey.services import dispatch_letters

LETTERS_URL = "/quality-of-life/letters/"


def _team(request):
    return printing_team(request, RecordKind.QOL_INVITATION)


@login_required
def pending(request):
    team = _team(request)
    letters = list(dispatch_letters.pending_letters(team))
    audit_view_many(request, [(x.patient, x) for x in letters])
    rows = [
        {
            "patient_name": x.patient.full_name,
            "nhs_number": x.patient.nhs_number,
            "kind": Purpose(x.kind).label,
            "made_on": timezone.localtime(x.created_at).strftime("%-d %B %Y"),
        }
        for x in letters
    ]
    context = {
        "page_title": "Quality of life survey letters to print",
        "team": team,
        "rows": rows,
        "batch_url": f"{LETTERS_URL}batch/",
        "csv_url": f"{LETTERS_URL}mailing-house.csv",
    }
    return render(request, "qol_survey/letters/pending.jinja", context)


@login_required
@require_POST
def batch(request):
    content = dispatch_letters.letter_batch(request.user, _team(request))
    return batch_response(request, content, LETTERS_URL, "quality-of-life-letters")


@login_required
@require_POST
def mailing_csv(request):
    content = dispatch_letters.mailing_csv(request.user, _team(request))
    if not content:
        messages.info(request, "There are no letters to print.")
        return redirect(LETTERS_URL)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    # No personal data in the name: it shows in download folders.
    name = f"quality-of-life-mailing-{timezone.localtime():%Y-%m-%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
