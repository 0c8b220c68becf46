"""The respondent's pages (issue 12 item 5, ADR 0037): no account. The emailed link (or the letter's
code) and the date of birth open one invitation: the session holds only its id, and every page reads
it fresh and checks it is still open. One question per page, each answer saved at once, so they can
stop and come back with the link and carry on where they stopped. No page may be cached (answers
are health data; the device may be shared)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.access.client_ip import client_ip
from portal.audit.models import Action
from portal.audit.services import audit_view, record
from qol_survey import forms_answer as forms
from qol_survey import presenters as pages
from qol_survey.models import InvitationStatus
from qol_survey.services import access, report, scoring, tokens

SESSION_KEY = "qol_invitation_id"
TOO_MANY = "You have tried too many times. Wait 15 minutes and try again, or call your care team."
SIGN_IN = "Open the link in your email or text message again, or enter the code from your letter."


def is_expired(invitation) -> bool:
    # Dispatch closes invitations past their date each night; until it runs, the date decides.
    return invitation.status == InvitationStatus.EXPIRED or (
        invitation.is_open and invitation.expires_on < timezone.localdate()
    )


def closed_page(request, invitation, status=200):
    """Each way an invitation can no longer be answered gets its own page; an answered one its report."""
    if invitation.status == InvitationStatus.RESPONDED:
        return redirect("qol_survey:report")
    team = invitation.team
    if invitation.locked_at is not None:
        template, title = "locked", "This survey is locked"
    elif invitation.status == InvitationStatus.OPTED_OUT:
        template, title = "opted_out", "You have asked not to take part"
    else:
        template, title = "expired", "This survey has closed"
    context = {"page_title": title, "team": team, "invitation": invitation}
    return render(request, f"qol_survey/answer/{template}.jinja", context, status=status)


def opened_invitation(request):
    return access.current(request.session.get(SESSION_KEY))


def respondent_page(view):
    """Only with a session that opened an invitation still open to answer."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        invitation = opened_invitation(request)
        if invitation is None:
            messages.info(request, SIGN_IN)
            return redirect("qol_survey:start")
        if not invitation.is_open or is_expired(invitation):
            return closed_page(request, invitation)
        return view(request, invitation, *args, **kwargs)

    return wrapper


def _open_session(request, invitation) -> None:
    # A fresh session: nothing from whoever used this browser before carries over.
    request.session.flush()
    request.session[SESSION_KEY] = str(invitation.pk)
    record(Action.SIGN_IN, request=request, patient=invitation.patient, obj=invitation)


def sign_in(request, form, attempt, *, template, context, then):
    """The date-of-birth check shared by the link, code and opt-out pages. `attempt(form, ip)` is
    access.by_link or by_code; `then(invitation)` is where a right date of birth goes."""
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        ip = client_ip(request)
        if access.too_many_attempts(ip):
            form.errors.clear()
            form.add_error(None, TOO_MANY)
            status = 429
        elif valid:
            result = attempt(form, ip)
            if result.outcome == access.Outcome.LOCKED:
                return closed_page(request, result.invitation)
            if result.outcome == access.Outcome.OPENED:
                _open_session(request, result.invitation)
                return then(result.invitation)
            first = "code" if "code" in form.fields else "date_of_birth"
            form.add_error(first, forms.NOT_RIGHT if first == "code" else forms.LINK_NOT_RIGHT)
    return render(request, f"qol_survey/answer/{template}.jinja", {"form": form, **context}, status=status)


def _into_survey(request, invitation):
    if not invitation.is_open or is_expired(invitation):
        return closed_page(request, invitation)
    position = access.resume_position(invitation, pages.step_keys(pages.steps()))
    if not invitation.draft:
        return redirect("qol_survey:answer_intro")
    return redirect(pages.step_url(position) if position else reverse("qol_survey:answer_check"))


@never_cache
@require_http_methods(["GET", "POST"])
def link_start(request, token):
    form = forms.LinkForm(request.POST if request.method == "POST" else None)
    context = {
        "page_title": "Your quality of life survey",
        "opt_out_href": f"/quality-of-life/s/{token}/opt-out/",
        "submit_text": "Continue",
    }

    def attempt(form, ip):
        return access.by_link(token, form.cleaned_data["date_of_birth"], ip=ip)

    return sign_in(
        request, form, attempt, template="link", context=context, then=lambda inv: _into_survey(request, inv)
    )


