"""The care plan as a PDF: the same presenter as the plan page, a print template and stylesheet,
rendered by WeasyPrint with a fetcher that serves only our static files (portal.ui.pdf)."""

from hna.presenters_plans import PlanPresenter
from portal.ui.pdf import render_pdf

TEMPLATE = "hna/plans/plan_pdf.jinja"


def care_plan_pdf(plan: PlanPresenter, *, strict: bool = False) -> bytes:
    """PDF bytes for one plan version, as the presenter shows it to the viewer."""
    return render_pdf(TEMPLATE, {"plan": plan}, strict=strict)
