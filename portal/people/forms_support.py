"""The staff form for a patient's communication needs and carer: the model's own rules decide, so
the page, the admin and the API name the same field for the same mistake."""

from types import SimpleNamespace

from django import forms

from portal.people.models import CommunicationNeed, SupportPersonRole, communication_errors
from portal.people.support import FIELDS
from portal.ui import forms as nhs


class SupportForm(forms.Form):
    communication_needs = nhs.MultipleChoiceField(
        label="Communication needs",
        required=False,
        choices=CommunicationNeed.choices,
        hint="Select all that apply. Letters to a patient with a sight need or large print are in large print.",
        error_messages={"invalid_choice": "Select communication needs from the list"},
    )
    communication_language = nhs.CharField(
        label="Language",
        required=False,
        max_length=100,
        hint="Needed for a language or interpreter need. For example, Polish or British Sign Language",
        classes="nhsuk-u-width-two-thirds",
    )
    communication_detail = nhs.CharField(
        label="What else helps", required=False, max_length=300, hint="Needed for 'something else'"
    )
    support_person_name = nhs.CharField(label="Name of carer or next of kin", required=False, max_length=200)
    support_person_role = nhs.ChoiceField(
        label="Are they a carer, next of kin, or both?",
        required=False,
        choices=SupportPersonRole.choices,
        error_messages={"invalid_choice": "Select whether they are a carer, next of kin, or both"},
    )
    support_person_relationship = nhs.CharField(
        label="Relationship to the patient", required=False, max_length=100, hint="For example, daughter or friend"
    )
    support_person_phone = nhs.CharField(
        label="Phone number of carer or next of kin", required=False, max_length=30, classes="nhsuk-input--width-20"
    )

    @staticmethod
    def initial_from(patient) -> dict:
        return {f: getattr(patient, f) for f in FIELDS}

    def clean(self):
        data = super().clean()
        values = {f: data.get(f) or ([] if f == "communication_needs" else "") for f in FIELDS}
        for field, message in communication_errors(SimpleNamespace(**values)).items():
            if field not in self.errors:
                self.add_error(field, message)
        return {**data, **values}