@never_cache
@require_http_methods(["GET", "POST"])
def code_start(request):
    form = forms.CodeForm(request.POST if request.method == "POST" else None)
    context = {"page_title": "Your quality of life survey", "opt_out_href": tokens.OPT_OUT_PATH}

    def attempt(form, ip):
        return access.by_code(form.cleaned_data["code"], form.cleaned_data["date_of_birth"], ip=ip)

    return sign_in(
        request, form, attempt, template="start", context=context, then=lambda inv: _into_survey(request, inv)
    )


def _page(request, invitation, template, title, **context):
    context.update(page_title=title, invitation=invitation, team=invitation.team, opt_out_href=_opt_out_href())
    return render(request, f"qol_survey/answer/{template}.jinja", context)


def _opt_out_href() -> str:
    return reverse("qol_survey:opt_out_confirm")


@respondent_page
def intro(request, invitation):
    all_steps = pages.steps()
    position = access.resume_position(invitation, pages.step_keys(all_steps))
    start = pages.step_url(position) if position else reverse("qol_survey:answer_check")
    return _page(request, invitation, "intro", "About this survey", questions=len(all_steps), start_href=start)


@respondent_page
@require_http_methods(["GET", "POST"])
def step(request, invitation, number):
    all_steps = pages.steps()
    current = pages.step_or_404(all_steps, number)
    return_to = "check" if request.GET.get("return") == "check" else None
    given = pages.draft_answer(invitation, current)
    initial = {"answer": "" if given is None else str(given)}
    posted = request.POST if request.method == "POST" else None
    form = forms.QuestionForm(posted, step=current, total=len(all_steps), initial=initial)
    if request.method == "POST":
        skipped = "skip" in request.POST
        if skipped or form.is_valid():
            try:
                access.save_answer(
                    invitation, current.instrument, current.code, None if skipped else form.answer(), request=request
                )
            except scoring.AnswerError:
                form.add_error("answer", f"Select one of the answers to question {number}")
            except access.ClosedNow as closed:
                return closed_page(request, closed.invitation)
            else:
                if return_to or number == len(all_steps):
                    return redirect("qol_survey:answer_check")
                return redirect(pages.step_url(number + 1))
    if return_to:
        back = reverse("qol_survey:answer_check")
    else:
        back = pages.step_url(number - 1) if number > 1 else reverse("qol_survey:answer_intro")
    return _page(
        request,
        invitation,
        "question",
        form.fields["answer"].label,
        form=form,
        step=current,
        part=pages.PART_NAMES.get(current.instrument, ""),
        form_action=pages.step_url(number, return_to),
        back_link={"href": back},
    )


@respondent_page
@require_http_methods(["GET", "POST"])
def check(request, invitation):
    all_steps = pages.steps()
    form = forms.SendForm(request.POST if request.method == "POST" else None)
    error_href = "#"
    if request.method == "POST" and form.is_valid():
        try:
            report.submit_and_share(invitation, pages.draft_answers(invitation), **form.choices())
        except scoring.AnswerError as wrong:
            number = next((s.number for s in all_steps if s.code == wrong.item), None)
            error_href = pages.step_url(number, "check") if number else "#"
            where = f"question {number}" if number else "one of your answers"
            form.add_error(None, f"The answer to {where} is not one we can take. Change it, then send again.")
        except ValidationError as refused:  # AlreadyAnswered, Closed: their own words; the draft is kept
            form.add_error(None, refused.messages)
        else:
            request.session.cycle_key()  # a new cookie: the back button cannot bring this page back
            messages.success(request, "Thank you. Your answers have been sent.")
            return redirect("qol_survey:report")
    audit_view(request, invitation.patient, invitation)
    rows = pages.check_rows(invitation, all_steps)
    return _page(
        request,
        invitation,
        "check",
        "Check your answers",
        form=form,
        error_href=error_href,
        back_link={"href": pages.step_url(len(all_steps))},
        **rows,
    )
