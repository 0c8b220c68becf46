from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_changeable_or_404, get_visible_or_404
from portal.audit.services import audit_view, audit_view_many
from portal.people import hub, support
from portal.people.forms_support import SupportForm
from portal.people.models import Diagnosis, Patient
from portal.people.presenters import PatientPresenter
from portal.people.roles import switch_role
from portal.people.services import search_patients
from portal.ui import forms as nhs
from portal.ui.presenters import pagination


class ChooseRoleForm(forms.Form):
    role = nhs.ChoiceField(label="Which role are you using?", is_page_heading=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        assignments = user.role_assignments.select_related("organisation", "team")
        self.fields["role"].choices = [(str(a.pk), str(a)) for a in assignments]
        self.fields["role"].error_messages["required"] = "Select the role you want to use"
        self.fields["role"].error_messages["invalid_choice"] = "Select one of your roles"


@login_required
def choose_role(request):
    form = ChooseRoleForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"role": str(request.role.pk) if request.role else None},
    )
    if request.method == "POST" and form.is_valid():
        assignment = switch_role(request.user, form.cleaned_data["role"])
        messages.success(request, f"You are now using your role: {assignment}")
        return redirect("home")
    context = {"form": form, "page_title": "Which role are you using?", "back_link": {"href": "/"}}
    return render(request, "people/choose_role.jinja", context)


class PatientSearchForm(forms.Form):
    q = nhs.CharField(
        label="Search by name or NHS number",
        required=False,
        max_length=100,
        spellcheck=False,
        hint="For example, Smith or 943 476 5919",
    )


def _staff_only(request):
    # Staff pages: a patient reads their own record in My care, not here; a role the policy table
    # gives no patients (service admin, auditor) has nothing to find here either.
    if request.role is None or not policy.may(request.user, RecordKind.PATIENT, "read"):
        raise Http404("No patient records here")


@login_required
def patient_list(request):
    _staff_only(request)
    form = PatientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(search_patients(request.user, query), 50).get_page(request.GET.get("page"))
    patients = list(page.object_list)
    audit_view_many(request, [(p, None) for p in patients])
    context = {
        "page_title": "Patients",
        "form": form,
        "query": query,
        "page": page,
        "patients": [PatientPresenter(p) for p in patients],
        "pagination": pagination(page, request.GET),
    }
    return render(request, "people/patient_list.jinja", context)


@login_required
def patient_detail(request, patient_id):
    """The hub: the patient's details, then every app's records about them (portal.people.hub)."""
    _staff_only(request)
    patient = get_visible_or_404(Patient, request.user, pk=patient_id)
    diagnoses = Diagnosis.objects.visible_to(request.user).filter(patient=patient)
    sections = hub.patient_sections(patient, request.user)
    audit_view_many(request, hub.shown_records(patient, sections))
    may_change = policy.may(request.user, RecordKind.PATIENT, "change")
    context = {
        "page_title": patient.full_name,
        "patient": PatientPresenter(patient, diagnoses),
        "sections": sections,
        "support_url": f"/patients/{patient.pk}/support/" if may_change else "",
        "back_link": {"href": "/patients/"},
    }
    return render(request, "people/patient_detail.jinja", context)


@login_required
def patient_support(request, patient_id):
    """Communication needs and carer: one form, kept on the patient for every app (ADR 0052)."""
    _staff_only(request)
    patient = get_changeable_or_404(Patient, request.user, pk=patient_id)
    form = SupportForm(request.POST or None, initial=SupportForm.initial_from(patient))
    if request.method != "POST":
        audit_view(request, patient)
    elif form.is_valid():
        support.update_support(request.user, patient, form.cleaned_data, request=request)
        messages.success(request, "Communication needs and carer saved")
        return redirect("patient_detail", patient_id=patient.pk)
    context = {
        "page_title": "Communication needs and carer",
        "form": form,
        "patient": PatientPresenter(patient),
        "submit_text": "Save",
        "back_link": {"href": f"/patients/{patient.pk}/"},
    }
    return render(request, "people/patient_support.jinja", context)
