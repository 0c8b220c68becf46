"""The dashboard's tables as CSV (ADR 0039): the same rows the page shows, hidden the same way ("fewer
than 10" where the page says it), one block of rows per grouping, no names or NHS numbers."""

from portal.ui.charts import HIDDEN
from portal.ui.csv_cells import safe_cell
from qol_survey.services import dashboard

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a trust's
# name is typed by people.


def header() -> list[str]:
    columns = ["grouping", "group", "invitations", "responses", "response_rate_percent"]
    for measure in dashboard.MEASURES:
        columns += [f"mean_{measure.code}", f"reference_{measure.code}"]
    return columns


def _figure(value, places: int) -> str:
    return f"{value:.{places}f}" if value is not None else ""


def _cells(title: str, row: dashboard.Row) -> list[str]:
    hidden = row.responses is None
    cells = [
        title,
        row.label,
        HIDDEN if row.invitations is None else row.invitations,
        HIDDEN if hidden else row.responses,
        "" if row.rate is None else f"{100 * row.rate:.1f}",
    ]
    for measure, cell in zip(dashboard.MEASURES, row.cells, strict=True):
        places = 3 if measure.top <= 1 else 1
        mean = HIDDEN if hidden else _figure(cell.mean, places)
        cells += [mean, "" if hidden else _figure(cell.expected, places)]
    return [safe_cell(c) for c in cells]


def rows(tables: list[dashboard.Table]):
    yield header()
    for table in tables:
        for row in table.rows:
            yield _cells(table.grouping.title, row)
        yield _cells(table.grouping.title, table.total)
