"""The report's words and numbers for the page, its chart and its CSV: one place turns a count into
what is shown, so the page and the spreadsheet cannot disagree (ADR 0055)."""

from math import ceil

from alliance.services import MEASURES, Report, TeamBlock
from portal.ui.charts import HIDDEN, Bar, bar_chart


def shown(value) -> str:
    return HIDDEN if value is None else str(value)


def team_rows(block: TeamBlock) -> list[dict]:
    """A row per month (its total), then, under a split, a row per group in that month."""
    rows = []
    for month in block.months:
        for n, row in enumerate([month.total, *month.groups]):
            rows.append(
                {
                    "month": month.label,
                    "group": row.label,
                    "first": n == 0,
                    "counts": [shown(row.counts[m.key]) for m in MEASURES],
                }
            )
    return rows


def csv_rows(report: Report):
    yield ["Care team", "Organisation", "Month", report.split.title, *(m.title for m in MEASURES)]
    for block in report.teams:
        for row in team_rows(block):
            yield [block.team.name, block.team.organisation.name, row["month"], row["group"], *row["counts"]]


def chart(block: TeamBlock, measure) -> tuple[str, object]:
    """Bars per month of one measure for one team: the month totals the table shows."""
    title = f"{measure.title} per month, {block.name}"
    bars = [Bar(m.label, m.total.counts[measure.key]) for m in block.months]
    most = max([b.value for b in bars if b.value is not None] or [0])
    top = max(10, ceil(most / 10) * 10)
    svg = bar_chart(chart_id="coverage-chart", title=title, bars=bars, top=top, whole=True, empty="No months")
    return title, svg
