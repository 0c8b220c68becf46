"""Staff follow-up pages that change things: stratify, amend, suspend or reactivate a pathway,
and add, move or cancel a test. Thin: the form reads the input, the service decides and keeps
the history; a refusal by the table is 404 (the record is not there for this user)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from followup.forms_path import AddTestForm, AmendForm, ReasonForm, StratifyForm, TestDateForm
from followup.models import OPEN_PATHWAY_STATUSES, Pathway, SurveillanceTest
from followup.path_queries import may_change
from followup.services import pathways
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view
from portal.people.models import Patient
from portal.people.presenters import PatientPresenter
from treatment_summaries.models import SummaryVersion

SIGNED = (SummaryVersion.Status.SIGNED_OFF, SummaryVersion.Status.SENT)


def _timeline(patient) -> str:
    return f"/follow-up/patients/{patient.pk}/"


def _form_page(request, form, patient, *, title, submit, template="followup/path/form.jinja", **extra):
    context = {
        "page_title": title,
        "title": title,
        "form": form,
        "patient": PatientPresenter(patient),
        "back_link": {"href": _timeline(patient)},
        "submit_text": submit,
        **extra,
    }
    return render(request, template, context)


def _try(form, service, **kwargs):
    """Run the service; its field-named refusals go on the form's fields (nothing was saved)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        form.add_error(None, exc)
    return None


def chosen_in_summary(user, patient, team):
    """The follow-up pathway the team's latest signed-off treatment summary chose, if any."""
    return (
        SummaryVersion.objects.visible_to(user)
        .filter(summary__patient=patient, summary__team=team.pk, status__in=SIGNED)
        .order_by("-signed_off_at")
        .first()
    )


@login_required
def stratify(request, patient_id):
    team = policy.care_team_of(request.user, RecordKind.FOLLOWUP_PATHWAY, "change")
    patient = get_visible_or_404(Patient, request.user, pk=patient_id)
    if team is None:
        raise Http404("Only the care team chooses a follow-up pathway")
    existing = (
        Pathway.objects.visible_to(request.user)
        .filter(patient=patient, team=team.pk, status__in=OPEN_PATHWAY_STATUSES)
        .first()
    )
    if existing is not None:
        messages.info(request, "This patient is already on a follow-up pathway with your team.")
        return redirect(_timeline(patient))
    form = StratifyForm(request.POST if request.method == "POST" else None, tumour_site=team.tumour_site)
    if form.is_bound and form.is_valid():
        kwargs = form.service_kwargs()
        made = _try(form, pathways.stratify, actor=request.user, patient=patient, team=team, **kwargs)
        if made is not None:
            messages.success(request, f"{patient.full_name} is on {made.get_kind_display().lower()} follow-up.")
            return redirect(_timeline(patient))
    summary = chosen_in_summary(request.user, patient, team)
    audit_view(request, patient, summary)
    return _form_page(
        request,
        form,
        patient,
        title="Choose a follow-up pathway",
        submit="Put on this pathway",
        template="followup/path/stratify.jinja",
        summary=summary,
    )


def _changeable_pathway(request, pathway_id) -> Pathway:
    pathway = get_visible_or_404(Pathway, request.user, pk=pathway_id)
    if not may_change(request.user, pathway):
        raise Http404("Only the pathway's care team changes it")
    return pathway


@login_required
def amend(request, pathway_id):
    pathway = _changeable_pathway(request, pathway_id)
    initial = {name: getattr(pathway, name) for name in pathways.AMENDABLE}
    initial["trigger_symptoms"] = "\n".join(pathway.trigger_symptoms)
    form = AmendForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        kwargs = form.service_kwargs()
        done = _try(form, pathways.amend, actor=request.user, pathway=pathway, **kwargs)
        if done is not None:
            messages.success(request, "The follow-up pathway was changed.")
            return redirect(_timeline(pathway.patient))
    audit_view(request, pathway.patient, pathway)
    return _form_page(request, form, pathway.patient, title="Change the follow-up pathway", submit="Save changes")


def _status_page(request, pathway_id, change, title, submit, done):
    pathway = _changeable_pathway(request, pathway_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if _try(form, change, actor=request.user, pathway=pathway, reason=form.cleaned_data["reason"]):
            messages.success(request, done)
            return redirect(_timeline(pathway.patient))
    audit_view(request, pathway.patient, pathway)
    return _form_page(request, form, pathway.patient, title=title, submit=submit)


@login_required
def suspend(request, pathway_id):
    return _status_page(
        request, pathway_id, pathways.suspend, "Suspend the follow-up pathway", "Suspend", "The pathway is suspended."
    )


@login_required
def reactivate(request, pathway_id):
    return _status_page(
        request,
        pathway_id,
        pathways.reactivate,
        "Reactivate the follow-up pathway",
        "Reactivate",
        "The pathway is active again.",
    )


@login_required
def add_test(request, pathway_id):
    pathway = _changeable_pathway(request, pathway_id)
    form = AddTestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        added = _try(
            form,
            pathways.add_test,
            actor=request.user,
            pathway=pathway,
            test_type=form.types[data["test_type"]],
            due_date=data["due_date"],
            reason=data["reason"],
        )
        if added is not None:
            messages.success(request, f"{added} was added.")
            return redirect(_timeline(pathway.patient))
    audit_view(request, pathway.patient, pathway)
    return _form_page(request, form, pathway.patient, title="Add a test", submit="Add test")


def _changeable_test(request, test_id) -> SurveillanceTest:
    test = get_visible_or_404(SurveillanceTest, request.user, pk=test_id)
    if not may_change(request.user, test.pathway):
        raise Http404("Only the pathway's care team changes its tests")
    return test


@login_required
def move_test(request, test_id):
    test = _changeable_test(request, test_id)
    form = TestDateForm(request.POST if request.method == "POST" else None, initial={"due_date": test.due_date})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        moved = _try(
            form, pathways.move_test, actor=request.user, test=test, due_date=data["due_date"], reason=data["reason"]
        )
        if moved is not None:
            messages.success(request, f"{test.test_type.name} moved.")
            return redirect(_timeline(test.pathway.patient))
    audit_view(request, test.pathway.patient, test)
    return _form_page(request, form, test.pathway.patient, title=f"Move {test}", submit="Move test")


@login_required
def cancel_test(request, test_id):
    test = _changeable_test(request, test_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        if _try(form, pathways.cancel_test, actor=request.user, test=test, reason=reason) is not None:
            messages.success(request, f"{test.test_type.name} cancelled.")
            return redirect(_timeline(test.pathway.patient))
    audit_view(request, test.pathway.patient, test)
    return _form_page(request, form, test.pathway.patient, title=f"Cancel {test}", submit="Cancel test")
