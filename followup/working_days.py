"""Working days in England: no weekends, no bank holidays (settings.BANK_HOLIDAYS). Response
times (review a result in 2 working days, answer a concern in 2) are counted in these."""

import datetime

from django.conf import settings


def _holidays() -> frozenset:
    return frozenset(datetime.date.fromisoformat(day) for day in settings.BANK_HOLIDAYS)


def is_working_day(day: datetime.date, holidays=None) -> bool:
    holidays = _holidays() if holidays is None else holidays
    return day.weekday() < 5 and day not in holidays


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The date `n` working days after `day` (n >= 0); 0 gives `day` itself."""
    if n < 0:
        raise ValueError("n must not be negative")
    holidays = _holidays()
    while n:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            n -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """How many working days after `a`, up to and including `b` (0 when b <= a)."""
    holidays = _holidays()
    count, day = 0, a
    while day < b:
        day += datetime.timedelta(days=1)
        count += is_working_day(day, holidays)
    return count
