"""The respondent's personal summary report, as a page and a PDF: after they send their answers, later
through the same link and date of birth, and in My care for a patient with an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.audit.services import audit_view
from portal.ui.pdf import pdf_response
from qol_survey.models import Response
from qol_survey.services import report, responses
from qol_survey.views_answer import SIGN_IN, opened_invitation


def _session_response(request):
    invitation = opened_invitation(request)
    if invitation is None:
        return None, None
    return invitation, responses.for_invitation(invitation, *RELATED)


RELATED = ("patient__registered_practice", "team", "invitation")


def _show(request, response, *, pdf_href, back_link=None, status=200):
    audit_view(request, response.patient, response)
    context = {
        "page_title": "Your quality of life report",
        "report": report.build(response),
        "pdf_href": pdf_href,
        "back_link": back_link,
        "team": response.team,
        "for_patient": True,
    }
    return render(request, "qol_survey/report/report.jinja", context, status=status)


def _pdf(request, response, *, for_patient):
    audit_view(request, response.patient, response)
    return pdf_response(report.pdf(response, for_patient=for_patient), report.PDF_NAME)


@never_cache
@require_GET
def report_page(request):
    invitation, response = _session_response(request)
    if invitation is None:
        messages.info(request, SIGN_IN)
        return redirect("qol_survey:start")
    if response is None:  # not sent yet: back to the survey
        return redirect("qol_survey:answer_intro")
    return _show(request, response, pdf_href="/quality-of-life/report/pdf/")


@never_cache
@require_GET
def report_pdf(request):
    invitation, response = _session_response(request)
    if response is None:
        raise Http404("No report here")
    return _pdf(request, response, for_patient=True)


def _mine(request):
    patient = getattr(request.user, "patient", None)
    if request.role is not None or patient is None:
        raise Http404("No report here")
    response = (
        Response.objects.visible_to(request.user)
        .filter(patient=patient)
        .select_related(*RELATED)
        .order_by("-submitted_at")
        .first()
    )
    if response is None:
        raise Http404("No report here")
    return response


@login_required
@never_cache
@require_GET
def mine(request):
    return _show(request, _mine(request), pdf_href="/quality-of-life/mine/pdf/", back_link={"href": "/"})


@login_required
@never_cache
@require_GET
def mine_pdf(request):
    return _pdf(request, _mine(request), for_patient=True)


def has_report(user) -> bool:
    """For My care's link: whether this patient has sent a survey."""
    patient = getattr(user, "patient", None)
    return patient is not None and Response.objects.visible_to(user).filter(patient=patient).exists()
