"""Staff pages for treatment summaries: the team list, starting one, the summary and its versions,
sign-off, sending, amending and the stored PDF. Edit pages are in views.staff_edit. Every page is
for the care team (the PDF also for whoever may see the version); records outside scope are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.models import Action
from portal.audit.services import audit_view, audit_view_many, record
from portal.people.models import Diagnosis, Patient
from portal.people.presenters import PatientPresenter
from portal.ui.pdf import pdf_response
from portal.ui.presenters import format_date
from treatment_summaries import surveillance
from treatment_summaries.forms_staff import AmendForm, StartForm
from treatment_summaries.models import SummaryVersion, TreatmentSummary
from treatment_summaries.pdf import render_summary
from treatment_summaries.presenters import (
    CHANNEL_WORDS,
    FIELD_SECTION,
    STATUS_TAG,
    SummaryPresenter,
    VersionRow,
    field_anchor,
    section_url,
)
from treatment_summaries.services import inbox, summaries


def care_team(request, deny=Http404):
    """These are the care team's pages (the practice reads summaries in its inbox, the patient in My care)."""
    team = policy.care_team_of(request.user, RecordKind.SUMMARY, "read")
    if team is None:
        raise deny("Only the care team can use treatment summary pages")
    return team


def get_summary(request, summary_id) -> TreatmentSummary:
    care_team(request)
    return get_visible_or_404(TreatmentSummary, request.user, pk=summary_id)


def latest_version(summary) -> SummaryVersion:
    """The newest version: the draft while there is one, else the last signed off or sent."""
    return summary.versions.select_related("summary__patient", "summary__team", "signed_off_by").first()


def _presenter(version, user, *, newer=None) -> SummaryPresenter:
    deliveries = inbox.delivery_status(version) if version.sent_at else []
    # A draft shows the follow-up tests as they are now; a signed-off version those it was signed with.
    plan = surveillance.live_plan(version, user) if version.status == SummaryVersion.Status.DRAFT else None
    return SummaryPresenter(version, editor=True, deliveries=deliveries, newer=newer, live_plan=plan)


@login_required
@require_GET
def team_list(request):
    team = care_team(request, deny=PermissionDenied)
    latest = SummaryVersion.objects.visible_to(request.user).filter(summary=OuterRef("pk")).order_by("-number")
    team_summaries = (
        TreatmentSummary.objects.visible_to(request.user)
        .filter(team=team.pk)
        .annotate(status=Subquery(latest.values("status")[:1]), number=Subquery(latest.values("number")[:1]))
    )
    counts = dict(team_summaries.order_by().values_list("status").annotate(n=Count("id")))
    page = Paginator(team_summaries.select_related("patient").order_by("-updated_at"), 50).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    audit_view_many(request, [(s.patient, s) for s in shown])
    rows = [
        {
            "url": reverse("treatment_summaries:summary", kwargs={"summary_id": s.pk}),
            "patient_name": s.patient.full_name,
            "nhs_number": PatientPresenter(s.patient).nhs_number,
            "status": SummaryVersion.Status(s.status).label,
            "status_class": STATUS_TAG[s.status],
            "amended": s.number > 1,
            "version": s.number,
            "started": format_date(timezone.localtime(s.created_at).date()),
        }
        for s in shown
    ]
    context = {
        "page_title": "Treatment summaries",
        "team": team,
        "total": sum(counts.values()),
        "counts": [
            {"label": label, "count": counts[value], "class": STATUS_TAG[value]}
            for value, label in SummaryVersion.Status.choices
            if counts.get(value)
        ],
        "page": page,
        "rows": rows,
    }
    return render(request, "treatment_summaries/staff/team_list.jinja", context)


