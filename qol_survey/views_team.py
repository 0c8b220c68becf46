"""Staff pages of the survey (issue 12 item 5): a response and its report (the care team, and the GP
practice while the respondent shares it: Response.objects.visible_to decides, 404 otherwise), and
keying in a paper return (the invitation's owning team: policy.require in responses.submit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_changeable_or_404, get_visible_or_404
from portal.audit.services import audit_view, audit_view_many
from portal.ui.pdf import pdf_response
from qol_survey import forms_team as forms
from qol_survey import presenters as pages
from qol_survey.models import Invitation, Response, Source
from qol_survey.services import access, report, responses, scoring, tokens


def _team_or_403(request):
    team = policy.care_team_of(request.user, RecordKind.QOL_RESPONSE, "change")
    if team is None:
        raise PermissionDenied("Keying in a paper survey is the care team's page")
    return team


def _staff_response(request, response_id):
    # Staff in a role only: the patient reads their own report in My care (/quality-of-life/mine/).
    if getattr(request, "role", None) is None:
        raise Http404("No response here")
    return get_visible_or_404(Response, request.user, pk=response_id)


@login_required
@never_cache
@require_GET
def response_page(request, response_id):
    response = _staff_response(request, response_id)
    audit_view(request, response.patient, response)
    context = {
        "page_title": "Quality of life survey response",
        "report": report.build(response),
        "team": response.team,
        "for_patient": False,
        "pdf_href": reverse("qol_survey:team_response_pdf", args=[response.pk]),
    }
    return render(request, "qol_survey/report/report.jinja", context)


@login_required
@never_cache
@require_GET
def response_pdf(request, response_id):
    response = _staff_response(request, response_id)
    audit_view(request, response.patient, response)
    return pdf_response(report.pdf(response, for_patient=False), report.PDF_NAME)


def _find(request, form) -> list[Invitation]:
    mine = Invitation.objects.changeable_by(request.user).select_related("patient", "diagnosis")
    code = (form.cleaned_data.get("code") or "").strip()
    if code:
        serial = tokens.parse_code(code)
        found = mine.filter(serial=serial).first() if serial is not None else None
        return [found] if found is not None and tokens.matches(found, code=code) else []
    return list(mine.filter(patient__nhs_number=form.nhs_number_digits()))


@login_required
@never_cache
@require_GET
def paper_find(request):
    _team_or_403(request)
    asked = "code" in request.GET or "nhs_number" in request.GET
    form = forms.FindForm(request.GET if asked else None)
    found = []
    if asked and form.is_valid():
        found = _find(request, form)
        if len(found) == 1:
            return redirect("qol_survey:team_paper_entry", invitation_id=found[0].pk)
        if not found:
            field = "code" if (form.cleaned_data.get("code") or "").strip() else "nhs_number"
            form.add_error(
                field, "No survey invitation of your team has that code or NHS number. Check it and try again"
            )
        else:
            audit_view_many(request, [(i.patient, i) for i in found])
    context = {"page_title": "Key in a paper survey", "form": form, "found": found, "submit_text": "Find the survey"}
    return render(request, "qol_survey/team/paper_find.jinja", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def paper_entry(request, invitation_id):
    # Only the owning team may change an invitation: anyone else gets 404, as for any record.
    invitation = get_changeable_or_404(Invitation, request.user, pk=invitation_id)
    existing = responses.for_invitation(invitation)
    audit_view(request, invitation.patient, invitation)
    context = {
        "invitation": invitation,
        "patient": invitation.patient,
        "back_link": {"href": reverse("qol_survey:team_paper")},
    }
    if existing is not None:
        context.update(page_title="This survey has already been answered", existing=existing)
        return render(request, "qol_survey/team/paper_already.jinja", context)
    form = forms.PaperForm(request.POST if request.method == "POST" else None, steps=pages.steps())
    if request.method == "POST" and form.is_valid():
        try:
            response = report.submit_and_share(
                invitation, form.answers(), source=Source.PAPER, entered_by=request.user, **form.choices()
            )
        except scoring.AnswerError as wrong:
            form.add_answer_error(wrong)
        except ValidationError as refused:  # a second entry (AlreadyAnswered), an opted-out patient (Closed)
            form.add_error(None, refused.messages)
        else:
            messages.success(request, "The paper survey has been recorded.")
            return redirect("qol_survey:team_response", response_id=response.pk)
    context.update(
        page_title="Key in a paper survey", form=form, code=tokens.display_code(tokens.short_code(invitation))
    )
    return render(request, "qol_survey/team/paper_entry.jinja", context)


@login_required
@require_http_methods(["POST"])
def unlock(request, invitation_id):
    """After wrong dates of birth locked the survey and the team has called the patient."""
    invitation = get_changeable_or_404(Invitation, request.user, pk=invitation_id)
    access.unlock(invitation, actor=request.user)
    messages.success(request, f"The survey is unlocked: {invitation.patient.full_name} can answer it online again.")
    return redirect("qol_survey:team_paper_entry", invitation_id=invitation.pk)
