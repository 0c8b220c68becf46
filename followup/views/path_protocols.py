"""Follow-up protocols in the portal (issue 11, item 1): every member of staff may read them (they
are reference data, no patient in them); a service admin makes a draft, edits its steps and
publishes it. Actions post to the page they are on, with the step in the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from followup.forms_path import StepForm
from followup.models import Protocol, ProtocolStep, ProtocolVersion, VersionStatus
from followup.services import protocols
from portal.access import policy


def _staff(request):
    if policy.role_name(request.user) in (None, policy.PATIENT):
        raise Http404("Follow-up protocols are for staff")


def _version_url(version) -> str:
    return f"/follow-up/protocols/{version.pk}/"


@login_required
def protocol_list(request):
    _staff(request)
    admin = protocols.is_protocol_admin(request.user)
    if request.method == "POST" and admin:
        protocol = Protocol.objects.filter(slug=request.POST.get("protocol", "")).first()
        if protocol is None:
            raise Http404("No such protocol")
        return redirect(_version_url(protocols.make_draft(actor=request.user, protocol=protocol)))
    rows = [
        {
            "protocol": p,
            "published": next((v for v in p.versions.all() if v.status == VersionStatus.PUBLISHED), None),
            "draft": next((v for v in p.versions.all() if v.status == VersionStatus.DRAFT), None),
        }
        for p in Protocol.objects.select_related("team").prefetch_related("versions").order_by("tumour_site", "name")
    ]
    return render(
        request, "followup/path/protocols.jinja", {"page_title": "Follow-up protocols", "rows": rows, "admin": admin}
    )


def _step_initial(step) -> dict:
    return {
        "test_type": str(step.test_type_id),
        "start_months": step.start_months,
        "every_months": step.every_months,
        "until_months": step.until_months,
        "with_checkin": step.with_checkin,
    }


def _post(request, version, bound):
    """One action on a draft; returns a redirect, or None with the failing form in `bound`."""
    action = request.POST.get("action")
    step = None
    if request.POST.get("step"):
        step = ProtocolStep.objects.filter(pk=request.POST["step"], version=version).first()
        if step is None:
            raise Http404("No such step in this draft")
    try:
        if action == "publish":
            protocols.publish(actor=request.user, version=version)
            messages.success(request, f"Version {version.number} is published; the one before it is retired.")
            return redirect(_version_url(version))
        if action == "remove" and step is not None:
            protocols.remove_step(actor=request.user, version=version, step=step)
            return redirect(_version_url(version))
        if action == "save":
            form = StepForm(request.POST, prefix=str(step.pk) if step else "new")
            bound["form"], bound["step"] = form, step
            if form.is_valid():
                protocols.save_step(actor=request.user, version=version, step=step, **form.service_kwargs())
                messages.success(request, "The step was saved.")
                return redirect(_version_url(version))
            return None
    except ValidationError as exc:
        if "form" in bound:
            bound["form"].add_error(None, exc)
        else:
            bound["error"] = "; ".join(
                m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms
            )
        return None
    raise Http404("No such action")


@login_required
def version_page(request, protocol_version_id):
    _staff(request)
    version = ProtocolVersion.objects.select_related("protocol").filter(pk=protocol_version_id).first()
    if version is None:
        raise Http404("No such protocol version")
    editable = version.status == VersionStatus.DRAFT and protocols.is_protocol_admin(request.user)
    bound = {}
    if request.method == "POST":
        if not editable:
            raise Http404("Only a service admin changes a draft")
        done = _post(request, version, bound)
        if done is not None:
            return done
    steps = list(version.steps.select_related("test_type"))
    failing = bound.get("form")
    forms = []
    if editable:
        for step in steps:
            mine = failing is not None and bound.get("step") == step
            forms.append((step, failing if mine else StepForm(prefix=str(step.pk), initial=_step_initial(step))))
        adding = failing if failing is not None and bound.get("step") is None else StepForm(prefix="new")
    context = {
        "page_title": str(version),
        "version": version,
        "steps": steps,
        "editable": editable,
        "step_forms": forms,
        "new_form": adding if editable else None,
        "error": bound.get("error"),
        "back_link": {"href": "/follow-up/protocols/"},
    }
    return render(request, "followup/path/protocol_version.jinja", context)
