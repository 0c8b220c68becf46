"""Care and support plan pages. Every view resolves the plan through CarePlan.objects.visible_to
(404 outside scope); only the patient's care team may change a plan, and only while it is a draft.
A refused save re-renders the form with what the person typed, so nothing is lost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hna import forms_plans as forms
from hna.models import Assessment, CarePlan
from hna.pdf import care_plan_pdf
from hna.presenters_plans import ItemPresenter, PlanPresenter
from hna.services import care_plans
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.models import Action
from portal.audit.services import audit_view, audit_view_many, record
from portal.people import hub
from portal.ui.pdf import pdf_response


def _is_care_team(request) -> bool:
    """Whether the user works on plans as their care team (edit pages), not as a reader."""
    return policy.care_team_of(request.user, RecordKind.CARE_PLAN, "change") is not None


def _plan(request, plan_id, *, for_editing=False) -> CarePlan:
    if for_editing and not _is_care_team(request):
        raise Http404("No care plan here")
    return get_visible_or_404(CarePlan, request.user, pk=plan_id)


def _presenter(request, plan) -> PlanPresenter:
    visible = CarePlan.objects.visible_to(request.user)
    return PlanPresenter(
        plan,
        editor=_is_care_team(request),
        patient_view=request.role is None,
        newer=visible.filter(previous=plan).first(),
        older=visible.filter(pk=plan.previous_id).first() if plan.previous_id else None,
    )


def _refuse_if_read_only(request, plan):
    """Edit pages of a locked or superseded plan send the reader back to the plan (GET only: a POST
    is re-rendered with its values and the refusal, by _save)."""
    if request.method == "GET" and plan.status != CarePlan.Status.DRAFT:
        messages.info(request, care_plans.LOCKED_MESSAGE)
        return redirect("hna:plan", plan_id=plan.pk)
    return None


def _save(request, plan, form, save) -> bool:
    """Call `save(seen_lock_version, cleaned_data)` for a valid POST. A refusal goes on the form (the
    person's values stay in it); after a conflict the form carries the version now stored."""
    if request.method != "POST":
        return False
    valid = form.is_valid()
    if plan.status != CarePlan.Status.DRAFT:
        form.add_error(None, care_plans.PlanLocked())
        return False
    if not valid:
        return False
    try:
        save(form.cleaned_data["lock_version"], form.cleaned_data)
    except care_plans.PlanChanged as exc:
        form.add_error(None, exc)
        plan.refresh_from_db()
        form.refresh_lock_version(plan.lock_version)
        return False
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def _changed(form) -> bool:
    """The save was refused because someone else saved first."""
    return form.has_error(NON_FIELD_ERRORS, code="changed")


def _edit_page(request, plan, form, context):
    audit_view(request, plan.patient, plan)
    context = {
        "form": form,
        "plan": _presenter(request, plan),
        "back_link": {"href": PlanPresenter(plan).url()},
        "submit_text": "Save",
        **context,
    }
    return render(request, "hna/plans/edit.jinja", context)


@login_required
@require_POST
def start_plan(request, assessment_id):
    if not _is_care_team(request):
        raise Http404("No assessment here")
    assessment = get_visible_or_404(Assessment, request.user, pk=assessment_id)
    try:
        plan = care_plans.start_plan(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"/hna/assessments/{assessment.pk}/")
    return redirect("hna:plan", plan_id=plan.pk)


@login_required
@require_GET
def plan_detail(request, plan_id):
    plan = _plan(request, plan_id)
    presenter = _presenter(request, plan)
    # What other apps show beside the plan (portal.people.hub; the survey's scores over time).
    beside = [] if presenter.patient_view else hub.care_plan_sections(plan.patient, request.user)
    audit_view_many(request, [(plan.patient, plan), *hub.shown_records(plan.patient, beside)[1:]])
    back = f"/hna/assessments/{plan.assessment_id}/" if presenter.editor else ""
    context = {
        "page_title": f"{presenter.heading}, {presenter.version.lower()}",
        "plan": presenter,
        "lock_form": forms.LockVersionForm(
            initial={
                "lock_version": plan.lock_version,
                "cosd_staff_role": care_plans.lock_staff_role(request.user, plan),
            }
        ),
        "back_link": {"href": back or "/hna/my-plans/"} if back or presenter.patient_view else None,
        "beside": beside,
    }
    template = "hna/plans/plan_patient.jinja" if presenter.patient_view else "hna/plans/plan.jinja"
    return render(request, template, context)


@login_required
def plan_item(request, plan_id, item_id):
    plan = _plan(request, plan_id, for_editing=True)
    item = plan.items.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such concern in this plan")
    if refused := _refuse_if_read_only(request, plan):
        return refused
    initial = {name: getattr(item, name) for name in care_plans.ITEM_FIELDS} | {"lock_version": plan.lock_version}
    code = item.concern_item.code if item.concern_item_id else ""
    form = forms.ItemForm(request.POST if request.method == "POST" else None, initial=initial, concern_code=code)

    def save(seen, _data):
        care_plans.update_item(actor=request.user, item=item, seen_lock_version=seen, **form.item_fields())

    if _save(request, plan, form, save):
        messages.success(request, f"Plan for “{item.concern}” saved")
        return redirect("hna:plan", plan_id=plan.pk)
    saved = None
    if _changed(form):
        item.refresh_from_db()
        saved = ItemPresenter(item).rows()
    context = {"page_title": item.concern, "caption": item.category, "heading": item.concern, "saved_rows": saved}
    return _edit_page(request, plan, form, context)


@login_required
def add_concern(request, plan_id):
    plan = _plan(request, plan_id, for_editing=True)
    if refused := _refuse_if_read_only(request, plan):
        return refused
    data = request.POST if request.method == "POST" else None
    form = forms.AddConcernForm(data, plan=plan, initial={"lock_version": plan.lock_version})

    def save(seen, data):
        care_plans.add_concern(
            actor=request.user,
            plan=plan,
            seen_lock_version=seen,
            concern_item=data["concern_item"],
            concern=data.get("concern", ""),
        )

    if _save(request, plan, form, save):
        messages.success(request, "Concern added to the plan")
        return redirect("hna:plan", plan_id=plan.pk)
    context = {"page_title": "Add a concern", "heading": "Add a concern", "intro": "One the patient did not tick."}
    return _edit_page(request, plan, form, context)


@login_required
def plan_summary(request, plan_id):
    plan = _plan(request, plan_id, for_editing=True)
    if refused := _refuse_if_read_only(request, plan):
        return refused
    data = request.POST if request.method == "POST" else None
    form = forms.SummaryForm(data, initial={"summary": plan.summary, "lock_version": plan.lock_version})

    def save(seen, data):
        care_plans.update_summary(actor=request.user, plan=plan, seen_lock_version=seen, summary=data["summary"])

    if _save(request, plan, form, save):
        messages.success(request, "Summary saved")
        return redirect("hna:plan", plan_id=plan.pk)
    saved = _presenter(request, plan).summary_rows() if _changed(form) else None
    return _edit_page(request, plan, form, {"page_title": "Summary of the conversation", "saved_rows": saved})


@login_required
def plan_sharing(request, plan_id):
    plan = _plan(request, plan_id, for_editing=True)
    if refused := _refuse_if_read_only(request, plan):
        return refused
    data = request.POST if request.method == "POST" else None
    initial = {"shared_with_gp": "yes" if plan.shared_with_gp else "no", "lock_version": plan.lock_version}
    form = forms.SharingForm(data, initial=initial)

    def save(seen, data):
        shared = data["shared_with_gp"] == "yes"
        care_plans.set_sharing(actor=request.user, plan=plan, seen_lock_version=seen, shared_with_gp=shared)

    if _save(request, plan, form, save):
        messages.success(request, "Sharing with the GP practice saved")
        return redirect("hna:plan", plan_id=plan.pk)
    saved = _presenter(request, plan).sharing_rows() if _changed(form) else None
    return _edit_page(request, plan, form, {"page_title": "Sharing with the GP practice", "saved_rows": saved})


@login_required
@require_POST
def lock_plan(request, plan_id):
    plan = _plan(request, plan_id, for_editing=True)
    form = forms.LockVersionForm(request.POST)
    if not form.is_valid():
        role_errors = form.errors.get("cosd_staff_role")
        messages.error(
            request, f"Your professional role: {role_errors[0]}" if role_errors else "Reload the plan and try again"
        )
        return redirect("hna:plan", plan_id=plan.pk)
    seen, role = form.cleaned_data["lock_version"], form.cleaned_data["cosd_staff_role"]
    try:
        care_plans.lock(
            actor=request.user,
            plan=plan,
            seen_lock_version=seen,
            confirm_blank=form.cleaned_data["confirm_blank"],
            staff_role_code=role,
        )
    except care_plans.BlankConcerns as blank:
        return _confirm_lock(request, plan, seen, blank.concerns, role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Plan agreed and locked")
    return redirect("hna:plan", plan_id=plan.pk)


def _confirm_lock(request, plan, seen_lock_version, blanks, staff_role_code=""):
    """Locking with concerns blank needs a second, informed click (ADR 0022): the page names them and
    posts back the version that was checked, so an edit made meanwhile is refused, not locked."""
    audit_view(request, plan.patient, plan)
    presenter = _presenter(request, plan)
    context = {
        "page_title": "Agree and lock the plan with concerns blank?",
        "plan": presenter,
        "blanks": blanks,
        "lock_version": seen_lock_version,
        "cosd_staff_role": staff_role_code,
        "back_link": {"href": presenter.url()},
    }
    return render(request, "hna/plans/lock_confirm.jinja", context)


@login_required
@require_POST
def unlock_plan(request, plan_id):
    plan = _plan(request, plan_id, for_editing=True)
    try:
        new = care_plans.unlock_to_amend(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("hna:plan", plan_id=plan.pk)
    messages.success(request, f"Version {new.version} is a draft: make your changes, then agree and lock it")
    return redirect("hna:plan", plan_id=new.pk)


@login_required
@require_GET
def plan_pdf(request, plan_id):
    plan = _plan(request, plan_id)
    presenter = _presenter(request, plan)
    content = care_plan_pdf(presenter)
    record(Action.EXPORT, request=request, patient=plan.patient, obj=plan)
    return pdf_response(content, presenter.filename)


@login_required
@require_GET
def my_plans(request):
    patient = getattr(request.user, "patient", None)
    if request.role is not None or patient is None:
        raise Http404("No plans here")
    plans = list(
        CarePlan.objects.visible_to(request.user)
        .filter(patient=patient)
        .select_related("team", "assessment", "next_version")
        .order_by("-locked_at")
    )
    audit_view_many(request, [(patient, plan) for plan in plans])
    current = [p for p in plans if p.status == CarePlan.Status.LOCKED]
    # While a plan is being amended, its last agreed version is still the patient's plan.
    current += [
        p for p in plans if p.status == CarePlan.Status.SUPERSEDED and p.next_version.status == CarePlan.Status.DRAFT
    ]
    earlier = [p for p in plans if p not in current]
    context = {
        "page_title": "Your care and support plans",
        "current": [PlanPresenter(p, patient_view=True) for p in current],
        "earlier": [PlanPresenter(p, patient_view=True) for p in earlier],
        "back_link": {"href": "/"},
    }
    return render(request, "hna/plans/my_plans.jinja", context)
