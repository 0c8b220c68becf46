"""Staff pages for HNAs: the team list, setting one up, the passcode shown once, reissuing it, and
the CNS review. Every page is for the care team only; records outside the user's scope are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hna.forms_staff import OfferOutcomeForm, SetUpForm
from hna.models import Assessment, CarePlan
from hna.presenters import AssessmentRow, PasscodePresenter, ReviewPresenter, status_counts, status_label
from hna.services import assessments, passcodes
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view, audit_view_many
from portal.people.models import Patient
from portal.people.presenters import PatientPresenter

ANSWERED = (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED)


def _care_team(request, deny=Http404):
    """These are the care team's pages (a patient reads their own answers elsewhere)."""
    team = policy.care_team_of(request.user, RecordKind.HNA, "read")
    if team is None:
        raise deny("Only the care team can use HNA pages")
    return team


def _assessment(request, assessment_id) -> Assessment:
    _care_team(request)
    return get_visible_or_404(Assessment, request.user, pk=assessment_id)


def _review_url(assessment) -> str:
    return f"/hna/assessments/{assessment.pk}/"


# The raw passcode lives in the session only until the passcode page has shown it once.
def _session_key(assessment) -> str:
    return f"hna.passcode.{assessment.pk}"


def _keep_for_one_display(request, assessment, raw, sent_to=""):
    request.session[_session_key(assessment)] = {"raw": raw, "sent_to": sent_to}


@login_required
def team_list(request):
    team = _care_team(request, deny=PermissionDenied)
    team_assessments = Assessment.objects.visible_to(request.user).filter(team=team.pk)
    counts = dict(team_assessments.order_by().values_list("status").annotate(n=Count("id")))
    page = Paginator(team_assessments.select_related("patient").order_by("-created_at"), 50).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    audit_view_many(request, [(a.patient, a) for a in shown])
    context = {
        "page_title": "Holistic needs assessments",
        "team": team,
        "total": sum(counts.values()),
        "counts": status_counts(counts),
        "page": page,
        "rows": [AssessmentRow(a) for a in shown],
    }
    return render(request, "hna/staff/team_list.jinja", context)


@login_required
def set_up(request, patient_id):
    _care_team(request)
    patient = get_visible_or_404(Patient, request.user, pk=patient_id)
    form = SetUpForm(
        request.POST if request.method == "POST" else None,
        patient=patient,
        staff_role=assessments.default_staff_role(request.user),
    )
    if form.is_bound and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            result = assessments.set_up(actor=request.user, patient=patient, **kwargs)
        except ValidationError as exc:  # the service's own check of the patient's contact details
            form.add_error(None, exc)  # a dict of field errors goes to its fields
        else:
            if result.passcode:
                _keep_for_one_display(request, result.assessment, result.passcode, kwargs["send_by"])
                return redirect(f"/hna/assessments/{result.assessment.pk}/passcode/")
            messages.success(request, f"Recorded: {status_label(result.assessment).lower()}. No passcode was made.")
            return redirect(_review_url(result.assessment))
    audit_view(request, patient)
    context = {
        "page_title": "Set up a holistic needs assessment",
        "form": form,
        "patient": PatientPresenter(patient),
        "back_link": {"href": f"/patients/{patient.pk}/"},
        "submit_text": "Set up assessment",
    }
    return render(request, "hna/staff/set_up.jinja", context)


@login_required
def passcode(request, assessment_id):
    assessment = _assessment(request, assessment_id)
    kept = request.session.pop(_session_key(assessment), None) or {}
    live = assessment.passcodes.filter(purpose="assessment", revoked_at__isnull=True).first()
    raw = kept.get("raw", "")
    if raw and (live is None or live.digest != passcodes.digest(raw) or live.state != "live"):
        raw = ""  # reissued or closed since: this one no longer works, so it is not worth showing
    audit_view(request, assessment.patient, assessment)
    presenter = PasscodePresenter(
        assessment, raw, live, request.build_absolute_uri("/hna/start/"), kept.get("sent_to", "")
    )
    context = {
        "page_title": "Passcode for the patient" if raw else "The passcode is no longer shown",
        "p": presenter,
        "back_link": {"href": _review_url(assessment), "text": "Back to the assessment"},
    }
    return render(request, "hna/staff/passcode.jinja", context)


@login_required
@require_POST
def reissue(request, assessment_id):
    assessment = _assessment(request, assessment_id)
    try:
        raw = assessments.reissue_passcode(actor=request.user, assessment=assessment)
    except assessments.AssessmentClosed:
        if assessment.status in ANSWERED:
            text = "The patient has already sent this assessment, so it does not need a passcode."
        else:
            text = f"This assessment is closed ({status_label(assessment).lower()}), so it has no passcode."
        messages.warning(request, f"No passcode was reissued. {text}")
        return redirect(_review_url(assessment))
    _keep_for_one_display(request, assessment, raw)
    return redirect(f"/hna/assessments/{assessment.pk}/passcode/")


@login_required
@require_POST
def mark_reviewed(request, assessment_id):
    assessment = _assessment(request, assessment_id)
    try:
        assessments.mark_reviewed(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, "Assessment marked as reviewed.")
    return redirect(_review_url(assessment))


@login_required
def offer_outcome(request, assessment_id):
    assessment = _assessment(request, assessment_id)
    if not assessment.is_open_to_patient:
        messages.warning(request, f"This assessment is closed ({status_label(assessment).lower()}).")
        return redirect(_review_url(assessment))
    form = OfferOutcomeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            done = assessments.record_offer_outcome(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict of field errors goes to its fields
        else:
            messages.success(request, f"Recorded: {status_label(done).lower()}. The passcode no longer works.")
            return redirect(_review_url(assessment))
    audit_view(request, assessment.patient, assessment)
    context = {
        "page_title": "Record that the assessment is not going ahead",
        "form": form,
        "patient": PatientPresenter(assessment.patient),
        "back_link": {"href": _review_url(assessment), "text": "Back to the assessment"},
        "submit_text": "Record and close the assessment",
    }
    return render(request, "hna/staff/offer_outcome.jinja", context)


def _previous_submitted(user, assessment):
    """The patient's last HNA sent before this one (any team the user may see, any checklist)."""
    return (
        Assessment.objects.visible_to(user)
        .filter(patient=assessment.patient_id, status__in=ANSWERED, submitted_at__lt=assessment.submitted_at)
        .exclude(pk=assessment.pk)
        .order_by("-submitted_at")
        .first()
    )


@login_required
def review(request, assessment_id):
    assessment = _assessment(request, assessment_id)
    answers, previous, previous_answers = [], None, None
    if assessment.status in ANSWERED:
        answers = assessment.answers.select_related("item__category")
        previous = _previous_submitted(request.user, assessment)
        if previous is not None:
            previous_answers = previous.answers.select_related("item__category")
    latest_passcode = assessment.passcodes.filter(purpose="assessment").order_by("-created_at").first()
    plan = CarePlan.objects.visible_to(request.user).filter(assessment=assessment).order_by("-version").first()
    audit_view(request, assessment.patient, assessment)
    presenter = ReviewPresenter(assessment, answers, previous, previous_answers, latest_passcode, plan)
    context = {
        "page_title": f"Holistic needs assessment: {assessment.patient.full_name}",
        "r": presenter,
        "back_link": {"href": "/hna/", "text": "All assessments"},
    }
    return render(request, "hna/staff/review.jinja", context)
