"""Forms for re-entry and check-ins: the patient's "I'm worried" steps, the check-in, and the
staff triage forms (followup.patient_views, followup.patient_concern_views)."""

from django import forms

from followup.models import Concern, Rating
from portal.ui import forms as ui


class SymptomsForm(forms.Form):
    def __init__(self, *args, symptoms, label="Which of these symptoms do you have?", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptoms"] = ui.MultipleChoiceField(
            label=label,
            choices=[(s, s) for s in symptoms],
            required=False,
            hint="Select all that apply. If none of them, continue and tell us what is worrying you.",
            is_page_heading=True,
        )


class DetailsForm(forms.Form):
    details = ui.TextareaField(
        label="Tell us what is worrying you",
        hint="When it started, and whether it is getting worse. Do not include anything urgent: call instead.",
        required=False,
        is_page_heading=True,
        max_length=2000,
    )


class OnBehalfForm(forms.Form):
    """Staff typing in a concern the patient raised by phone: symptoms and details on one page."""

    def __init__(self, *args, symptoms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptoms"] = ui.MultipleChoiceField(
            label="Symptoms the patient described", choices=[(s, s) for s in symptoms], required=False
        )
        self.fields["details"] = ui.TextareaField(label="What the patient said", required=False, max_length=2000)


class CheckInForm(forms.Form):
    """One yes/no question per trigger symptom (field names are positions: symptoms are free text)."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = ui.ChoiceField(
                label=f"Since your last check-in, have you had: {question.lower()}?",
                choices=[("yes", "Yes"), ("no", "No")],
                error_messages={"required": f"Select yes or no for: {question.lower()}"},
            )
        self.fields["other"] = ui.TextareaField(
            label="Anything else you want to tell your team (optional)", required=False, max_length=2000
        )

    def answers(self) -> dict:
        return {q: self.cleaned_data[f"q{i}"] for i, q in enumerate(self.questions)}


class TriageForm(forms.Form):
    rating = ui.ChoiceField(label="Rating", choices=Rating.choices, hint="Red: see or call back today.")
    note = ui.TextareaField(label="Triage note", required=False, max_length=2000)


class OutcomeForm(forms.Form):
    outcome = ui.ChoiceField(label="What was done", choices=Concern.Outcome.choices)
    note = ui.TextareaField(label="Outcome note", required=False, max_length=2000)
