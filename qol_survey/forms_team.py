"""Staff forms: find an invitation for a paper return, then key in every answer on one page."""

from django import forms
from django.core.exceptions import ValidationError

from portal.ui import forms as nhs
from qol_survey.forms_answer import YES_NO
from qol_survey.models import ItemPart

SEPARATOR = "__"  # field names are <instrument>__<item>: "cancer-30__q12"


class FindForm(forms.Form):
    code = nhs.CharField(
        label="Short code from the letter",
        hint="12 letters and numbers, printed on the letter and the paper survey, for example ABCD-EFGH-JKLM",
        required=False,
        max_length=30,
        autocomplete="off",
        spellcheck=False,
        width=20,
    )
    nhs_number = nhs.CharField(
        label="Or the patient's NHS number",
        hint="10 digits",
        required=False,
        max_length=20,
        autocomplete="off",
        spellcheck=False,
        width=10,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("code") or "").strip() and not (data.get("nhs_number") or "").strip():
            self.add_error("code", "Enter the short code from the letter, or the patient's NHS number")
        return data

    def nhs_number_digits(self) -> str:
        return "".join(ch for ch in self.cleaned_data.get("nhs_number") or "" if ch.isdigit())


def field_name(instrument: str, item: str) -> str:
    return f"{instrument}{SEPARATOR}{item}"


class PaperForm(forms.Form):
    """Every item as it is on paper: a blank is an unanswered item, as scoring's half rule allows."""

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        for step in steps:
            item = step.item
            label = f"Question {step.number} ({item.code}): {item.wording}"
            name = field_name(step.instrument, item.code)
            if item.part == ItemPart.HEALTH_TODAY:
                wrong = (
                    f"Question {step.number} ({item.code}) must be a whole number from {item.lowest} to {item.highest}"
                )
                field = nhs.IntegerField(
                    label=label,
                    required=False,
                    min_value=item.lowest,
                    max_value=item.highest,
                    hint="Leave blank if not answered",
                )
                field.error_messages.update(invalid=wrong, min_value=wrong, max_value=wrong)
            else:
                labels = item.answer_labels or [str(n) for n in range(item.lowest, item.highest + 1)]
                field = nhs.ChoiceField(
                    label=label,
                    required=False,
                    choices=[(str(item.lowest + i), f"{item.lowest + i}: {text}") for i, text in enumerate(labels)],
                    error_messages={
                        "invalid_choice": f"Question {step.number} ({item.code}): the answer must be one of "
                        f"{item.lowest} to {item.highest}"
                    },
                )
            field.label_classes = "nhsuk-label--s"  # a legend's class for the radios (NHSFieldMixin)
            self.fields[name] = field
        self.fields["share_with_gp"] = nhs.ChoiceField(
            label="Did they agree to send a copy of the report to their GP?",
            hint="Yes unless they ticked no on the paper form",
            choices=YES_NO,
            initial="yes",
            error_messages={"required": "Select yes if the report may go to their GP"},
        )
        self.fields["may_contact"] = nhs.ChoiceField(
            label="May the care team contact them about their answers?",
            choices=YES_NO,
            error_messages={"required": "Select yes if the care team may contact them about their answers"},
        )

    def answers(self) -> dict:
        given: dict = {}
        for step in self.steps:
            value = self.cleaned_data.get(field_name(step.instrument, step.code))
            if value not in (None, ""):
                given.setdefault(step.instrument, {})[step.code] = int(value)
        return given

    def choices(self) -> dict:
        return {name: self.cleaned_data[name] == "yes" for name in ("share_with_gp", "may_contact")}

    def add_answer_error(self, error) -> None:
        """An AnswerError from scoring, on the field of the item it names (item codes are unique
        across the two instruments)."""
        step = next((s for s in self.steps if s.code == error.item), None)
        if step is None:
            self.add_error(None, ValidationError(f"Question {error}"))
        else:
            self.add_error(field_name(step.instrument, step.code), f"Question {step.number} ({error})")
