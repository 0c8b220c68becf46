"""Treatment summary forms, one per edit page. Each carries the draft's `lock_version` and number in
hidden fields: the service refuses a save made from an older copy (StaleEdit), and a save made
from a version that has since been signed off or amended is refused as locked."""

from django import forms
from django.core.exceptions import ValidationError

from portal.ui import forms as nhs
from treatment_summaries.models import (
    BenefitsForm,
    FollowUpPathway,
    GPActionOption,
    PrescriptionExemption,
    SideEffectOption,
    TreatmentAim,
    TreatmentType,
)
from treatment_summaries.presenters import SECTION_FIELDS
from treatment_summaries.services.summaries import gp_action_wording

YES_NO = [("yes", "Yes"), ("no", "No")]


class DraftForm(forms.Form):
    """Base: the hidden lock_version and version number the page was drawn with."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    version_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lock_version", "version_number"):
            self.fields[name].error_messages["required"] = "Reload the summary and try again"

    def visible(self):
        return [bf for bf in self if not bf.is_hidden]

    def refresh_lock_version(self, lock_version: int) -> None:
        """After a stale save: keep what the person typed, but let a deliberate second save go through."""
        self.data = self.data.copy()
        self.data[self.add_prefix("lock_version")] = str(lock_version)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name not in ("lock_version", "version_number")}


class DiagnosisForm(DraftForm):
    diagnosis_text = nhs.CharField(label="Diagnosis", required=False, max_length=300)
    date_of_diagnosis = nhs.DateField(label="Date of diagnosis", required=False, past_only=True,
                                      hint="For example, 15 3 2025")  # fmt: skip
    t_stage = nhs.CharField(label="T", required=False, max_length=10, width=4, hint="Tumour, for example T2")
    n_stage = nhs.CharField(label="N", required=False, max_length=10, width=4, hint="Nodes, for example N1")
    m_stage = nhs.CharField(label="M", required=False, max_length=10, width=4, hint="Metastases, for example M0")
    staging_comments = nhs.TextareaField(label="Staging comments", required=False)


class AimForm(DraftForm):
    treatment_aim = nhs.ChoiceField(label="Treatment aim", required=False, choices=TreatmentAim.choices)
    follow_up_pathway = nhs.ChoiceField(label="Follow-up pathway", required=False, choices=FollowUpPathway.choices)


class EffectsForm(DraftForm):
    """Tick lists for the treatment types given (data: SideEffectOption), then free text."""

    side_effects_text = nhs.TextareaField(label="Other side effects and late effects", required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        given = list(dict.fromkeys(version.treatments.values_list("treatment_type", flat=True)))
        ticked = {str(pk) for pk in version.side_effects.values_list("pk", flat=True)}
        options = SideEffectOption.objects.filter(treatment_type__in=given).order_by("position")
        self.tick_fields = []
        for treatment_type in sorted(given, key=TreatmentType.values.index):
            for kind, kind_label in SideEffectOption.Kind.choices:
                choices = [
                    (str(o.pk), o.text)
                    for o in options
                    if o.treatment_type == treatment_type and o.kind == kind and (not o.retired or str(o.pk) in ticked)
                ]
                if not choices:
                    continue
                name = f"ticks_{treatment_type}_{kind}"
                self.fields[name] = nhs.MultipleChoiceField(
                    label=f"{TreatmentType(treatment_type).label}: {kind_label.lower()}s",
                    required=False,
                    choices=choices,
                )
                self.initial[name] = [key for key, _ in choices if key in ticked]
                self.tick_fields.append(name)
        # The free text last, after the tick lists.
        self.fields["side_effects_text"] = self.fields.pop("side_effects_text")

    def option_ids(self) -> list[str]:
        return [pk for name in self.tick_fields for pk in self.cleaned_data.get(name, [])]

    def values(self) -> dict:
        return {"side_effects_text": self.cleaned_data["side_effects_text"]}


class ContactsForm(DraftForm):
    red_flags = nhs.TextareaField(
        label="Red-flag symptoms that need referral back",
        required=False,
        hint="Symptoms the patient or GP should report straight away, and to whom",
    )
    contacts_in_hours = nhs.TextareaField(label="Contacts in hours", required=False)
    contacts_out_of_hours = nhs.TextareaField(label="Contacts out of hours", required=False)
    responsible_clinician = nhs.CharField(label="Senior responsible clinician", required=False, max_length=200)
    cns_name = nhs.CharField(label="Clinical nurse specialist", required=False, max_length=200)


class PlanForm(DraftForm):
    referrals = nhs.TextareaField(label="Referrals made to other services", required=False)
    ongoing_management = nhs.TextareaField(
        label="Ongoing management and surveillance plan", required=False, hint="Include the tests and their dates"
    )
    new_medication = nhs.TextareaField(label="New medication", required=False)

    def beside_tests(self) -> None:
        """With the follow-up tests listed from the pathway, the free text is the rest of the plan."""
        field = self.fields["ongoing_management"]
        field.label = "Other ongoing management"
        field.help_text = "Anything else the GP and patient should know: the tests above are from the follow-up plan"


class InformationForm(DraftForm):
    information_given = nhs.TextareaField(
        label="Information given to the patient about their diagnosis and prognosis", required=False
    )
    patient_has_copy = nhs.ChoiceField(label="Does the patient have a copy of this summary?", required=False,
                                       choices=YES_NO)  # fmt: skip
    carer_contact = nhs.TextareaField(label="Carer or emergency contact", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.initial.get("patient_has_copy")
        if isinstance(value, bool):
            self.initial["patient_has_copy"] = "yes" if value else "no"

    def values(self) -> dict:
        values = super().values()
        values["patient_has_copy"] = {"yes": True, "no": False}.get(values["patient_has_copy"])
        return values


class SupportForm(DraftForm):
    """What the GP needs to know about benefits, prescriptions and registers; each may be left unrecorded."""

    benefits_form = nhs.ChoiceField(
        label="Special-rules benefits form given",
        required=False,
        choices=BenefitsForm.choices,
        hint="SR1 (or DS1500), for benefits when someone may be nearing the end of life",
    )
    benefits_form_date = nhs.DateField(label="Date the form was given", required=False, past_only=True,
                                       hint="For example, 15 3 2025")  # fmt: skip
    prescription_exemption = nhs.ChoiceField(label="Prescription charge exemption", required=False,
                                             choices=PrescriptionExemption.choices)  # fmt: skip
    supportive_care_register = nhs.ChoiceField(label="Is the palliative or supportive care register recommended?",
                                               required=False, choices=YES_NO)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in [
            ("benefits_form", "Select which benefits form was given"),
            ("prescription_exemption", "Select whether a prescription charge exemption was recommended or given"),
            ("supportive_care_register", "Select whether the palliative or supportive care register is recommended"),
        ]:
            self.fields[name].error_messages["invalid_choice"] = message
        value = self.initial.get("supportive_care_register")
        if isinstance(value, bool):
            self.initial["supportive_care_register"] = "yes" if value else "no"

    def clean(self):
        # The same rule as the model's (SummaryVersion.clean), here so it is named by the field.
        data = super().clean()
        form, date = data.get("benefits_form"), data.get("benefits_form_date")
        given = form not in ("", None, BenefitsForm.NONE)
        if given and date is None and "benefits_form_date" not in self.errors:
            self.add_error("benefits_form_date", f"Enter the date the {BenefitsForm(form).label} form was given")
        if not given and date is not None:
            self.add_error("benefits_form", "Select which benefits form was given, or remove the date")
        return data

    def values(self) -> dict:
        values = super().values()
        values["supportive_care_register"] = {"yes": True, "no": False}.get(values["supportive_care_register"])
        return values


SECTIONS = {
    "diagnosis": ("Diagnosis and staging", DiagnosisForm),
    "aim": ("Treatment aim and follow-up pathway", AimForm),
    "effects": ("Side effects and late effects", EffectsForm),
    "contacts": ("Red flags and contacts", ContactsForm),
    "plan": ("Ongoing management plan", PlanForm),
    "support": ("Benefits, prescriptions and registers", SupportForm),
    "information": ("Information and copies", InformationForm),
}
assert set(SECTIONS) == set(SECTION_FIELDS)


class TreatmentForm(DraftForm):
    treatment_type = nhs.ChoiceField(label="Type of treatment", choices=TreatmentType.choices)
    description = nhs.CharField(label="Description", max_length=300, hint="For example, 6 cycles of FEC-T")
    start_date = nhs.DateField(label="Start date", hint="For example, 15 3 2025")
    end_date = nhs.DateField(label="End date", required=False, hint="Leave blank if the treatment is ongoing")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatment_type"].error_messages["required"] = "Select the type of treatment"
        self.fields["description"].error_messages["required"] = "Enter a description of the treatment"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data


class GPActionForm(DraftForm):
    """One action: a prompt from the list (data: GPActionOption), the free text beside it, or both."""

    option = nhs.ChoiceField(label="What kind of action is it?", required=False)
    text = nhs.TextareaField(
        label="Details",
        required=False,
        max_length=400,
        hint="What the GP should do, for example: check PSA every 6 months and refer back if it rises. "
        "Needed for Other, or when no kind is chosen",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {str(o.pk): o for o in GPActionOption.objects.filter(retired=False)}
        self.fields["option"].choices = [(key, o.text) for key, o in self.options.items()]
        self.fields["option"].error_messages["invalid_choice"] = "Select one of the actions listed"

    def clean(self):
        # The service's own rule (a prompt such as "Other" needs the details), named on the field.
        data = super().clean()
        if "text" in data and not self.has_error("option"):
            try:
                gp_action_wording(self.chosen_option(), data["text"])
            except ValidationError as exc:
                self.add_error("text", exc.message_dict["text"])
        return data

    def chosen_option(self):
        return self.options.get(self.cleaned_data.get("option") or "")


class AmendForm(forms.Form):
    reason = nhs.TextareaField(
        label="Why are you amending this summary?",
        is_page_heading=True,
        hint="The GP practice and the patient will see the reason with the amended summary",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter the reason for the amendment"


class StartForm(forms.Form):
    diagnosis = nhs.ChoiceField(label="Which diagnosis is this summary about?", is_page_heading=True)

    def __init__(self, *args, diagnoses, **kwargs):
        super().__init__(*args, **kwargs)
        self.diagnoses = {str(d.pk): d for d in diagnoses}
        self.fields["diagnosis"].choices = [(key, str(d)) for key, d in self.diagnoses.items()]
        self.fields["diagnosis"].error_messages["required"] = "Select the diagnosis this summary is about"
        self.fields["diagnosis"].error_messages["invalid_choice"] = "Select the diagnosis this summary is about"

    def chosen(self):
        return self.diagnoses[self.cleaned_data["diagnosis"]]
