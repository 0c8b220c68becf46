"""The patient's own pages: no account, a passcode and date of birth open one assessment.

The session holds only the passcode's id, never the passcode. Every page checks again that the
passcode is live and the assessment open, and no page may be cached (the answers are health
data and the device may be shared). Each page saves as they go, then redirects (PRG). Nothing
here writes to the access log: the patient reads their own answers; the services audit the send."""

from dataclasses import dataclass
from functools import wraps

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hna import forms_patient as forms
from hna import presenters_patient as pages
from hna.models import Assessment, Passcode
from hna.services import assessments, passcodes
from hna.services.assessments import AssessmentClosed
from portal.ui.presenters import format_date

SESSION_KEY = "hna_passcode_id"
TOO_MANY = "You have tried too many times. Wait 15 minutes and try again, or call your care team."
ALREADY_SENT = "You have already sent this assessment to your care team."
SIGN_IN = "Enter your passcode and date of birth to open your assessment. Answers you have saved are kept."
STOPPED = "Your passcode no longer works. Call your care team for a new one. Answers you have saved are kept."
CLOSED = "This assessment is closed. If you need help, call your care team."
SENT_STATUSES = (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED)


@dataclass
class Opened:
    passcode: Passcode
    assessment: Assessment


def _session_passcode(request) -> Passcode | None:
    passcode_id = request.session.get(SESSION_KEY)
    if not passcode_id:
        return None
    return Passcode.objects.filter(pk=passcode_id).select_related("assessment__team").first()


def _to_start(request, message):
    request.session.pop(SESSION_KEY, None)
    messages.info(request, message)
    return redirect("hna:patient_start")


