"""The treatment summary as a PDF: the same presenter as the summary page, a print template and
stylesheet, rendered by WeasyPrint with a fetcher that serves only our static files
(portal.ui.pdf). Rendered once, at sign-off; downloads serve the stored bytes."""

from portal.ui.pdf import render_pdf
from treatment_summaries.presenters import SummaryPresenter

TEMPLATE = "treatment_summaries/pdf/summary.jinja"


def render_summary(version, *, strict: bool = False) -> bytes:
    """PDF bytes for one version (passed to services.summaries.sign_off as `render_pdf`)."""
    return render_pdf(TEMPLATE, {"s": SummaryPresenter(version)}, strict=strict)
