"""Opting out of the survey: from the link in any message (/quality-of-life/s/<token>/opt-out/), from
a letter (/quality-of-life/opt-out/, with its code), or from any survey page. The date of birth is
asked as for the survey itself (a forwarded email must not opt someone out), then a confirm page."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from qol_survey import forms_answer as forms
from qol_survey.models import InvitationStatus
from qol_survey.services import access, tokens
from qol_survey.views_answer import opened_invitation, sign_in

CONTEXT = {"page_title": "Stop getting this survey", "submit_text": "Continue", "opting_out": True}


@never_cache
@require_http_methods(["GET", "POST"])
def by_link(request, token):
    invitation = opened_invitation(request)
    if invitation is not None and tokens.matches(invitation, token=token):
        return redirect("qol_survey:opt_out_confirm")
    form = forms.LinkForm(request.POST if request.method == "POST" else None)

    def attempt(form, ip):
        return access.by_link(token, form.cleaned_data["date_of_birth"], ip=ip)

    return sign_in(
        request, form, attempt, template="link", context=CONTEXT, then=lambda _: redirect("qol_survey:opt_out_confirm")
    )


@never_cache
@require_http_methods(["GET", "POST"])
def by_code(request):
    form = forms.CodeForm(request.POST if request.method == "POST" else None)

    def attempt(form, ip):
        return access.by_code(form.cleaned_data["code"], form.cleaned_data["date_of_birth"], ip=ip)

    return sign_in(
        request, form, attempt, template="start", context=CONTEXT, then=lambda _: redirect("qol_survey:opt_out_confirm")
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request):
    invitation = opened_invitation(request)
    if invitation is None:
        return redirect("qol_survey:opt_out")
    if request.method == "POST":
        access.opt_out(invitation, request=request)
        return redirect("qol_survey:opt_out_done")
    context = {
        "page_title": "Are you sure you want to stop getting this survey?",
        "team": invitation.team,
        "answered": invitation.status == InvitationStatus.RESPONDED,
        "back_link": {"href": "/quality-of-life/answer/"} if invitation.is_open else None,
    }
    return render(request, "qol_survey/answer/opt_out_confirm.jinja", context)


@never_cache
@require_GET
def done(request):
    invitation = opened_invitation(request)
    if invitation is None or not invitation.patient.survey_opt_out:
        return redirect("qol_survey:opt_out")
    context = {"page_title": "You will not get this survey again", "team": invitation.team}
    return render(request, "qol_survey/answer/opted_out.jinja", context)
