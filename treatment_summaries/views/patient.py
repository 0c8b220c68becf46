"""The patient's own treatment summaries in My care: every version sent to them, newest first,
replaced ones marked, each with its stored PDF. Scoped by SummaryVersion.objects.visible_to."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.access.shortcuts import get_visible_or_404
from portal.audit.models import Action
from portal.audit.services import audit_view_many, record
from portal.ui.pdf import pdf_response
from treatment_summaries.models import SummaryVersion
from treatment_summaries.presenters_inbox import MyCopyPresenter, pdf_filename


@login_required
@require_GET
def my_summaries(request):
    patient = getattr(request.user, "patient", None)
    if request.role is not None or patient is None:
        raise Http404("No treatment summaries here")
    versions = list(
        SummaryVersion.objects.visible_to(request.user)
        .filter(summary__patient=patient, sent_at__isnull=False)
        .select_related("summary__team")
        .defer("pdf")
        .order_by("-sent_at", "-number")
    )
    audit_view_many(request, [(patient, v) for v in versions])
    newest = {}
    for v in versions:
        newest[v.summary_id] = max(newest.get(v.summary_id, 0), v.number)
    copies = [
        MyCopyPresenter(v, replaced=v.status == SummaryVersion.Status.SUPERSEDED or v.number < newest[v.summary_id])
        for v in versions
    ]
    context = {
        "page_title": "Your treatment summaries",
        "current": [c for c in copies if not c.replaced],
        "replaced": [c for c in copies if c.replaced],
        "back_link": {"href": "/"},
    }
    return render(request, "treatment_summaries/patient/my_summaries.jinja", context)


@login_required
@require_GET
def my_summary_pdf(request, version_id):
    version = get_visible_or_404(SummaryVersion, request.user, pk=version_id, sent_at__isnull=False)
    if not version.pdf:
        raise Http404("No PDF for this summary")
    record(Action.EXPORT, request=request, patient=version.summary.patient, obj=version)
    return pdf_response(bytes(version.pdf), pdf_filename(version))
