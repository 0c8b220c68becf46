"""The care team's triage of re-entry concerns (/follow-up/concerns/): the queue (red first, overdue
marked), a concern with its history and the rate, outcome and close forms, and raising a concern on a
patient's behalf after a phone call. Thin: the services check the actor and write the history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from followup import patient_forms as forms
from followup.models import Concern, Pathway
from followup.services import concerns
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view, audit_view_many
from portal.people.roles import role_in_use


def _staff_only(request):
    if request.role is None or not policy.may(request.user, RecordKind.CONCERN, "read"):
        raise Http404("No concerns here")


@login_required
@require_GET
def queue(request):
    _staff_only(request)
    rows = list(concerns.queue(request.user)[:200])
    audit_view_many(request, [(c.pathway.patient, c) for c in rows])
    now = timezone.now()
    context = {"page_title": "Concerns to triage", "rows": [(c, c.respond_by < now) for c in rows]}
    return render(request, "followup/concerns/queue.jinja", context)


def _concern_page(request, concern, **forms_given):
    audit_view(request, concern.pathway.patient, concern)
    context = {
        "page_title": f"Concern from {concern.pathway.patient}",
        "concern": concern,
        "overdue": concern.status != "closed" and concern.respond_by < timezone.now(),
        "changes": list(concern.changes.select_related("by")),
        "may_triage": _may_triage(request.user),
        "triage_form": forms_given.get("triage") or forms.TriageForm(initial={"rating": concern.rating or None}),
        "outcome_form": forms_given.get("outcome") or forms.OutcomeForm(initial={"outcome": concern.outcome or None}),
        "close_error": forms_given.get("close_error"),
        "back_link": {"href": reverse("followup:concern_queue")},
    }
    return render(request, "followup/concerns/concern.jinja", context, status=400 if forms_given else 200)


def _may_triage(user) -> bool:
    role = role_in_use(user)
    return role is not None and role.role in concerns.TRIAGE_ROLES


def _get(request, concern_id):
    _staff_only(request)
    return get_visible_or_404(Concern, request.user, pk=concern_id)


@login_required
@require_GET
def concern(request, concern_id):
    return _concern_page(request, _get(request, concern_id))


def _act(request, concern_id, form_class, name, act):
    """Run one triage step from its form; errors re-show the page with the form's message."""
    concern = _get(request, concern_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(concern, form.cleaned_data)
        except PermissionDenied:
            raise Http404("Only a CNS or clinician may triage a concern") from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Saved")
            return redirect("followup:concern", concern_id=concern.pk)
    return _concern_page(request, concern, **{name: form})


@login_required
@require_POST
def triage(request, concern_id):
    return _act(
        request, concern_id, forms.TriageForm, "triage",
        lambda c, data: concerns.triage(request.user, c, data["rating"], data["note"]),
    )  # fmt: skip


@login_required
@require_POST
def outcome(request, concern_id):
    return _act(
        request, concern_id, forms.OutcomeForm, "outcome",
        lambda c, data: concerns.record_outcome(request.user, c, data["outcome"], data["note"]),
    )  # fmt: skip


@login_required
@require_POST
def close(request, concern_id):
    concern = _get(request, concern_id)
    try:
        concerns.close(request.user, concern)
    except PermissionDenied:
        raise Http404("Only a CNS or clinician may close a concern") from None
    except ValidationError as exc:
        return _concern_page(request, concern, close_error=" ".join(exc.messages))
    messages.success(request, "Concern closed")
    return redirect("followup:concern", concern_id=concern.pk)


@login_required
@require_http_methods(["GET", "POST"])
def raise_on_behalf(request, pathway_id):
    """After a phone call: the patient's symptoms and words, typed in by the team."""
    _staff_only(request)
    pathway = get_visible_or_404(Pathway, request.user, pk=pathway_id)
    form = forms.OnBehalfForm(request.POST if request.method == "POST" else None, symptoms=pathway.trigger_symptoms)
    if request.method == "POST" and form.is_valid():
        try:
            made = concerns.raise_concern(
                request.user, pathway, form.cleaned_data["symptoms"], form.cleaned_data["details"], on_behalf=True
            )
        except PermissionDenied:
            raise Http404("Your role may not raise a concern for this patient") from None
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict's messages go to the fields they name
        else:
            messages.success(request, "Concern added to the triage queue")
            return redirect("followup:concern", concern_id=made.pk)
    audit_view(request, pathway.patient, pathway)
    context = {
        "page_title": "Raise a concern for the patient",
        "form": form,
        "patient": pathway.patient,
        "submit_text": "Add to the triage queue",
        "back_link": {"href": reverse("followup:concern_queue")},
    }
    return render(request, "followup/concerns/raise.jinja", context)
