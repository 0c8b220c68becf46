"""The practice's cancer care review pages (issue 14). Thin: services.due works out what is due;
every patient listed is in the access log."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from care_reviews import presenters
from care_reviews.services.due import State, due_list
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.services import audit_view_many


def _practice(request):
    organisation = policy.practice_of(request.user, RecordKind.CARE_REVIEW, "read")
    if organisation is None:
        raise Http404("Cancer care reviews are a GP practice's pages")
    return organisation


@login_required
@require_GET
def due(request):
    _practice(request)
    shown = request.GET.get("show", "")
    if shown not in dict(presenters.FILTERS):
        shown = ""
    sort = request.GET.get("sort", "due")
    if sort not in presenters.SORTS:
        sort = "due"
    found = due_list(request.user)
    rows = sorted((r for r in found.rows if presenters.keep(r, shown)), key=presenters.SORTS[sort][1])
    audit_view_many(request, [(r.patient, r.diagnosis) for r in rows])
    context = {
        "page_title": "Cancer care reviews",
        "indicator": found.indicator,
        "counts": {
            "overdue": found.count(State.OVERDUE),
            "due": found.count(State.DUE),
            "requested": sum(1 for r in found.rows if r.requested),
        },
        "rows": [presenters.row_view(r) for r in rows],
        "links": presenters.links(shown, sort),
        "shown": dict(presenters.FILTERS)[shown],
        "sort": presenters.SORTS[sort][0],
    }
    return render(request, "care_reviews/due.jinja", context)
