"""Hand-built follow-up situations for the sweep tests."""

import datetime

from dateutil.relativedelta import relativedelta

from followup.models import SurveillanceTest, TestType
from tests.followup.factories import make_pathway

TODAY = datetime.date(2026, 6, 1)  # a Monday


def quiet_pathway(**fields):
    """A pathway the sweep has nothing to do with today: every planned test a year or more ahead,
    no regular check-in, no window ending."""
    fields.setdefault("checkin_months", 0)
    return make_pathway(anchor_date=TODAY + relativedelta(years=1), **fields)


def add_test(pathway, due, code="CEA", **fields):
    return SurveillanceTest.objects.create(
        pathway=pathway, test_type=TestType.objects.get(code=code), due_date=due, **fields
    )
