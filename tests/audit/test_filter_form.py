"""The access log's filter form: each bad entry gets its own plain message; a good range passes."""

import datetime

import pytest

from portal.audit.views import AuditFilterForm


def form(**data):
    fields = {"nhs_number": "", "user": ""}
    for name in ("date_from", "date_to"):
        day = data.pop(name, None)
        if day:
            fields |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    return AuditFilterForm({**fields, **data})


DAY = datetime.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("dates", "valid"),
    [
        ({"date_from": DAY, "date_to": DAY}, True),  # one day
        ({"date_from": DAY, "date_to": DAY + datetime.timedelta(days=1)}, True),
        ({"date_from": DAY}, True),
        ({"date_to": DAY}, True),
        ({"date_from": DAY, "date_to": DAY - datetime.timedelta(days=1)}, False),
    ],
)
def test_to_must_not_be_before_from(dates, valid):
    f = form(**dates)
    assert f.is_valid() is valid, f.errors
    if not valid:
        assert f.errors == {"date_to": ["To must be the same as or after From"]}


@pytest.mark.parametrize(
    ("entered", "error"),
    [("943 476 5919", None), ("9434765919", None), ("", None), ("94347659", "NHS number must be 10 digits"),
     ("943476591X", "NHS number must be 10 digits")],
)  # fmt: skip
def test_nhs_number(entered, error):
    f = form(nhs_number=entered)
    assert f.is_valid() is (error is None)
    if error:
        assert f.errors["nhs_number"] == [error]
    else:
        assert f.cleaned_data["nhs_number"] == entered.replace(" ", "")
