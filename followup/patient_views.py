"""The patient's follow-up pages in My care (/follow-up/mine/): their plan, tests, results once told,
trigger symptoms and who to call, "I'm worried about a symptom" and their check-ins. One thing per
page, plain forms (no JavaScript). Only a signed-in patient reaches them; every record comes through
visible_to, so they see only their own. The worry in progress lives in the session until it is sent."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from followup import patient_forms as forms
from followup.models import (
    OPEN_PATHWAY_STATUSES,
    CheckIn,
    Concern,
    ConcernStatus,
    Pathway,
    Result,
    SurveillanceTest,
    TestStatus,
)
from followup.services import checkins, concerns
from portal.audit.services import audit_view, audit_view_many

DRAFT = "followup_worry"  # session key: {"symptoms": [...], "details": "..."}
UPCOMING = (TestStatus.SCHEDULED, TestStatus.REQUESTED)
WHAT_TO_DO = {
    "gp": "Book a blood test at your GP surgery in the 2 weeks before this date. We will remind you.",
    "hospital": "The hospital will send you an appointment. Call your team if it has not come 2 weeks before.",
}
# A test whose date has passed with no result yet: "in the 2 weeks before this date" can no longer
# be followed, so the patient is told what to do now.
WHAT_TO_DO_LATE = {
    "gp": "This date has passed. Book a blood test at your GP surgery now.",
    "hospital": "This date has passed. Call your team if you have not had this test.",
}


def what_to_do(test, today) -> str:
    words = WHAT_TO_DO_LATE if test.due_date < today else WHAT_TO_DO
    return words.get(test.test_type.where_taken, "")


def patient_page(view):
    """A signed-in patient (not staff using a role) with an open follow-up pathway, else 404."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        patient = getattr(request.user, "patient", None)
        if request.role is not None or patient is None:
            raise Http404("No follow-up here")
        pathways = list(
            Pathway.objects.visible_to(request.user)
            .filter(patient=patient, status__in=OPEN_PATHWAY_STATUSES)
            .select_related("team")
            .order_by("-created_at")
        )
        if not pathways:
            raise Http404("No follow-up here")
        return view(request, patient, pathways, *args, **kwargs)

    return wrapper


def has_followup(user) -> bool:
    """For My care's link: whether this patient has a follow-up pathway open."""
    patient = getattr(user, "patient", None)
    if patient is None:
        return False
    return Pathway.objects.visible_to(user).filter(patient=patient, status__in=OPEN_PATHWAY_STATUSES).exists()


def _pifu(pathways):
    """The pathway the patient raises a concern through: the newest one whose window is open."""
    return next((p for p in pathways if concerns.window_open(p)), None)


def status_words(concern) -> str:
    if concern.status == ConcernStatus.CLOSED:
        return f"Closed: {concern.get_outcome_display().lower()}" if concern.outcome else "Closed"
    if concern.status == ConcernStatus.TRIAGED:
        return "Your team has looked at it"
    return "Sent: waiting for your team"


def _page(request, template, title, **context):
    context.setdefault("back_link", {"href": reverse("followup:mine")})
    context["status_words"] = status_words
    return render(request, f"followup/patient/{template}.jinja", {"page_title": title, **context})


@patient_page
def plan(request, patient, pathways):
    tests = list(
        SurveillanceTest.objects.visible_to(request.user)
        .filter(pathway__in=pathways, status__in=UPCOMING)
        .select_related("test_type")
        .order_by("due_date")[:5]
    )
    raised = list(Concern.objects.visible_to(request.user).filter(pathway__in=pathways)[:10])
    due = CheckIn.objects.visible_to(request.user).filter(pathway__in=pathways, answered_at__isnull=True).first()
    audit_view_many(request, [(patient, p) for p in pathways])
    return _page(
        request,
        "plan",
        "Your follow-up plan",
        pathways=pathways,
        tests=[(t, what_to_do(t, timezone.localdate())) for t in tests],
        raised=raised,
        checkin_due=due,
        can_raise=_pifu(pathways) is not None,
        back_link={"href": "/"},
    )


@patient_page
def results(request, patient, pathways):
    told = list(
        Result.objects.visible_to(request.user)
        .filter(test__pathway__in=pathways)
        .select_related("test__test_type")
        .order_by("-sample_date")
    )
    audit_view_many(request, [(patient, r) for r in told])
    return _page(request, "results", "Your test results", results=told)


