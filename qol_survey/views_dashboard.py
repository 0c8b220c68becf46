"""The survey's dashboard (ADR 0039) and a patient's scores over time (ADR 0038). The dashboard is
aggregate only (no names, small groups hidden by the service) for the roles that look at results:
care teams, service admins and auditors. The scores page reads through visible_to like any record."""

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.access import policy
from portal.access.shortcuts import get_visible_or_404
from portal.audit.models import Action
from portal.audit.services import audit_view_many, record
from portal.people.models import CARE_TEAM_ROLES, Patient, Role
from portal.ui import forms as nhs
from portal.ui.charts import HIDDEN, Bar, bar_chart
from qol_survey import portal_pages
from qol_survey.services import dashboard, dashboard_csv

DASHBOARD_ROLES = CARE_TEAM_ROLES | {Role.SERVICE_ADMIN, Role.AUDITOR}


class Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value):
        return value


class DashboardForm(forms.Form):
    by = nhs.SelectField(label="Group by", choices=[(g.key, g.title) for g in dashboard.GROUPINGS], required=False)
    measure = nhs.SelectField(
        label="Score in the chart", choices=[(m.code, m.name) for m in dashboard.MEASURES], required=False
    )
    since = nhs.DateField(label="Invited on or after", required=False, hint="For example, 1 4 2026")
    until = nhs.DateField(label="Invited on or before", required=False, hint="For example, 31 3 2027")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "Invited on or before must be the same as or after invited on or after")
        return data

    def choice(self, name, default):
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default

    def period(self) -> dict:
        if not self.is_valid():
            return {}
        return {"since": self.cleaned_data.get("since"), "until": self.cleaned_data.get("until")}


def _require_dashboard_role(request):
    if policy.role_name(request.user) not in DASHBOARD_ROLES:
        raise PermissionDenied("The survey's results are for care teams, service admins and auditors")


def figure(value, measure=None) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if measure is not None and measure.top <= 1 else f"{value:.1f}"


def count(value) -> str:
    return HIDDEN if value is None else str(value)


def rate(row) -> str:
    return "" if row.rate is None else f"{100 * row.rate:.0f}%"


def present_row(row) -> dict:
    hidden = row.responses is None
    cells = [
        {
            "mean": HIDDEN if hidden else (figure(cell.mean, m) or "too few scored"),
            "expected": "" if hidden else figure(cell.expected, m),
        }
        for m, cell in zip(dashboard.MEASURES, row.cells, strict=True)
    ]
    return {
        "label": row.label,
        "invitations": count(row.invitations),
        "responses": count(row.responses),
        "rate": rate(row),
        "cells": cells,
    }


@require_GET
@login_required
def dashboard_page(request):
    _require_dashboard_role(request)
    form = DashboardForm(request.GET or None)
    grouping = dashboard.BY_KEY[form.choice("by", "tumour_site")]
    index = [m.code for m in dashboard.MEASURES].index(form.choice("measure", "QL"))
    measure = dashboard.MEASURES[index]
    table = dashboard.table(grouping, **form.period())
    bars = [Bar(r.label, r.cells[index].mean, r.cells[index].expected) for r in table.rows]
    title = f"Mean {measure.name.lower()} by {grouping.title.lower()}, with the reference"
    record(Action.VIEW, request=request, label="qol dashboard")
    context = {
        "page_title": "Quality of life survey results",
        "form": form,
        "table": table,
        "grouping": grouping,
        "measure": measure,
        "measures": dashboard.MEASURES,
        "rows": [present_row(r) for r in table.rows],
        "total": present_row(table.total),
        "chart": bar_chart(chart_id="qol-chart", title=title, bars=bars, top=measure.top),
        "chart_title": title,
        "min_group": dashboard.MIN_GROUP,
        "export_query": request.GET.urlencode(),
        "back_link": {"href": "/"},
    }
    return render(request, "qol_survey/dashboard/dashboard.jinja", context)


@require_GET
@login_required
def export(request):
    _require_dashboard_role(request)
    period = DashboardForm(request.GET or None).period()
    record(Action.EXPORT, request=request, label="qol dashboard")
    writer = csv.writer(Echo())
    rows = dashboard_csv.rows(dashboard.tables(**period))
    response = StreamingHttpResponse((writer.writerow(r) for r in rows), content_type="text/csv; charset=utf-8")
    name = f"quality-of-life-results-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def patient_scores(request, patient_id):
    """One patient's responses, newest first, each with every score the dashboard uses."""
    if policy.role_name(request.user) in (None, policy.PATIENT):
        raise Http404("No scores here")  # the patient reads their own report on their own pages
    patient = get_visible_or_404(Patient, request.user, pk=patient_id)
    responses = list(portal_pages.visible_responses(patient, request.user))
    audit_view_many(request, [(patient, None), *((patient, r) for r in responses)])
    codes = [m.code for m in dashboard.MEASURES]
    context = {
        "page_title": f"Quality of life scores: {patient.full_name}",
        "patient": patient,
        "measures": dashboard.MEASURES,
        "responses": [
            {
                "when": f"{r.submitted_at:%-d %B %Y}",
                "source": r.get_source_display(),
                "scores": [value for _name, value in portal_pages.key_scores(r.scores, codes)],
                "offer": portal_pages.offered(r),
            }
            for r in responses
        ],
        "back_link": {"href": f"/patients/{patient.pk}/"},
    }
    return render(request, "qol_survey/dashboard/patient_scores.jinja", context)
