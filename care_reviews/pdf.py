"""A cancer care review as a PDF (issue 14 item 3): the written summary the patient keeps, in the
same words as the review page (presenters.review_pairs), rendered by portal.ui.pdf."""

from care_reviews.presenters import review_pairs
from portal.ui.pdf import render_pdf

TEMPLATE = "care_reviews/review_pdf.jinja"


def review_pdf(review, *, strict: bool = False) -> bytes:
    context = {"review": review, "pairs": review_pairs(review), "actions": list(review.actions.all())}
    return render_pdf(TEMPLATE, context, strict=strict)
