"""The cancer care review form (issue 14 item 2), and its shorter early-contact twin: the same
class, with the fields an early contact does not ask about taken out (services.reviews.EARLY_FIELDS
decides which). The service checks dates and outcomes; the form checks what it can see alone."""

from django import forms
from django.core.exceptions import ValidationError

from care_reviews.models import Kind, Mode, Outcome
from care_reviews.services.reviews import EARLY_FIELDS, FIELDS, check
from portal import signposting
from portal.ui import forms as nhs

ACTION_ROWS = 3  # a blank row to fill without JavaScript; more actions go in a later review


class ReviewForm(forms.Form):
    outcome = nhs.ChoiceField(
        label="Was it done?",
        choices=Outcome.choices,
        hint="If the patient declined or could not be contacted, give the reason: nothing else on this page is kept.",
    )
    reason = nhs.TextareaField(label="Why it was not done", required=False)
    reviewed_on = nhs.DateField(label="Date", hint="For example, 15 3 2026")
    mode = nhs.ChoiceField(label="How was it done?", choices=Mode.choices, required=False)
    carer_attended = nhs.BooleanField(label="A carer or someone close to the patient was there", required=False)
    carer_name = nhs.CharField(label="Who was with the patient", required=False, max_length=200)
    experience = nhs.TextareaField(
        label="The patient's experience", required=False, hint="How diagnosis and treatment have been, in their words"
    )
    concerns_physical = nhs.TextareaField(label="Physical concerns", required=False)
    concerns_emotional = nhs.TextareaField(label="Emotional concerns", required=False)
    concerns_practical = nhs.TextareaField(label="Practical concerns", required=False)
    concerns_financial = nhs.TextareaField(label="Financial concerns", required=False)
    medication_reviewed = nhs.BooleanField(label="Medication review done", required=False)
    main_carer = nhs.CharField(
        label="Main carer's details",
        required=False,
        max_length=300,
        hint="Name, how they are related, and a phone number",
    )
    consequences_discussed = nhs.BooleanField(label="Consequences of treatment discussed", required=False)
    recurrence_symptoms_discussed = nhs.BooleanField(
        label="Symptoms of recurrence discussed, and what to do about them", required=False
    )
    lifestyle_advice = nhs.TextareaField(label="Lifestyle advice given", required=False)
    signposted = nhs.MultipleChoiceField(
        label="Signpost to information or a service",
        required=False,
        hint="From the resource library and services directory. Each is added to the signposting below.",
    )
    signposting = nhs.TextareaField(
        label="Signposting", required=False, hint="Services or information, and how to contact them"
    )
    getting_back_in = nhs.TextareaField(
        label="How to get back in touch, including out of hours",
        required=False,
        hint="Who to contact about new symptoms or worries, in hours and out of hours (NHS 111)",
    )
    next_review = nhs.DateField(label="Next review", required=False, hint="Leave blank if none is planned")

    def __init__(self, *args, kind, diagnosis, concern_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.diagnosis = kind, diagnosis
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}"] = nhs.TextareaField(label=f"Action {n}", required=False)
            self.fields[f"owner_{n}"] = nhs.CharField(
                label=f"Who will do action {n}",
                required=False,
                max_length=200,
                hint="The patient, the practice, or a named service",
            )
        keep = set(EARLY_FIELDS if kind == Kind.EARLY_CONTACT else FIELDS)
        for name in set(FIELDS) - keep:
            del self.fields[name]
        self.fields["signposted"].choices = signposting.choices(concern_codes)
        if not self.fields["signposted"].choices:
            del self.fields["signposted"]  # an empty library: free text only
        self.fields["outcome"].error_messages["required"] = "Select whether it was done"

    def clean(self):
        """Every problem at once: the service's own checks (dates, mode, reason) on what parsed, beside
        the owners missing from actions, so a person fixes the page in one go."""
        data = super().clean()
        for n in range(1, ACTION_ROWS + 1 if data.get("outcome") == Outcome.COMPLETED else 1):
            if (data.get(f"action_{n}") or "").strip() and not (data.get(f"owner_{n}") or "").strip():
                self.add_error(f"owner_{n}", f"Enter who will do action {n}")
        if "outcome" in data and "reviewed_on" in data:
            try:
                check(
                    diagnosis=self.diagnosis, kind=self.kind, outcome=data["outcome"], reviewed_on=data["reviewed_on"],
                    reason=data.get("reason", ""), mode=data.get("mode", ""), next_review=data.get("next_review"),
                )  # fmt: skip
            except ValidationError as refused:
                for name, words in refused.message_dict.items():
                    if name in self.fields and name not in self.errors:
                        self.add_error(name, words)
        return data

    def actions(self) -> list[tuple[str, str]]:
        rows = [
            (self.cleaned_data.get(f"action_{n}", ""), self.cleaned_data.get(f"owner_{n}", ""))
            for n in range(1, ACTION_ROWS + 1)
        ]
        return [(a, o) for a, o in rows if a.strip()]

    def review_fields(self) -> dict:
        """The Review's own fields, the picks written into the signposting text."""
        fields = {name: self.cleaned_data[name] for name in FIELDS if name in self.fields}
        fields["signposting"] = signposting.merged(
            fields.get("signposting", ""), self.cleaned_data.get("signposted") or []
        )
        return fields

    def groups(self) -> list[tuple[str, list]]:
        """The page's parts, each with a level-2 heading."""
        named = [
            ("The review", ["outcome", "reason", "reviewed_on", "mode", "carer_attended", "carer_name"]),
            ("The patient's experience and concerns", ["experience", "concerns_physical", "concerns_emotional",
                                                       "concerns_practical", "concerns_financial"]),
            ("What was covered", ["medication_reviewed", "main_carer", "consequences_discussed",
                                  "recurrence_symptoms_discussed", "lifestyle_advice", "signposted", "signposting"]),
            ("Actions agreed", [f"{p}_{n}" for n in range(1, ACTION_ROWS + 1) for p in ("action", "owner")]),
            ("Getting back in touch", ["getting_back_in", "next_review"]),
        ]  # fmt: skip
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in named]
