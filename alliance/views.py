"""The cancer alliance's coverage report (ADR 0055): a page with a chart, and the same numbers as a
CSV. For service admins only (aggregate counts across the region's teams, no patient named);
everyone else is refused as the survey's dashboard refuses them. Each view and download is logged."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alliance import presenters, services
from alliance.forms import CoverageForm
from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import CareTeam, Role
from portal.reporting import MIN_GROUP

LABEL = "alliance coverage report"


def _require_role(request):
    if policy.role_name(request.user) != Role.SERVICE_ADMIN:
        raise PermissionDenied("The alliance coverage report is for service admins")


def _form(request):
    teams = list(CareTeam.objects.select_related("organisation").order_by("organisation__name", "name"))
    return CoverageForm(request.GET, teams=teams), teams


def _report(form):
    chosen = form.choices()
    team_ids = [chosen["team"]] if chosen["team"] else None
    split = services.SPLIT_KEYS[chosen["split"]]
    report = services.coverage(first=chosen["first"], last=chosen["last"], split=split, team_ids=team_ids)
    return report, chosen


@require_GET
@login_required
def coverage_page(request):
    _require_role(request)
    form, _teams = _form(request)
    context = {"form": form, "measures": services.MEASURES, "min_group": MIN_GROUP, "back_link": {"href": "/"}}
    if not form.is_valid():
        context["page_title"] = "Cancer alliance coverage report"  # the layout adds "Error: "
        return render(request, "alliance/coverage.jinja", context, status=400)
    report, chosen = _report(form)
    measure = next(m for m in services.MEASURES if m.key == chosen["measure"])
    record(Action.VIEW, request=request, label=LABEL)
    chart_title, chart = presenters.chart(report.teams[0], measure) if report.teams else ("", None)
    context |= {
        "page_title": "Cancer alliance coverage report",
        "report": report,
        "period": f"{report.first:%B %Y} to {report.last:%B %Y}",
        "teams": [{"name": b.name, "rows": presenters.team_rows(b)} for b in report.teams],
        "chart": chart,
        "chart_title": chart_title,
        "export_query": request.GET.urlencode(),
        "splits": [{"key": s.key, "title": s.title, "current": s.key == report.split.key} for s in services.SPLITS],
        "query_without_split": "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "split"),
    }
    return render(request, "alliance/coverage.jinja", context)


@require_GET
@login_required
def export(request):
    _require_role(request)
    form, _teams = _form(request)
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    report, _chosen = _report(form)
    record(Action.EXPORT, request=request, label=LABEL)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="alliance-coverage-{report.first:%Y-%m}-to-{report.last:%Y-%m}.csv"'
    )
    writer = csv.writer(response)
    writer.writerows(presenters.csv_rows(report))
    return response
