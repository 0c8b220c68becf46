"""Forms for the patient's own pages: one question per page, each message in plain English."""

from django import forms
from django.core.exceptions import ValidationError

from hna.models import CommunicationNeed, WantsCompany
from hna.models.assessment import LANGUAGE_NEEDS
from portal.ui import forms as nhs

NOT_RIGHT = (
    "The passcode or date of birth is not right. Check them and try again. "
    "If it still does not work, call your care team."
)
SCORE_PREFIX = "score_"
NONE = "none"


class PasscodeField(nhs.CharField):
    def extra_params(self, bf):
        # Capitals on a phone keyboard; spaces, dashes and lower case are accepted anyway.
        return {**super().extra_params(bf), "autocapitalize": "characters"}


class BirthDateField(nhs.DateField):
    def component_params(self, bf):
        params = super().component_params(bf)
        for item, part in zip(params["items"], ("day", "month", "year"), strict=True):
            item["autocomplete"] = f"bday-{part}"  # WCAG 1.3.5: the purpose of the input
        return params


class StartForm(forms.Form):
    passcode = PasscodeField(
        label="Passcode",
        hint="8 letters and numbers, for example K7PA-QX9M. Your care team gave it to you.",
        max_length=30,
        autocomplete="off",
        spellcheck=False,
        width=10,
        error_messages={"required": "Enter your passcode", "max_length": NOT_RIGHT},
    )
    date_of_birth = BirthDateField(
        label="Date of birth",
        hint="For example, 15 3 1984",
        past_only=True,
        error_messages={"required": "Enter your date of birth"},
    )


class CheckboxesField(nhs.MultipleChoiceField):
    def component_params(self, bf):
        # The kit gives the checkboxes' wrapper the same id as the first checkbox (Django's
        # id_for_label for CheckboxSelectMultiple has no index), so its label would point at the
        # wrapper. Without it, the error summary's link lands on the first checkbox.
        params = super().component_params(bf)
        params.pop("id", None)
        return params


class ConcernsForm(forms.Form):
    concerns = CheckboxesField(
        required=False,
        is_page_heading=True,
        hint="Tick any that concern you. If none do, select Continue.",
        error_messages={"invalid_choice": "Select concerns from the list"},
    )

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["concerns"]
        field.label = f"{category.name} concerns"
        field.choices = [(item.code, item.text) for item in category.items.order_by("position", "text")]


class ScoreField(nhs.IntegerField):
    def __init__(self, concern: str, **kwargs):
        super().__init__(label=concern, min_value=0, max_value=10, width=2, hint="From 0 to 10", **kwargs)
        wrong = f"Score for {concern} must be a number from 0 to 10"
        self.error_messages.update(required=f"Enter a score from 0 to 10 for {concern}")
        self.error_messages.update(invalid=wrong, min_value=wrong, max_value=wrong)
        self.label_classes = "nhsuk-label--s"


class ScoresForm(forms.Form):
    """One score per ticked concern: a short number input each (ADR 0011 says why not radios)."""

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        for answer in answers:
            self.fields[SCORE_PREFIX + answer.item.code] = ScoreField(answer.item.text, initial=answer.score)

    def clean(self):
        # A score for anything not on this page is a crafted request: refuse the whole page.
        if any(key.startswith(SCORE_PREFIX) and key not in self.fields for key in self.data):
            raise ValidationError("You can only score a concern you have ticked. Go back and tick it first.")
        return super().clean()

    def scores(self) -> dict[str, int]:
        return {name.removeprefix(SCORE_PREFIX): value for name, value in self.cleaned_data.items()}


