"""When a protocol's tests fall due, counted in calendar months from the pathway's anchor date."""

import datetime

from dateutil.relativedelta import relativedelta


def step_dates(step, anchor_date: datetime.date) -> list[datetime.date]:
    months = range(step.start_months, step.until_months + 1, step.every_months)
    # relativedelta keeps the day of the month, or the month's last day (31 Jan + 1 month = 28/29 Feb).
    return [anchor_date + relativedelta(months=m) for m in months]


def planned_tests(version, anchor_date: datetime.date) -> list[tuple]:
    """Every (step, due_date) of this protocol version from this anchor date, earliest first."""
    planned = [
        (step, due) for step in version.steps.select_related("test_type") for due in step_dates(step, anchor_date)
    ]
    return sorted(planned, key=lambda pair: (pair[1], pair[0].test_type.code))
