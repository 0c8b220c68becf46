"""Staff forms for follow-up pathways and protocols: stratify, amend, a reason, a test's date."""

from django import forms

from followup.models import Anchor, PathwayKind, ProtocolVersion, TestType, VersionStatus
from portal.ui import forms as nhs

CHECKIN_MONTHS_MAX = 120  # ten years: longer than any follow-up window


def _lines(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PathwayDetailsForm(forms.Form):
    """What a clinician or CNS sets on a pathway and may amend later."""

    rationale = nhs.TextareaField(label="Why this pathway", required=False)
    pifu_start = nhs.DateField(
        label="Patient-initiated follow-up starts", hint="For example, 15 3 2026", required=False
    )
    pifu_end = nhs.DateField(label="Patient-initiated follow-up ends", hint="For example, 15 3 2031", required=False)
    trigger_symptoms = nhs.TextareaField(
        label="Symptoms that mean the patient should call",
        hint="In plain words, one a line, as the patient will read them",
        required=False,
    )
    named_contact = nhs.CharField(label="Named contact", required=False)
    team_phone = nhs.CharField(label="Team phone number", required=False, input_type="tel", autocomplete="tel")
    checkin_months = nhs.IntegerField(
        label="Symptom check-in every (months)",
        hint="0 for no regular check-in",
        min_value=0,
        # A bound the database column can hold: a bigger number was a server error, not a message.
        max_value=CHECKIN_MONTHS_MAX,
        required=False,
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["trigger_symptoms"] = _lines(data.get("trigger_symptoms"))
        if data.get("checkin_months") is None:
            data.pop("checkin_months", None)
        return data


class StratifyForm(PathwayDetailsForm):
    kind = nhs.ChoiceField(
        label="Which follow-up?",
        choices=PathwayKind.choices,
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={
            "required": "Select professional-led or patient-initiated follow-up",
            "invalid_choice": "Select professional-led or patient-initiated follow-up",
        },
    )
    protocol_version = nhs.SelectField(
        label="Protocol", error_messages={"required": "Select a protocol", "invalid_choice": "Select a protocol"}
    )
    anchor_date = nhs.DateField(
        label="Anchor date",
        hint="The date the protocol counts from: end of treatment or surgery. For example, 15 3 2026",
        error_messages={"required": "Enter the anchor date"},
    )
    field_order = ["kind", "protocol_version", "anchor_date"]

    def __init__(self, *args, tumour_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank: the service takes the end from the chosen protocol's window (pifu_months).
        self.fields[
            "pifu_end"
        ].hint = "Leave blank for the protocol's usual window from the start date. For example, 15 3 2031"
        versions = ProtocolVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("protocol")
        if tumour_site:
            versions = versions.filter(protocol__tumour_site=tumour_site)
        self.versions = {str(v.pk): v for v in versions.order_by("protocol__name")}
        self.fields["protocol_version"].choices = [("", "Select a protocol")] + [
            (pk, f"{v.protocol.name} (version {v.number})") for pk, v in self.versions.items()
        ]

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data["protocol_version"] = self.versions[data["protocol_version"]]
        return data


class ReasonForm(forms.Form):
    reason = nhs.TextareaField(label="Reason", error_messages={"required": "Enter the reason"})


class AmendForm(PathwayDetailsForm, ReasonForm):
    pass


class TestDateForm(ReasonForm):
    __test__ = False
    due_date = nhs.DateField(
        label="Due date", hint="For example, 15 3 2027", error_messages={"required": "Enter the due date"}
    )
    field_order = ["due_date", "reason"]


class AddTestForm(TestDateForm):
    test_type = nhs.SelectField(label="Test", error_messages={"required": "Select the test"})
    field_order = ["test_type", "due_date", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {str(t.pk): t for t in TestType.objects.order_by("name")}
        self.fields["test_type"].choices = [("", "Select a test")] + [(pk, t.name) for pk, t in self.types.items()]


class StepForm(forms.Form):
    """One step of a draft protocol; the service checks the numbers and names the field."""

    test_type = nhs.SelectField(label="Test", error_messages={"required": "Select the test"})
    start_months = nhs.IntegerField(label="Start (months after the anchor)", required=False)
    every_months = nhs.IntegerField(label="Every (months)", required=False)
    until_months = nhs.IntegerField(label="Until (months after the anchor)", required=False)
    with_checkin = nhs.BooleanField(label="Send a symptom check-in with each test", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {str(t.pk): t for t in TestType.objects.order_by("name")}
        self.fields["test_type"].choices = [("", "Select a test")] + [(pk, t.name) for pk, t in self.types.items()]

    def service_kwargs(self) -> dict:
        return {**self.cleaned_data, "test_type": self.types[self.cleaned_data["test_type"]]}


class SettingsForm(forms.Form):
    """A draft's settings; the numbers are only read here, the service checks their ranges and
    names the field (as StepForm)."""

    anchor = nhs.ChoiceField(
        label="Counted from",
        hint="The date each patient's tests are counted from",
        choices=Anchor.choices,
        label_classes="nhsuk-fieldset__legend--s",
        error_messages={
            "required": "Select what the protocol counts from",
            "invalid_choice": "Select what the protocol counts from",
        },
    )
    first_reminder_days = nhs.IntegerField(label="First reminder (days before the test)", required=False)
    second_reminder_days = nhs.IntegerField(
        label="Second reminder (days before the test)",
        hint="Fewer days than the first reminder; 0 for no second reminder",
        required=False,
    )
    pifu_months = nhs.IntegerField(
        label="Patient-initiated follow-up window (months)",
        hint="Where a patient's window ends if no end date is given; 0 for no set window",
        required=False,
    )
    checkin_months = nhs.IntegerField(
        label="Symptom check-in every (months)",
        hint="The default for a patient put on this protocol; 0 for no regular check-in",
        required=False,
    )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