class DistressForm(forms.Form):
    distress_score = nhs.ChoiceField(
        label="Over the past week, including today, how much distress have you felt?",
        is_page_heading=True,
        hint="0 means no distress at all. 10 means extreme distress.",
        choices=[("0", "0 – no distress")]
        + [(str(n), str(n)) for n in range(1, 10)]
        + [("10", "10 – extreme distress")],
        error_messages={"required": "Select a number from 0 to 10", "invalid_choice": "Select a number from 0 to 10"},
    )

    @staticmethod
    def initial_from(assessment, answered):
        score = assessment.distress_score
        return {"distress_score": None if score is None else str(score)}

    def answers(self):
        return {"distress_score": int(self.cleaned_data["distress_score"])}


class AnythingElseForm(forms.Form):
    anything_else = nhs.TextareaField(
        label="Is there anything else you want to tell us?",
        is_page_heading=True,
        required=False,
        max_length=5000,
        hint="For example, something that was not on the lists. You do not have to write anything.",
        error_messages={"max_length": "What you want to tell us must be 5,000 characters or fewer"},
    )

    @staticmethod
    def initial_from(assessment, answered):
        return {"anything_else": assessment.anything_else}

    def answers(self):
        return {"anything_else": self.cleaned_data["anything_else"]}


class CompanyForm(forms.Form):
    wants_company = nhs.ChoiceField(
        label="Would you like someone with you when you talk to your care team?",
        is_page_heading=True,
        hint="For example, a partner, family member, friend or carer.",
        choices=WantsCompany.choices,
        error_messages={"required": "Select yes, no or not sure", "invalid_choice": "Select yes, no or not sure"},
    )

    @staticmethod
    def initial_from(assessment, answered):
        return {"wants_company": assessment.wants_company or None}

    def answers(self):
        return {"wants_company": self.cleaned_data["wants_company"]}


class NeedsField(CheckboxesField):
    def items(self, bf, selected):
        items = super().items(bf, selected)
        for item in items:
            if item["value"] == NONE:
                item["behaviour"] = "exclusive"  # with JavaScript, ticking "None" clears the others
        return items[:-1] + [{"divider": "or"}] + items[-1:]


class CommunicationForm(forms.Form):
    needs = NeedsField(
        label="Do you need any help with communication?",
        is_page_heading=True,
        hint="Select all that apply. For example, your care team can book an interpreter for you.",
        choices=[*CommunicationNeed.choices, (NONE, "None of these")],
        error_messages={
            "required": "Select the help you need, or select 'None of these'",
            "invalid_choice": "Select the help you need from the list",
        },
    )
    detail = nhs.CharField(
        label="Which language would you like to use, or what else would help?",
        hint="For example, Polish, British Sign Language or large print.",
        required=False,
        max_length=500,
        error_messages={"max_length": "What would help must be 500 characters or fewer"},
    )

    @staticmethod
    def initial_from(assessment, answered):
        needs = list(assessment.communication_needs) or ([NONE] if answered else [])
        return {"needs": needs, "detail": assessment.communication_detail}

    def clean(self):
        data = super().clean()
        needs = data.get("needs") or []
        if NONE in needs and len(needs) > 1:
            self.add_error("needs", "Select the help you need, or select 'None of these'")
        elif data.get("detail"):
            pass
        elif LANGUAGE_NEEDS & set(needs):  # the team cannot book an interpreter without it
            self.add_error("detail", "Tell us which language you would like to use")
        elif CommunicationNeed.OTHER in needs:
            self.add_error("detail", "Tell us what would help with communication")
        return data

    def answers(self):
        # The detail goes with whichever needs are ticked (the language, a hearing aid...); the
        # service drops it when none are.
        needs = [n for n in self.cleaned_data["needs"] if n != NONE]
        return {"communication_needs": needs, "communication_detail": self.cleaned_data["detail"]}


# The pages outside the checklist, in the order the patient sees them.
ANSWER_FORMS = {
    "distress": DistressForm,
    "anything-else": AnythingElseForm,
    "someone-with-you": CompanyForm,
    "communication": CommunicationForm,
}


class SendForm(forms.Form):
    """No fields: carries the reason a send was refused, so the page title starts "Error: "."""
