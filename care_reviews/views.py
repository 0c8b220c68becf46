"""The practice's cancer care review pages (issue 14). Thin: services.due works out what is due;
every patient listed is in the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from care_reviews import pdf, presenters
from care_reviews.models import Review, ReviewRequest
from care_reviews.services import reviews
from care_reviews.services.due import State, due_list
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view_many
from portal.ui.pdf import pdf_response


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
    # Every open request, diagnosed in the window or not: a patient may ask at any time.
    asked = list(
        ReviewRequest.objects.visible_to(request.user).filter(closed_at__isnull=True).select_related("patient")
    )
    audit_view_many(request, [(r.patient, r.diagnosis) for r in rows] + [(a.patient, a) for a in asked])
    context = {
        "page_title": "Cancer care reviews",
        "indicator": found.indicator,
        "counts": {
            "overdue": found.count(State.OVERDUE),
            "due": found.count(State.DUE),
            "requested": len(asked),
        },
        "rows": [presenters.row_view(r) for r in rows],
        "asked": asked,
        "links": presenters.links(shown, sort),
        "shown": dict(presenters.FILTERS)[shown],
        "sort": presenters.SORTS[sort][0],
    }
    return render(request, "care_reviews/due.jinja", context)


@login_required
@require_GET
def review_page(request, review_id):
    """One review, for its practice and for the patient (their written summary)."""
    review = get_visible_or_404(Review, request.user, pk=review_id)
    audit_view_many(request, [(review.patient, review)])
    context = {
        "page_title": review.get_kind_display(),
        "review": review,
        "rows": presenters.review_rows(review),
        "actions": list(review.actions.all()),
        "is_patient": policy.role_name(request.user) == policy.PATIENT,
        "pdf_url": f"/care-reviews/reviews/{review.pk}/summary.pdf",
    }
    return render(request, "care_reviews/review.jinja", context)


@login_required
@require_GET
def review_pdf(request, review_id):
    """The written summary as a PDF, for the patient to keep and the practice to print or post."""
    review = get_visible_or_404(Review, request.user, pk=review_id)
    audit_view_many(request, [(review.patient, review)])
    return pdf_response(pdf.review_pdf(review), f"cancer-care-review-{review.reviewed_on:%Y-%m-%d}.pdf")


@login_required
def mine(request):
    """The patient's reviews and their request for one ("My care")."""
    patient = getattr(request.user, "patient", None)
    if patient is None:
        raise Http404("This page is for patients")
    if request.method == "POST":
        try:
            reviews.ask_for_review(actor=request.user, patient=patient, what_about=request.POST.get("what_about", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your GP practice has your request. They will contact you to arrange it.")
        return redirect("care_reviews:mine")
    done = list(Review.objects.visible_to(request.user).filter(patient=patient))
    asked = ReviewRequest.objects.visible_to(request.user).filter(patient=patient, closed_at__isnull=True).first()
    audit_view_many(request, [(patient, r) for r in done] + ([(patient, asked)] if asked else []))
    context = {"page_title": "Your cancer care reviews", "reviews": done, "asked": asked}
    return render(request, "care_reviews/mine.jinja", context)
