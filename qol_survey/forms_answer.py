"""Forms for the respondent's pages: one question per page, each message in plain English."""

from django import forms

from portal.ui import forms as nhs
from qol_survey.models import ItemPart

NOT_RIGHT = (
    "The code or date of birth is not right. Check them and try again. If it still does not work, call your care team."
)
LINK_NOT_RIGHT = (
    "The link or date of birth is not right. Check your date of birth and try again. "
    "If it still does not work, call your care team."
)
YES_NO = [("yes", "Yes"), ("no", "No")]


class BirthDateField(nhs.DateField):
    """As the HNA start page's (hna.forms_patient, which apps may not import): autocomplete names
    each box's purpose (WCAG 1.3.5)."""

    def component_params(self, bf):
        params = super().component_params(bf)
        for item, part in zip(params["items"], ("day", "month", "year"), strict=True):
            item["autocomplete"] = f"bday-{part}"
        return params


def _birth_date():
    return BirthDateField(
        label="Date of birth",
        hint="For example, 15 3 1948",
        past_only=True,
        error_messages={"required": "Enter your date of birth"},
    )


class LinkForm(forms.Form):
    """The emailed or texted link names the invitation: only the date of birth is asked."""

    date_of_birth = _birth_date()


class CodeForm(forms.Form):
    code = nhs.CharField(
        label="Code from your letter",
        hint="12 letters and numbers, for example ABCD-EFGH-JKLM",
        max_length=30,
        autocomplete="off",
        spellcheck=False,
        width=20,
        error_messages={"required": "Enter the code from your letter", "max_length": NOT_RIGHT},
    )
    date_of_birth = _birth_date()


class QuestionForm(forms.Form):
    """One item: radios with its answer labels, or the 0-100 number for health today. Leaving it
    blank is allowed (the survey's scoring copes); an answer outside the scale is not."""

    def __init__(self, *args, step, total, **kwargs):
        super().__init__(*args, **kwargs)
        item = step.item
        caption = f"Question {step.number} of {total}"
        if item.part == ItemPart.HEALTH_TODAY:
            wrong = f"Your health today must be a whole number from {item.lowest} to {item.highest}"
            field = nhs.IntegerField(
                label=item.wording,
                is_page_heading=True,
                required=False,
                min_value=item.lowest,
                max_value=item.highest,
                hint=f"{caption}. Type a number from {item.lowest} to {item.highest}, or leave it blank to skip it.",
            )
            field.error_messages.update(invalid=wrong, min_value=wrong, max_value=wrong)
        else:
            labels = item.answer_labels or [str(n) for n in range(item.lowest, item.highest + 1)]
            wrong = f"Select one of the answers to question {step.number}"
            field = nhs.ChoiceField(
                label=item.wording,
                is_page_heading=True,
                required=False,
                hint=f"{caption}. Select one answer, or skip this question.",
                choices=[(str(item.lowest + i), label) for i, label in enumerate(labels)],
                error_messages={"invalid_choice": wrong},
            )
        self.fields["answer"] = field

    def answer(self) -> int | None:
        value = self.cleaned_data.get("answer")
        return None if value in (None, "") else int(value)


class SendForm(forms.Form):
    share_with_gp = nhs.ChoiceField(
        label="Send a copy of your report to your GP?",
        hint="Your GP surgery can then see your scores. We will send it unless you say no.",
        choices=YES_NO,
        initial="yes",
        error_messages={"required": "Select yes if we may send a copy of your report to your GP"},
    )
    may_contact = nhs.ChoiceField(
        label="May your care team contact you about your answers?",
        hint="For example, if your answers show something they may be able to help with.",
        choices=YES_NO,
        error_messages={"required": "Select yes if your care team may contact you about your answers"},
    )

    def choices(self) -> dict:
        return {name: self.cleaned_data[name] == "yes" for name in ("share_with_gp", "may_contact")}


class OptOutForm(forms.Form):
    """No fields once the invitation is open: carries a refusal so the title starts "Error: "."""


class OptOutLinkForm(LinkForm):
    pass


class OptOutCodeForm(CodeForm):
    pass
