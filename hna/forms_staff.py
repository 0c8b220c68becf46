"""Staff forms for HNAs: setting one up (the COSD event and how the patient gets the passcode)."""

from django import forms
from django.utils import timezone

from hna.models import OfferStatus, PathwayPoint, StaffRole, Trigger
from hna.services.assessments import PASSCODE_OFFER_STATUSES
from hna.services.staff_entry import STAFF_MODES, check_paper_date
from portal.ui import forms as nhs

# COSD offer statuses where the patient takes the assessment: only these get a passcode. For the
# others (declined, not offered, unable to complete, not required) the event is recorded and closed.

SEND_NONE, SEND_EMAIL, SEND_SMS = "none", "email", "sms"


class SendByField(nhs.ChoiceField):
    """Radios that offer email and text only when the patient has that contact, while still
    accepting (and then refusing with a clear message) a posted channel that is not offered."""

    def __init__(self, *args, shown=(), **kwargs):
        self.shown = set(shown)
        super().__init__(*args, **kwargs)

    def items(self, bf, selected):
        return [item for item in super().items(bf, selected) if item["value"] in self.shown]


class SetUpForm(forms.Form):
    point_of_pathway = nhs.ChoiceField(
        label="Where is the patient in their cancer pathway?",
        hint="The COSD point of pathway",
        choices=PathwayPoint.choices,
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={"required": "Select where the patient is in their cancer pathway"},
    )
    trigger = nhs.ChoiceField(
        label="What prompted this assessment?",
        choices=Trigger.choices,
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={"required": "Select what prompted this assessment"},
    )
    offer_status = nhs.ChoiceField(
        label="Was the patient offered an assessment?",
        hint="The COSD offer status. A passcode is made only when the assessment is offered and "
        "accepted or the patient is still deciding.",
        choices=OfferStatus.choices,
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={"required": "Select whether an assessment was offered"},
    )
    cosd_staff_role = nhs.ChoiceField(
        label="Your professional role",
        hint="The COSD staff role of who carries out the assessment with the patient",
        choices=StaffRole.choices,
        required=False,
        label_classes="nhsuk-fieldset__legend--m",
    )
    event_date = nhs.DateField(
        label="Date of the offer",
        hint="For example, 15 3 2026",
        past_only=True,
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={"required": "Enter the date of the offer"},
    )
    send_by = SendByField(
        label="Send the passcode to the patient?",
        hint="You will see the passcode on the next page either way, so you can give it to them or print it.",
        required=False,
        label_classes="nhsuk-fieldset__legend--m",
    )

    def __init__(self, *args, patient, staff_role="", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("event_date", timezone.localdate())
        kwargs["initial"].setdefault("send_by", SEND_NONE)
        # The role in use suggests one; a nurse or therapist in the CNS role can say what they are.
        kwargs["initial"].setdefault("cosd_staff_role", staff_role)
        super().__init__(*args, **kwargs)
        self.patient = patient
        field = self.fields["send_by"]
        field.choices = [
            (SEND_NONE, "No, I will give it to them"),
            (SEND_EMAIL, f"Yes, by email to {patient.email}" if patient.email else "Yes, by email"),
            (SEND_SMS, f"Yes, by text message to {patient.mobile}" if patient.mobile else "Yes, by text message"),
        ]
        field.shown = {SEND_NONE}
        if patient.email:
            field.shown.add(SEND_EMAIL)
        if patient.mobile:
            field.shown.add(SEND_SMS)

    def clean_send_by(self):
        value = self.cleaned_data.get("send_by") or SEND_NONE
        if value == SEND_EMAIL and not self.patient.email:
            raise forms.ValidationError(
                "The patient has no email address recorded. Give them the passcode yourself, "
                "or add their email address to their record first"
            )
        if value == SEND_SMS and not self.patient.mobile:
            raise forms.ValidationError(
                "The patient has no mobile number recorded. Give them the passcode yourself, "
                "or add their mobile number to their record first"
            )
        return value

    def clean(self):
        data = super().clean()
        offer_status = data.get("offer_status")
        if offer_status and offer_status not in PASSCODE_OFFER_STATUSES and data.get("send_by", SEND_NONE) != SEND_NONE:
            self.add_error(
                "send_by",
                f'No passcode is made when the offer status is "{OfferStatus(offer_status).label.lower()}". '
                'Select "No", or check the offer status',
            )
        return data

    @property
    def issues_passcode(self) -> bool:
        return self.cleaned_data.get("offer_status") in PASSCODE_OFFER_STATUSES

    def service_kwargs(self) -> dict:
        """Arguments for hna.services.assessments.set_up."""
        data = self.cleaned_data
        send_by = data["send_by"] if data["send_by"] != SEND_NONE else ""
        return {
            "point_of_pathway": data["point_of_pathway"],
            "trigger": data["trigger"],
            "offer_status": data["offer_status"],
            "event_date": data["event_date"],
            "send_by": send_by,
            "staff_role_code": data.get("cosd_staff_role", ""),
        }


class OfferOutcomeForm(forms.Form):
    """How an open offer ended without an assessment (hna.services.assessments.record_offer_outcome)."""

    offer_status = nhs.ChoiceField(
        label="Why is the assessment not going ahead?",
        hint="The COSD offer status",
        choices=[(code, OfferStatus(code).label) for code in ("02", "05", "06")],
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={"required": "Select why the assessment is not going ahead"},
    )
    on = nhs.DateField(
        label="Date",
        hint="For example, 15 3 2026",
        past_only=True,
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={"required": "Enter the date"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class EntryForm(forms.Form):
    """A professional enters the patient's HNA (ADR 0053): how, the paper form's date, and the COSD
    fields of the set-up form (the same fields, not copies). The answers use the patient's forms."""

    entry_mode = nhs.ChoiceField(
        label="How was the assessment completed?",
        choices=[(mode.value, mode.label) for mode in STAFF_MODES],
        label_classes="nhsuk-fieldset__legend--m",
        error_messages={
            "required": "Select how the assessment was completed",
            "invalid_choice": "Select how the assessment was completed",
        },
    )
    completed_on_paper = nhs.DateField(
        label="Date the patient filled in the paper form",
        hint="Only for a paper form. For example, 15 3 2026",
        required=False,
        past_only=True,
        label_classes="nhsuk-fieldset__legend--s",
    )
    point_of_pathway = SetUpForm.base_fields["point_of_pathway"]
    trigger = SetUpForm.base_fields["trigger"]
    cosd_staff_role = SetUpForm.base_fields["cosd_staff_role"]

    def __init__(self, *args, patient, staff_role="", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("cosd_staff_role", staff_role)
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean(self):
        data = super().clean()
        if data.get("entry_mode") and "completed_on_paper" not in self.errors:
            try:  # the service checks it again; here it shows beside the other fields' errors
                data["completed_on_paper"] = check_paper_date(
                    self.patient, data["entry_mode"], data.get("completed_on_paper")
                )
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data

    def service_kwargs(self) -> dict:
        """Arguments for hna.services.staff_entry.start_entry."""
        data = self.cleaned_data
        return {
            "entry_mode": data["entry_mode"],
            "completed_on_paper": data.get("completed_on_paper"),
            "point_of_pathway": data["point_of_pathway"],
            "trigger": data["trigger"],
            "staff_role_code": data.get("cosd_staff_role", ""),
        }
