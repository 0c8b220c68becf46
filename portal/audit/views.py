"""The auditor's page: list and filter the access log by patient, user, record and date, 100 events
a page. The log names patients, so reading it is itself recorded: one event per patient a page shows.
Records are named in words (portal.audit.labels), with their id shortened."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit import labels
from portal.audit.models import AuditEvent
from portal.audit.services import audit_view_many
from portal.people.validators import normalise_nhs_number
from portal.ui import forms as nhs
from portal.ui.presenters import format_date, format_nhs_number, pagination

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    nhs_number = nhs.CharField(label="Patient NHS number", required=False, max_length=13, width=10, spellcheck=False)
    user = nhs.CharField(label="User email address", required=False, max_length=254, spellcheck=False)
    record = nhs.CharField(
        label="Record id",
        required=False,
        max_length=64,
        spellcheck=False,
        hint="The id in the Record column, or its first characters",
    )
    date_from = nhs.DateField(label="From", required=False, past_only=False)
    date_to = nhs.DateField(label="To", required=False, past_only=False)

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value and (not value.isdigit() or len(value) != 10):
            raise forms.ValidationError("NHS number must be 10 digits")
        return value

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "To must be the same as or after From")
        return data


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_events(user, data: dict):
    events = AuditEvent.objects.visible_to(user).select_related("patient", "organisation").order_by("-occurred_at")
    if data.get("nhs_number"):
        events = events.filter(patient__nhs_number=data["nhs_number"])
    if data.get("user"):
        events = events.filter(actor_label__iexact=data["user"].strip())
    if data.get("record", "").strip():
        events = events.filter(object_id__startswith=data["record"].strip().lower())
    if data.get("date_from"):
        events = events.filter(occurred_at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(occurred_at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
    return events


@login_required
def audit_log(request):
    if not policy.may(request.user, RecordKind.AUDIT_EVENT, "read"):
        raise PermissionDenied("Only auditors can read the access log")
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(filter_events(request.user, data), PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page.object_list)
    shown = {e.patient_id: e.patient for e in events if e.patient_id}
    audit_view_many(request, [(patient, None) for patient in shown.values()])
    names = labels.record_labels((e.object_type, e.object_id) for e in events)
    rows = [
        {
            "when": format_date(e.occurred_at),
            "who": e.actor_label,
            "role": e.role,
            "action": e.get_action_display(),
            "patient": f"{e.patient.full_name} ({format_nhs_number(e.patient.nhs_number)})" if e.patient_id else "",
            "record": labels.describe(e.object_type, e.object_id, names),
            "record_id": e.object_id,
            "record_short": labels.short_id(e.object_id),
            "ip": e.ip_address or "",
        }
        for e in events
    ]
    context = {
        "page_title": "Access log",
        "form": form,
        "page": page,
        "rows": rows,
        "pagination": pagination(page, request.GET),
    }
    return render(request, "audit/audit_log.jinja", context)
