"""HNA reports and the COSD CSV export for the care team of the role in use."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hna.cosd import UnknownCosdCode
from hna.models import OfferStatus
from hna.services import reports


class Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value):
        return value


class ReportPresenter:
    def __init__(self, report: reports.TeamReport):
        self.report = report
        self.team = report.team.name
        self.since = f"{report.since:%B %Y}"
        totals = report.offered_totals
        # Only the offer statuses recorded in the period get a column: six mostly-empty columns
        # help nobody, least of all on a phone.
        self.statuses = [(code, label) for code, label in OfferStatus.choices if totals[code]]
        self.status_totals = [(label, totals[code]) for code, label in OfferStatus.choices]
        self.offered_total = sum(totals.values())
        self.completed_total = report.completed_total
        self.months = [
            {
                "label": f"{m.month:%B %Y}",
                "offered": m.offered_total,
                "by_status": [m.offered.get(code, 0) for code, _ in self.statuses],
                "completed": m.completed,
            }
            for m in reversed(report.months)
        ]
        self.concerns = report.top_concerns

    @property
    def median(self) -> str:
        if self.report.median_days_to_plan is None:
            return "No care plans agreed yet"
        days = self.report.median_days_to_plan
        plans = self.report.plans_counted
        return f"{days:g} {'day' if days == 1 else 'days'} (from {plans} {'plan' if plans == 1 else 'plans'})"


def _report_page(request, export_error: str = "", status: int = 200):
    presenter = ReportPresenter(reports.team_report(request.user))
    context = {
        "page_title": f"{'Error: ' if export_error else ''}HNA reports",
        "report": presenter,
        "export_error": export_error,
        "back_link": {"href": "/"},
    }
    return render(request, "hna/reports/report.jinja", context, status=status)


@require_GET
@login_required
def report(request):
    return _report_page(request)


@require_GET
@login_required
def export(request):
    try:
        rows = reports.export_rows(request.user, request=request)
    except UnknownCosdCode as exc:
        # Nothing is sent: the registry would reject the file. The page says which code to fix.
        return _report_page(request, export_error=exc.messages[0], status=409)
    writer = csv.writer(Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hna-cosd-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
