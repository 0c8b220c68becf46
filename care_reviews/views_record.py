"""Recording an early contact or a cancer care review (issue 14 items 2 and 3). Beside the form,
what the hospital has shared about the patient: each app's newest record from the portal's hub
(treatment summary, care plan with its concerns, quality of life scores, follow-up), read through
the policy table, so the practice sees a care plan or a survey only where the patient agreed to
share it. Thin: services.reviews checks and saves; a refused save keeps everything typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from care_reviews.forms import ReviewForm
from care_reviews.models import Kind
from care_reviews.presenters import SLUGS
from care_reviews.services import reviews
from hna.models import CarePlan
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view_many
from portal.people import hub
from portal.people.models import Diagnosis
from portal.ui.presenters import format_date, format_nhs_number

KINDS = {slug: kind for kind, slug in SLUGS.items()}


def _alongside(patient, user) -> list[hub.Section]:
    """Each section's newest record only: the latest summary, plan and report, not their history."""
    sections = hub.patient_sections(patient, user)
    for section in sections:
        section.earlier = len(section.entries) - 1
        section.entries = section.entries[:1]
        section.actions = []  # starting a hospital record is not the practice's to do here
    return sections


def _plan_concerns(patient, user) -> list[str]:
    """The checklist codes of the newest care plan the practice may read: signposting is matched to them."""
    plan = CarePlan.objects.visible_to(user).filter(patient=patient).prefetch_related("items__concern_item").first()
    if plan is None:
        return []
    return [item.concern_item.code for item in plan.items.all() if item.concern_item is not None]


@login_required
def record(request, diagnosis_id, kind_slug):
    kind = KINDS.get(kind_slug)
    practice = policy.practice_of(request.user, RecordKind.CARE_REVIEW, "change")
    if kind is None or practice is None:
        raise Http404("Cancer care reviews are recorded by the patient's GP practice")
    diagnosis = get_visible_or_404(Diagnosis, request.user, pk=diagnosis_id)
    patient = diagnosis.patient
    if patient.registered_practice_id != practice.pk:
        raise Http404("This patient is not registered at your practice")
    concerns = _plan_concerns(patient, request.user)
    form = ReviewForm(request.POST or None, kind=kind, diagnosis=diagnosis, concern_codes=concerns)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = reviews.record_review(
                actor=request.user, diagnosis=diagnosis, kind=kind, outcome=data["outcome"],
                reviewed_on=data["reviewed_on"], reason=data["reason"], actions=form.actions(), **form.review_fields(),
            )  # fmt: skip
        except ValidationError as refused:
            for name, words in refused.message_dict.items():
                form.add_error(name if name in form.fields else None, words)
        else:
            messages.success(request, f"{review.get_kind_display().split(' (')[0]} saved for {patient.full_name}")
            return redirect("care_reviews:review", review_id=review.pk)
    sections = _alongside(patient, request.user)
    audit_view_many(request, hub.shown_records(patient, sections))
    title = "Early contact" if kind == Kind.EARLY_CONTACT else "Cancer care review"
    context = {
        "page_title": f"{title}: {patient.full_name}",
        "title": title,
        "patient": patient,
        "nhs_number": format_nhs_number(patient.nhs_number),
        "diagnosis": f"{diagnosis.get_tumour_site_display()}, diagnosed {format_date(diagnosis.date_of_diagnosis)}",
        "form": form,
        "sections": sections,
        "early": kind == Kind.EARLY_CONTACT,
    }
    return render(request, "care_reviews/record.jinja", context, status=400 if form.is_bound else 200)
