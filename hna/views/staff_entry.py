"""A professional enters an HNA for the patient (ADR 0053): one page with how it was completed and
every answer (the patient's own question forms, one per part, with a prefix each), then a page for
the scores of the ticked concerns, which sends it to the review. A page that fails keeps every
answer typed in (the forms are shown again bound to what was posted)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from hna import forms_patient
from hna.forms_staff import EntryForm
from hna.models import Assessment, ChecklistVersion, EntryMode
from hna.services import assessments, staff_entry
from hna.views.staff import _care_team, _review_url
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view
from portal.people.models import Patient
from portal.people.presenters import PatientPresenter


def _forms(data, patient, staff_role):
    """The entry form, a concerns form per checklist category, and the pages after the checklist."""
    version = ChecklistVersion.current()
    concern_forms = [
        forms_patient.ConcernsForm(data, category=category, prefix=f"concerns-{category.code}")
        for category in version.categories.order_by("position", "name")
    ]
    answer_forms = [cls(data, prefix=step) for step, cls in forms_patient.ANSWER_FORMS.items()]
    for form in [*concern_forms, *answer_forms]:
        for field in form.fields.values():  # one question per page there; here one page, one h1
            field.is_page_heading = False
            field.label_classes = "nhsuk-fieldset__legend--s"
    return EntryForm(data, patient=patient, staff_role=staff_role), concern_forms, answer_forms


@login_required
def enter(request, patient_id):
    _care_team(request)
    patient = get_visible_or_404(Patient, request.user, pk=patient_id)
    data = request.POST if request.method == "POST" else None
    entry, concern_forms, answer_forms = _forms(data, patient, assessments.default_staff_role(request.user))
    every = [entry, *concern_forms, *answer_forms]
    if data is not None and all([f.is_valid() for f in every]):  # a list: every form shows its errors
        answers = {}
        for form in answer_forms:
            answers.update(form.answers())
        ticks = {f.prefix.removeprefix("concerns-"): set(f.cleaned_data["concerns"]) for f in concern_forms}
        try:
            made = staff_entry.start_entry(
                actor=request.user, patient=patient, ticks=ticks, answers=answers, **entry.service_kwargs()
            )
        except ValidationError as exc:
            entry.add_error(None, exc)  # a dict of field errors goes to its fields
        else:
            return redirect("hna:enter_scores", assessment_id=made.pk)
    audit_view(request, patient)
    context = {
        "page_title": "Enter an assessment for the patient",
        "patient": PatientPresenter(patient),
        "entry": entry,
        "concern_forms": concern_forms,
        "answer_forms": answer_forms,
        "has_errors": any(f.errors for f in every),
        "error_forms": [f for f in every if f.errors],
        "back_link": {"href": f"/hna/patients/{patient.pk}/set-up/"},
    }
    return render(request, "hna/staff/enter.jinja", context)


@login_required
def enter_scores(request, assessment_id):
    _care_team(request)
    assessment = get_visible_or_404(Assessment, request.user, pk=assessment_id)
    if assessment.entry_mode == EntryMode.PATIENT_SELF or assessment.status != Assessment.Status.IN_PROGRESS:
        messages.warning(request, "This assessment is not one being entered by staff, so it cannot be changed here.")
        return redirect(_review_url(assessment))
    answers = sorted(
        assessment.answers.filter(ticked=True).select_related("item__category"),
        key=lambda a: (a.item.category.position, a.item.position, a.item.text),
    )
    form = forms_patient.ScoresForm(request.POST if request.method == "POST" else None, answers=answers)
    if form.is_bound and form.is_valid():
        try:
            staff_entry.enter_scores_and_send(actor=request.user, assessment=assessment, scores=form.scores())
        except ValidationError as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, "Assessment entered and sent to the review.")
            return redirect(_review_url(assessment))
    audit_view(request, assessment.patient, assessment)
    context = {
        "page_title": "Scores for the ticked concerns" if answers else "Send the assessment to the review",
        "patient": PatientPresenter(assessment.patient),
        "form": form,
        "mode": assessment.get_entry_mode_display(),
        "submit_text": "Send to the review",
    }
    return render(request, "hna/staff/enter_scores.jinja", context)
