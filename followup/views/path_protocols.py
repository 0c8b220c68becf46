"""Follow-up protocols in the portal (issue 11, item 1): every member of staff may read them (they
are reference data, no patient in them); a service admin makes a draft, edits its steps and
publishes it. Step actions post to the page they are on, with the step in the form; the version's
settings post to their own URL and, refused, show the same page with the settings form's errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from followup.forms_path import SettingsForm, StepForm
from followup.models import Protocol, ProtocolStep, ProtocolVersion, VersionStatus
from followup.services import protocols
from followup.services.protocols import VERSION_FIELDS
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


def _plural(n, word) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _settings_rows(version) -> list[dict]:
    """The settings read-only (a published or retired version, or a user who may not edit)."""
    second, pifu, checkin = version.second_reminder_days, version.pifu_months, version.checkin_months
    values = [
        ("Counted from", version.get_anchor_display()),
        ("First reminder", f"{_plural(version.first_reminder_days, 'day')} before the test"),
        ("Second reminder", f"{_plural(second, 'day')} before the test" if second else "None"),
        ("Patient-initiated follow-up window", _plural(pifu, "month") if pifu else "No set window"),
        ("Symptom check-in", f"Every {_plural(checkin, 'month')}" if checkin else "No regular check-in"),
    ]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in values]


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


def _version(request, protocol_version_id) -> ProtocolVersion:
    _staff(request)
    version = ProtocolVersion.objects.select_related("protocol").filter(pk=protocol_version_id).first()
    if version is None:
        raise Http404("No such protocol version")
    return version


def _editable(request, version) -> bool:
    return version.status == VersionStatus.DRAFT and protocols.is_protocol_admin(request.user)


@login_required
def version_page(request, protocol_version_id):
    version = _version(request, protocol_version_id)
    bound = {}
    if request.method == "POST":
        if not _editable(request, version):
            raise Http404("Only a service admin changes a draft")
        done = _post(request, version, bound)
        if done is not None:
            return done
    return _render(request, version, bound)


@login_required
def version_settings(request, protocol_version_id):
    """Save a draft's settings; refused, the page again with the errors and what was typed. A GET
    (the address bar still shows this URL after a refusal) is the version page itself."""
    version = _version(request, protocol_version_id)
    if request.method != "POST":
        return _render(request, version, {})
    if not _editable(request, version):
        raise Http404("Only a service admin changes a draft")
    form = SettingsForm(request.POST, prefix="settings")
    if form.is_valid():
        try:
            protocols.save_settings(actor=request.user, version=version, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The settings were saved.")
            return redirect(_version_url(version))
    return _render(request, version, {"settings_form": form})


def _render(request, version, bound):
    editable = _editable(request, version)
    steps = list(version.steps.select_related("test_type"))
    failing = bound.get("form")
    forms = []
    if editable:
        for step in steps:
            mine = failing is not None and bound.get("step") == step
            forms.append((step, failing if mine else StepForm(prefix=str(step.pk), initial=_step_initial(step))))
        adding = failing if failing is not None and bound.get("step") is None else StepForm(prefix="new")
        settings_form = bound.get("settings_form") or SettingsForm(
            prefix="settings", initial={name: getattr(version, name) for name in VERSION_FIELDS}
        )
    context = {
        "page_title": str(version),
        "version": version,
        "steps": steps,
        "editable": editable,
        "step_forms": forms,
        "new_form": adding if editable else None,
        "settings_form": settings_form if editable else None,
        "settings_rows": _settings_rows(version),
        "settings_url": f"{_version_url(version)}settings/",
        "error": bound.get("error"),
        "back_link": {"href": "/follow-up/protocols/"},
    }
    return render(request, "followup/path/protocol_version.jinja", context)
