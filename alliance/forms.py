"""The report's filters, read from the query string (GET links and a GET form): a bad value is named
by its parameter and the page says what to send instead (ADR 0055)."""

import re
from datetime import date

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from alliance.services import MEASURES, SPLITS
from portal.ui import forms as nhs

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MOST_MONTHS = 24  # two years on one page is plenty; the CSV takes the same range


def parse_month(value: str, name: str) -> date:
    match = MONTH.match(value.strip())
    if not match:
        raise forms.ValidationError(f"{name} must be a year and month, like 2026-04")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise forms.ValidationError(f"{name} must have a month from 01 to 12, like 2026-04")
    if year < 2000:
        raise forms.ValidationError(f"{name} must be in 2000 or later")
    return date(year, month, 1)


class CoverageForm(forms.Form):
    team = nhs.SelectField(label="Care team", required=False, choices=[])
    split = nhs.SelectField(label="Split by", required=False, choices=[(s.key, s.title) for s in SPLITS])
    measure = nhs.SelectField(
        label="Measure in the chart", required=False, choices=[(m.key, m.title) for m in MEASURES]
    )
    since = nhs.CharField(label="From month (since)", required=False, hint="Year and month, for example 2026-04")
    until = nhs.CharField(label="To month (until)", required=False, hint="Year and month, for example 2026-09")

    def __init__(self, data, *, teams):
        super().__init__(data)
        self.fields["team"].choices = [
            ("", "Every team"),
            *((str(t.pk), f"{t.name}, {t.organisation.name}") for t in teams),
        ]
        self.fields["team"].error_messages["invalid_choice"] = "team must be one of the care teams in the list"
        self.fields["split"].error_messages["invalid_choice"] = "split must be one of the splits in the list"
        self.fields["measure"].error_messages["invalid_choice"] = "measure must be one of the measures in the list"

    def clean_since(self):
        value = self.cleaned_data.get("since")
        return parse_month(value, "since") if value else None

    def clean_until(self):
        value = self.cleaned_data.get("until")
        return parse_month(value, "until") if value else None

    def clean(self):
        data = super().clean()
        this_month = timezone.localdate().replace(day=1)
        until = data.get("until") or this_month
        since = data.get("since") or until - relativedelta(months=5)
        if "since" in self.errors or "until" in self.errors:
            return data
        if since > until:
            self.add_error("until", "until must be the same month as since or later")
        elif since + relativedelta(months=MOST_MONTHS) <= until:
            self.add_error("until", f"until must be within {MOST_MONTHS} months of since")
        data["first"], data["last"] = since, until
        return data

    def choices(self) -> dict:
        """What to show: the cleaned filters, with their defaults. Only called when valid."""
        data = self.cleaned_data
        return {
            "team": data.get("team") or None,
            "split": data.get("split") or "none",
            "measure": data.get("measure") or "hna_offered",
            "first": data["first"],
            "last": data["last"],
        }
