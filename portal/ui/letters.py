"""What every care team's "letters to print" page shares (treatment summaries, follow-up): who may
print, and the answer to "print the batch" (a PDF, or back to the list when nothing is waiting)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone

from portal.access import policy
from portal.ui.pdf import pdf_response


def printing_team(request, kind):
    """The care team whose letters the user prints: one whose records of `kind` they may read."""
    team = policy.care_team_of(request.user, kind, "read")
    if team is None:
        raise PermissionDenied("Only the care team can print letters")
    return team


def batch_response(request, content: bytes | None, back_url: str, name: str):
    """The batch PDF, named `<name>-<date and time>.pdf`; with no letters, a message on the list page."""
    if not content:
        messages.info(request, "There are no letters to print.")
        return redirect(back_url)
    return pdf_response(content, f"{name}-{timezone.localtime():%Y-%m-%d-%H%M}.pdf")