@login_required
def start(request, patient_id):
    care_team(request)
    patient = get_visible_or_404(Patient, request.user, pk=patient_id)
    diagnoses = list(Diagnosis.objects.visible_to(request.user).filter(patient=patient))
    form = (
        StartForm(request.POST if request.method == "POST" else None, diagnoses=diagnoses)
        if len(diagnoses) > 1
        else None
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        diagnosis = form.chosen() if form else (diagnoses[0] if diagnoses else None)
        version = summaries.start(actor=request.user, patient=patient, diagnosis=diagnosis)
        messages.success(
            request, "Treatment summary started. Fill in each section, then ask a clinician to sign it off."
        )
        return redirect("treatment_summaries:summary", summary_id=version.summary_id)
    audit_view(request, patient)
    context = {
        "page_title": "Write a treatment summary",
        "form": form,
        "patient": PatientPresenter(patient),
        "diagnosis": diagnoses[0] if len(diagnoses) == 1 else None,
        "back_link": {"href": f"/patients/{patient.pk}/"},
        "submit_text": "Start the summary",
    }
    return render(request, "treatment_summaries/staff/start.jinja", context)


@login_required
@require_GET
def summary_detail(request, summary_id):
    summary = get_summary(request, summary_id)
    versions = list(summary.versions.select_related("summary__patient", "summary__team", "signed_off_by"))
    current = versions[0]
    audit_view(request, summary.patient, current)
    context = {
        "page_title": f"Treatment summary for {summary.patient.full_name}",
        "s": _presenter(current, request.user),
        "history": [VersionRow(v, current=v is current) for v in versions],
        "sent": next(
            (_presenter(v, request.user) for v in versions[1:] if v.status == SummaryVersion.Status.SENT), None
        ),
        "back_link": {"href": reverse("treatment_summaries:team_list"), "text": "All treatment summaries"},
    }
    return render(request, "treatment_summaries/staff/summary.jinja", context)


@login_required
@require_GET
def version_detail(request, summary_id, version_id):
    summary = get_summary(request, summary_id)
    version = get_visible_or_404(SummaryVersion, request.user, pk=version_id, summary=summary)
    newer = summary.versions.filter(number__gt=version.number).order_by("number").first()
    audit_view(request, summary.patient, version)
    presenter = _presenter(version, request.user, newer=newer)
    presenter.editor = False  # an earlier version is read-only, whatever its state
    context = {
        "page_title": f"Treatment summary, version {version.number}",
        "s": presenter,
        "back_link": {"href": presenter.url(), "text": "Back to the summary"},
    }
    return render(request, "treatment_summaries/staff/version.jinja", context)


@login_required
def sign_off(request, summary_id):
    summary = get_summary(request, summary_id)
    version = latest_version(summary)
    if version.status != SummaryVersion.Status.DRAFT:
        messages.info(request, "This version is already signed off.")
        return redirect("treatment_summaries:summary", summary_id=summary.pk)
    plan = surveillance.live_plan(version, request.user)
    missing = summaries.missing_for_sign_off(version, plan)
    # The trust's setting decides which roles sign; the service checks it again when it signs.
    may_sign = request.role.role in summaries.sign_off_roles(summary.team)
    refusal = "" if may_sign else summaries.sign_off_refusal(request.role.role, summary.team)
    if request.method == "POST":
        if not may_sign:
            context = {"page_title": "You cannot sign off this treatment summary", "refusal": refusal}
            return render(request, "treatment_summaries/staff/not_clinician.jinja", context, status=403)
        if not missing:
            try:
                summaries.sign_off(actor=request.user, version=version, render_pdf=render_summary)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Version {version.number} signed off. It is ready to send.")
                return redirect("treatment_summaries:summary", summary_id=summary.pk)
    audit_view(request, summary.patient, version)
    context = {
        "page_title": "Check and sign off the treatment summary",
        "s": SummaryPresenter(version, live_plan=plan),
        "missing": [
            {
                "text": message,
                "href": f"{section_url(summary.pk, FIELD_SECTION.get(name, 'diagnosis'))}#{field_anchor(name)}",
            }
            for name, message in missing
        ],
        "may_sign": may_sign,
        "refusal": refusal,
        "back_link": {"href": reverse("treatment_summaries:summary", kwargs={"summary_id": summary.pk})},
    }
    return render(request, "treatment_summaries/staff/sign_off.jinja", context, status=200)


@login_required
@require_POST
def send(request, summary_id):
    summary = get_summary(request, summary_id)
    version = latest_version(summary)
    try:
        version = summaries.send(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("treatment_summaries:summary", summary_id=summary.pk)
    practice = summary.patient.registered_practice
    copy = version.patient_copy
    to_patient = f"the patient by {CHANNEL_WORDS.get(copy.channel, copy.channel)}"
    if practice is not None:
        messages.success(request, f"Sent to {practice.name} and to {to_patient}")
    else:
        messages.success(request, f"Sent to {to_patient}. The patient has no registered GP practice.")
    return redirect("treatment_summaries:summary", summary_id=summary.pk)


@login_required
def amend(request, summary_id):
    summary = get_summary(request, summary_id)
    version = latest_version(summary)
    if version.status != SummaryVersion.Status.SENT:
        messages.info(request, "Only the sent version of a summary can be amended.")
        return redirect("treatment_summaries:summary", summary_id=summary.pk)
    form = AmendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = summaries.amend(actor=request.user, version=version, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Version {draft.number} is an amended draft: make your changes, then sign it off"
            )
            return redirect("treatment_summaries:summary", summary_id=summary.pk)
    audit_view(request, summary.patient, version)
    context = {
        "page_title": "Amend the treatment summary",
        "form": form,
        "s": SummaryPresenter(version),
        "submit_text": "Start the amendment",
        "back_link": {"href": reverse("treatment_summaries:summary", kwargs={"summary_id": summary.pk})},
    }
    return render(request, "treatment_summaries/staff/amend.jinja", context)


@login_required
@require_GET
def version_pdf(request, version_id):
    """The PDF stored at sign-off, never rendered again (its hash is on the version)."""
    version = get_visible_or_404(SummaryVersion, request.user, pk=version_id)
    if version.status == SummaryVersion.Status.DRAFT or not version.pdf:
        raise Http404("This version has no PDF until it is signed off")
    record(Action.EXPORT, request=request, patient=version.summary.patient, obj=version)
    return pdf_response(bytes(version.pdf), SummaryPresenter(version).filename)