def patient_page(view):
    """Only with a live passcode for an open assessment; otherwise back to the start page."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        passcode = _session_passcode(request)
        if passcode is None:
            return _to_start(request, SIGN_IN)
        if not passcodes.is_live(passcode.pk):
            return _to_start(request, ALREADY_SENT if passcode.used_at else STOPPED)
        try:
            opened = Opened(passcode, assessments.open_for_patient(passcode))
            return view(request, opened, *args, **kwargs)
        except AssessmentClosed:  # also when it was sent from another tab while this page was open
            return _to_start(request, _closed_message(passcode.pk))

    return wrapper


def _closed_message(passcode_id) -> str:
    passcode = Passcode.objects.select_related("assessment").get(pk=passcode_id)  # fresh: it just changed
    return ALREADY_SENT if passcode.used_at or passcode.assessment.status in SENT_STATUSES else CLOSED


# What the start page shows instead of the form when the passcode can no longer open anything.
END_PAGES = {
    passcodes.Outcome.LOCKED: ("hna/patient/locked.jinja", "Your passcode is locked"),
    passcodes.Outcome.USED: ("hna/patient/already_sent.jinja", "You have already sent this assessment"),
}


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    form = forms.StartForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        # Per client IP as allauth finds it (behind TRUSTED_PROXY_COUNT proxies). Only wrong guesses
        # count, so sign-ins and empty submits on a shared clinic tablet use up nothing (ADR 0022).
        ip = get_adapter().get_client_ip(request)
        if passcodes.too_many_attempts(ip, purpose="assessment"):
            form.errors.clear()
            form.add_error(None, TOO_MANY)
            status = 429
        elif valid:
            result = passcodes.attempt(form.cleaned_data["passcode"], form.cleaned_data["date_of_birth"], ip=ip)
            if result.outcome in END_PAGES:
                template, title = END_PAGES[result.outcome]
                return render(request, template, {"page_title": title})
            opened = _sign_in(request, result)
            if opened:
                return redirect(pages.step_url(pages.resume_step(opened.assessment)))
            form.add_error("passcode", forms.NOT_RIGHT)
    context = {"form": form, "page_title": "Start your assessment", "submit_text": "Continue"}
    return render(request, "hna/patient/start.jinja", context, status=status)


def _sign_in(request, result) -> Opened | None:
    if result.outcome != passcodes.Outcome.OPENED:
        return None
    try:
        assessment = assessments.open_for_patient(result.passcode)
    except AssessmentClosed:
        return None  # closed since the check: the same message as any other failure
    # A fresh session: nothing from whoever used this browser before carries over.
    request.session.flush()
    request.session[SESSION_KEY] = str(result.passcode.pk)
    return Opened(result.passcode, assessment)


@patient_page
def resume(request, opened):
    return redirect(pages.step_url(pages.resume_step(opened.assessment)))


def _return_to(request) -> str | None:
    value = request.GET.get("return")
    return value if value in pages.RETURN_TO else None


def _leave(request, assessment, last_page):
    """Save and come back later: remember the page, then end the passcode session."""
    assessments.save_answers(assessment, last_page=last_page)
    expires = _session_passcode(request).expires_at
    request.session.flush()
    messages.info(request, f"Your passcode works until {format_date(expires)}.")
    return redirect("hna:patient_saved")


def _saved(request, assessment, step):
    """After a page is saved: on to the next page, or away if they chose to come back later."""
    return_to = _return_to(request)
    target = pages.next_step(assessment, step, return_to)
    if "later" in request.POST:
        return _leave(request, assessment, target)
    assessments.save_answers(assessment, last_page=target)
    return redirect(pages.step_url(target, return_to if target != return_to else None))


def _question(request, assessment, step, form, **context):
    if request.method == "POST" and "later" in request.POST:
        # Leaving with an answer we cannot save: keep everything saved so far and come back here.
        return _leave(request, assessment, step)
    return_to = _return_to(request)
    back = pages.previous_url(assessment, step, return_to)
    context.update(
        form=form,
        form_action=pages.step_url(step, return_to),
        back_link={"href": back} if back else None,
    )
    context.setdefault("page_title", form.fields[next(iter(form.fields))].label if form.fields else "")
    return render(request, "hna/patient/question.jinja", context)


@patient_page
@require_http_methods(["GET", "POST"])
def concerns(request, opened, category_code):
    assessment = opened.assessment
    category = pages.category_or_404(assessment, category_code)
    step = f"concerns/{category.code}"
    ticked = [a.item.code for a in pages.ticked_answers(assessment, category)]
    form = forms.ConcernsForm(
        request.POST if request.method == "POST" else None, category=category, initial={"concerns": ticked}
    )
    if request.method == "POST" and form.is_valid():
        assessments.save_ticks(assessment, category.code, set(form.cleaned_data["concerns"]))
        return _saved(request, assessment, step)
    return _question(request, assessment, step, form)


@patient_page
@require_http_methods(["GET", "POST"])
def scores(request, opened, category_code):
    assessment = opened.assessment
    category = pages.category_or_404(assessment, category_code)
    step = f"scores/{category.code}"
    answers = pages.ticked_answers(assessment, category)
    if not answers:  # nothing ticked here (any more): nothing to score
        return redirect(pages.step_url(pages.next_step(assessment, f"concerns/{category.code}")))
    form = forms.ScoresForm(request.POST if request.method == "POST" else None, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            assessments.save_scores(assessment, form.scores())
        except AssessmentClosed:
            raise
        except ValidationError as refused:
            form.add_error(None, refused.messages)
        else:
            return _saved(request, assessment, step)
    heading = "How much does each concern worry you?"
    intro = (
        "Give each one a number from 0 to 10. 0 means it does not worry you at all. 10 means it worries you very much."
    )
    return _question(
        request, assessment, step, form, heading=heading, intro=intro, page_title=f"{heading} ({category.name})"
    )


@patient_page
@require_http_methods(["GET", "POST"])
def answer(request, opened, step):
    """The pages outside the checklist: distress, anything else, someone with you, communication."""
    assessment = opened.assessment
    form_class = forms.ANSWER_FORMS[step]
    initial = form_class.initial_from(assessment, answered=pages.has_passed(assessment, step))
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        assessments.save_answers(assessment, **form.answers())
        return _saved(request, assessment, step)
    return _question(request, assessment, step, form)


@patient_page
@require_http_methods(["GET", "POST"])
def check(request, opened):
    assessment = opened.assessment
    form = forms.SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if "later" in request.POST:
            return _leave(request, assessment, pages.CHECK)
        try:
            assessments.submit(opened.passcode)
        except AssessmentClosed:
            raise
        except ValidationError as refused:
            form.add_error(None, refused.messages)
        else:
            request.session.cycle_key()  # a new cookie: the back button cannot bring this page back
            return redirect("hna:patient_sent")
    context = {
        "form": form,
        "answers": pages.CheckAnswers(assessment),
        "page_title": "Check your answers",
        "back_link": {"href": pages.step_url("communication")},
    }
    return render(request, "hna/patient/check.jinja", context)


@never_cache
@require_GET
def sent(request):
    passcode = _session_passcode(request)
    if passcode is None or not passcode.used_at or passcode.assessment.status not in SENT_STATUSES:
        return _to_start(request, SIGN_IN)
    context = {"page_title": "Assessment sent", "team": passcode.assessment.team}
    return render(request, "hna/patient/sent.jinja", context)


@never_cache
@require_GET
def saved(request):
    return render(request, "hna/patient/saved.jinja", {"page_title": "Your answers have been saved"})