@patient_page
def symptoms(request, patient, pathways):
    audit_view(request, patient, pathways[0])
    return _page(request, "symptoms", "Symptoms to look out for", pathways=pathways, who_to_call=concerns.who_to_call)


@patient_page
@require_http_methods(["GET", "POST"])
def worried(request, patient, pathways):
    pathway = _pifu(pathways)
    if pathway is None:
        return _page(request, "not_now", "Call us about your symptom", message=concerns.who_to_call(pathways[0]))
    draft = request.session.get(DRAFT, {})
    form = forms.SymptomsForm(
        request.POST if request.method == "POST" else None,
        initial={"symptoms": draft.get("symptoms", [])},
        symptoms=pathway.trigger_symptoms,
    )
    if request.method == "POST" and form.is_valid():
        request.session[DRAFT] = {**draft, "symptoms": form.cleaned_data["symptoms"]}
        return redirect("followup:mine_worried_details")
    return _page(request, "form", "I'm worried about a symptom", form=form, urgent=True)


@patient_page
@require_http_methods(["GET", "POST"])
def worried_details(request, patient, pathways):
    if _pifu(pathways) is None or DRAFT not in request.session:
        return redirect("followup:mine_worried")
    draft = request.session[DRAFT]
    form = forms.DetailsForm(request.POST if request.method == "POST" else None, initial=draft)
    if request.method == "POST" and form.is_valid():
        details = form.cleaned_data["details"].strip()
        if not details and not draft.get("symptoms"):
            form.add_error("details", "Select a symptom on the last page, or tell us what is worrying you")
        else:
            request.session[DRAFT] = {**draft, "details": details}
            return redirect("followup:mine_worried_check")
    back = {"href": reverse("followup:mine_worried")}
    return _page(request, "form", "Tell us what is worrying you", form=form, back_link=back)


@patient_page
@require_http_methods(["GET", "POST"])
def worried_check(request, patient, pathways):
    pathway = _pifu(pathways)
    if pathway is None or DRAFT not in request.session:
        return redirect("followup:mine_worried")
    draft = request.session[DRAFT]
    error = None
    if request.method == "POST":
        try:
            concerns.raise_concern(request.user, pathway, draft.get("symptoms", []), draft.get("details", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)  # the draft is kept: nothing they wrote is lost
        else:
            del request.session[DRAFT]
            return redirect("followup:mine_worried_sent")
    back = {"href": reverse("followup:mine_worried_details")}
    return _page(request, "check", "Check your answers before sending", draft=draft, error=error, back_link=back)


@patient_page
def worried_sent(request, patient, pathways):
    concern = Concern.objects.visible_to(request.user).filter(pathway__in=pathways).first()
    if concern is None:
        return redirect("followup:mine")
    audit_view(request, patient, concern)
    return _page(request, "sent", "Your concern has been sent", concern=concern, pathway=concern.pathway)


@patient_page
@require_http_methods(["GET", "POST"])
def checkin(request, patient, pathways):
    """The check-in waiting for an answer (the oldest first); with none, the ones answered."""
    mine = CheckIn.objects.visible_to(request.user).filter(pathway__in=pathways).select_related("pathway")
    waiting = mine.filter(answered_at__isnull=True).order_by("sent_at").first()
    if waiting is None:
        answered = list(mine.filter(answered_at__isnull=False)[:12])
        audit_view_many(request, [(patient, c) for c in answered])
        return _page(request, "checkins", "Your check-ins", answered=answered)
    questions = checkins.questions(waiting)
    form = forms.CheckInForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            opened = checkins.answer_checkin(request.user, waiting, form.answers(), form.cleaned_data["other"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if opened is not None:
                messages.warning(
                    request, "You said yes to a symptom we need to know about: your team will call you today."
                )
                return redirect("followup:mine_worried_sent")
            messages.success(request, "Thank you: your answers have been sent to your team.")
            return redirect("followup:mine")
    audit_view(request, patient, waiting)
    due = timezone.localdate() > waiting.due_by
    return _page(
        request, "form", "Your check-in", form=form, heading="Your check-in", overdue=due, submit_text="Send my answers"
    )
