"""The service admin's session form (issue 13 item 3): the words people use (a date, a start and end
time, "to be confirmed" with a month, online or in person, booking closes so many hours before)
turned into the fields services.sessions checks. The service's rules come back as errors on the
field the admin typed, so nothing entered is lost."""

import datetime

from django import forms
from django.utils import timezone

from portal.ui import forms as nhs
from wellbeing.models import Category

REPEATS = [("0", "Does not repeat"), ("7", "Every week"), ("14", "Every 2 weeks"), ("28", "Every 4 weeks")]

# Where each of the service's field errors shows on this form.
ERROR_FIELDS = {
    "starts_at": "date",
    "ends_at": "ends",
    "tbc_month": "tbc_month",
    "booking_closes_at": "closes_hours",
    "every_days": "repeat",
}


def _months(today) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = []
    for n in range(12):
        year, month = divmod(first.month - 1 + n, 12)
        day = datetime.date(first.year + year, month + 1, 1)
        months.append((day.isoformat(), f"{day:%B %Y}"))
    return months


def _local(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


class SessionForm(forms.Form):
    title = nhs.CharField(label="Title", max_length=200, error_messages={"required": "Enter the title of the session"})
    category = nhs.ChoiceField(
        label="Category", choices=Category.choices, error_messages={"required": "Select the category"}
    )
    description = nhs.TextareaField(label="What happens at the session", required=False)
    date_known = nhs.ChoiceField(
        label="Is the date set?",
        choices=[("yes", "Yes, the date and time are set"), ("no", "No, it is to be confirmed")],
        error_messages={"required": "Select whether the date is set"},
    )
    date = nhs.DateField(label="Date", hint="For example, 15 3 2027", required=False)
    starts = nhs.TimeField(label="Start time", required=False)
    ends = nhs.TimeField(label="End time", required=False)
    tbc_month = nhs.SelectField(label="If to be confirmed, the month it will be in", required=False)
    online = nhs.ChoiceField(
        label="Where is it?",
        choices=[("yes", "Online"), ("no", "In person")],
        error_messages={"required": "Select online or in person"},
    )
    joining_link = nhs.CharField(
        label="Joining link (online)",
        hint="Shown only to people booked",
        required=False,
        input_type="url",
        spellcheck=False,
    )
    place = nhs.CharField(label="Place (in person)", hint="The room, building and site", required=False)
    capacity = nhs.IntegerField(
        label="Places",
        hint="Including carers and family members who come along",
        min_value=1,
        max_value=500,
        error_messages={"required": "Enter how many places there are"},
    )
    facilitator = nhs.CharField(label="Run by", required=False, max_length=200)
    who_for = nhs.CharField(label="Who it is for", required=False, max_length=300)
    closes_hours = nhs.IntegerField(
        label="Booking closes (hours before the start)",
        hint="Leave blank to take bookings until it starts",
        min_value=0,
        max_value=24 * 28,
        required=False,
    )
    repeat = nhs.SelectField(label="Repeat", choices=REPEATS, required=False)
    count = nhs.IntegerField(
        label="How many sessions in the series", min_value=1, max_value=52, required=False, hint="1 for one session"
    )

    def __init__(self, *args, series=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tbc_month"].choices = [("", "Choose a month")] + _months(timezone.localdate())
        if not series:  # an edit changes one session; a series is made only at once
            del self.fields["repeat"], self.fields["count"]

    def clean(self):
        data = super().clean()
        if data.get("date_known") == "yes":
            if data.get("date") and not data.get("starts"):
                self.add_error("starts", "Enter the start time")
            if not data.get("date") and "date" not in self.errors:
                self.add_error("date", "Enter the date of the session")
        elif data.get("date_known") == "no":
            for name in ("date", "starts", "ends", "closes_hours"):  # left over from a date: not used
                self.errors.pop(name, None)
            if not data.get("tbc_month") and "tbc_month" not in self.errors:
                self.add_error("tbc_month", "Choose the month the session will be in")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        starts_at = ends_at = month = closes = None
        if data["date_known"] == "yes":
            starts_at = _local(data["date"], data["starts"])
            ends_at = _local(data["date"], data["ends"]) if data.get("ends") else None
            if data.get("closes_hours") is not None:
                closes = starts_at - datetime.timedelta(hours=data["closes_hours"])
        else:
            month = datetime.date.fromisoformat(data["tbc_month"])
        online = data["online"] == "yes"
        fields = {
            "title": data["title"].strip(),
            "category": data["category"],
            "description": data.get("description", ""),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "tbc_month": month,
            "online": online,
            "joining_link": data.get("joining_link", "").strip() if online else "",
            "place": "" if online else data.get("place", "").strip(),
            "capacity": data["capacity"],
            "facilitator": data.get("facilitator", ""),
            "who_for": data.get("who_for", ""),
            "booking_closes_at": closes,
        }
        if "repeat" in self.fields:
            fields["every_days"] = int(data.get("repeat") or 0)
            fields["count"] = data.get("count") or 1
        return fields

    def show_errors(self, error) -> None:
        """The service's ValidationError, each message on the field the admin typed."""
        for name, messages in error.message_dict.items():
            target = ERROR_FIELDS.get(name, name)
            self.add_error(target if target in self.fields else None, messages)


def initial_for(session) -> dict:
    """The form's fields from a session, for an edit."""
    initial = {
        "title": session.title,
        "category": session.category,
        "description": session.description,
        "online": "yes" if session.online else "no",
        "joining_link": session.joining_link,
        "place": session.place,
        "capacity": session.capacity,
        "facilitator": session.facilitator,
        "who_for": session.who_for,
    }
    if session.starts_at is None:
        return initial | {"date_known": "no", "tbc_month": session.tbc_month.isoformat()}
    starts = timezone.localtime(session.starts_at)
    initial |= {"date_known": "yes", "date": starts.date(), "starts": starts.time()}
    if session.ends_at:
        initial["ends"] = timezone.localtime(session.ends_at).time()
    if session.booking_closes_at:
        initial["closes_hours"] = int((session.starts_at - session.booking_closes_at).total_seconds() // 3600)
    return initial


class AskForm(forms.Form):
    """Someone without an account asks for a place: held until an admin confirms."""

    name = nhs.CharField(label="Your name", max_length=200, autocomplete="name")
    email = nhs.EmailField(label="Email address", required=False, hint="We will confirm your place by email")
    phone = nhs.CharField(
        label="Phone number", required=False, max_length=30, input_type="tel", autocomplete="tel",
        hint="If you have no email address, we will call you",
    )  # fmt: skip
    carers = nhs.SelectField(
        label="How many carers or family members are coming with you?",
        choices=[("0", "None"), ("1", "1"), ("2", "2"), ("3", "3")],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", "Enter an email address or a phone number, so we can confirm your place")
        return data
