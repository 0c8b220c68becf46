"""Edit pages of a treatment summary's draft, one section per page, plus its treatments and its
actions for the GP. A refused save (someone else saved first, or the version was signed off)
re-renders the form with what the person typed and the reason, so nothing is lost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.audit.services import audit_view
from treatment_summaries import forms_staff as forms
from treatment_summaries import surveillance
from treatment_summaries.models import SummaryVersion
from treatment_summaries.presenters import SECTION_FIELDS, SummaryPresenter
from treatment_summaries.services import summaries
from treatment_summaries.views.staff import get_summary, latest_version

LOCKED_MESSAGE = "This version is signed off and cannot be changed. Amend the summary instead."


def _draft(request, summary_id):
    summary = get_summary(request, summary_id)
    return summary, latest_version(summary)


def _refuse_if_read_only(request, version):
    """GET of an edit page for a signed-off version goes back to the summary (a POST is re-rendered
    with its values and the refusal, by _save)."""
    if request.method == "GET" and version.status != SummaryVersion.Status.DRAFT:
        messages.info(request, LOCKED_MESSAGE)
        return redirect("treatment_summaries:summary", summary_id=version.summary_id)
    return None


def _initial(version, **values) -> dict:
    return {"lock_version": version.lock_version, "version_number": version.number, **values}


def _save(request, version, form, save) -> bool:
    """Call `save(seen_lock_version)` for a valid POST; put any refusal on the form."""
    if request.method != "POST":
        return False
    valid = form.is_valid()
    # A form drawn from an earlier version (since signed off or amended) must not land on a newer draft.
    other_version = valid and form.cleaned_data["version_number"] != version.number
    if version.status != SummaryVersion.Status.DRAFT or other_version:
        form.add_error(None, summaries.VersionLocked(LOCKED_MESSAGE))
        return False
    if not valid:
        return False
    try:
        save(form.cleaned_data["lock_version"])
    except summaries.StaleEdit as exc:
        form.add_error(None, ValidationError(" ".join(exc.messages), code="stale"))
        version.refresh_from_db()
        form.refresh_lock_version(version.lock_version)
        return False
    except ValidationError as exc:  # VersionLocked, or a field the service refused
        form.add_error(None, exc)
        return False
    return True


def _page(request, summary, version, form, template="treatment_summaries/staff/edit.jinja", **context):
    audit_view(request, summary.patient, version)
    context = {
        "form": form,
        "s": SummaryPresenter(version, editor=True),
        "back_link": {"href": SummaryPresenter(version).url(), "text": "Back to the summary"},
        "submit_text": "Save",
        **context,
    }
    return render(request, template, context)


def _stale(form) -> bool:
    return form.has_error(NON_FIELD_ERRORS, code="stale")


@login_required
def edit_section(request, summary_id, section):
    title, form_class = forms.SECTIONS[section]
    summary, version = _draft(request, summary_id)
    if refused := _refuse_if_read_only(request, version):
        return refused
    initial = _initial(version, **{name: getattr(version, name) for name in SECTION_FIELDS[section]})
    extra = {"version": version} if section == "effects" else {}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial, **extra)
    plan = surveillance.live_plan(version, request.user) if section == "plan" else None
    if plan and plan["rows"]:
        form.beside_tests()

    def save(seen):
        if section == "effects":
            with transaction.atomic():  # the ticks and the free text together, or neither
                ids = form.option_ids()
                summaries.set_side_effects(actor=request.user, version=version, seen_lock_version=seen, option_ids=ids)
                summaries.update(actor=request.user, version=version, seen_lock_version=seen + 1, **form.values())
        else:
            summaries.update(actor=request.user, version=version, seen_lock_version=seen, **form.values())

    if _save(request, version, form, save):
        messages.success(request, f"{title} saved")
        return redirect("treatment_summaries:summary", summary_id=summary.pk)
    saved = SummaryPresenter(version).section_rows(section) if _stale(form) else None
    no_ticks = section == "effects" and not form.tick_fields
    intro = "Add the treatments given first: the tick lists follow the types of treatment." if no_ticks else ""
    return _page(
        request, summary, version, form, page_title=title, heading=title, saved_rows=saved, intro=intro,
        plan=plan, plan_tests=surveillance.lines(plan, signed=False),
    )  # fmt: skip


def _list_page(request, summary, version, form, *, title, items, noun):
    return _page(
        request,
        summary,
        version,
        form,
        template="treatment_summaries/staff/items.jinja",
        page_title=title,
        heading=title,
        items=items,
        noun=noun,
        submit_text=f"Add {noun}",
    )


@login_required
def treatments(request, summary_id):
    summary, version = _draft(request, summary_id)
    if refused := _refuse_if_read_only(request, version):
        return refused
    form = forms.TreatmentForm(request.POST if request.method == "POST" else None, initial=_initial(version))

    def save(seen):
        data = form.cleaned_data
        summaries.add_treatment(
            actor=request.user,
            version=version,
            seen_lock_version=seen,
            treatment_type=data["treatment_type"],
            description=data["description"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )

    if _save(request, version, form, save):
        messages.success(request, "Treatment added")
        return redirect("treatment_summaries:treatments", summary_id=summary.pk)
    presenter = SummaryPresenter(version)
    items = [
        {"text": text, "remove": f"{presenter.url('treatments')}{t.pk}/remove/"}
        for t, text in zip(version.treatments.all(), presenter.treatments(), strict=True)
    ]
    return _list_page(request, summary, version, form, title="Treatment given", items=items, noun="a treatment")


@login_required
def gp_actions(request, summary_id):
    summary, version = _draft(request, summary_id)
    if refused := _refuse_if_read_only(request, version):
        return refused
    form = forms.GPActionForm(request.POST if request.method == "POST" else None, initial=_initial(version))

    def save(seen):
        summaries.add_gp_action(
            actor=request.user,
            version=version,
            seen_lock_version=seen,
            text=form.cleaned_data["text"],
            option=form.chosen_option(),
        )

    if _save(request, version, form, save):
        messages.success(request, "Action for the GP added")
        return redirect("treatment_summaries:gp_actions", summary_id=summary.pk)
    url = SummaryPresenter(version).url("gp_actions")
    items = [{"text": a.text, "remove": f"{url}{a.pk}/remove/"} for a in version.gp_actions.all()]
    return _list_page(request, summary, version, form, title="Actions for the GP", items=items, noun="an action")


def _remove(request, summary_id, related, item_id, remove, back, done):
    summary, version = _draft(request, summary_id)
    item = getattr(version, related).filter(pk=item_id).first()
    if item is None:  # not in this summary's current version
        raise Http404("Nothing to remove here")
    try:
        remove(item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("treatment_summaries:summary", summary_id=summary.pk)
    messages.success(request, done)
    return redirect(back, summary_id=summary.pk)


@login_required
@require_POST
def remove_treatment(request, summary_id, treatment_id):
    def remove(treatment):
        summaries.remove_treatment(actor=request.user, treatment=treatment)

    return _remove(request, summary_id, "treatments", treatment_id, remove, "treatment_summaries:treatments",
                   "Treatment removed")  # fmt: skip


@login_required
@require_POST
def remove_gp_action(request, summary_id, gp_action_id):
    def remove(action):
        summaries.remove_gp_action(actor=request.user, action=action)

    return _remove(request, summary_id, "gp_actions", gp_action_id, remove, "treatment_summaries:gp_actions",
                   "Action for the GP removed")  # fmt: skip
