"""Care plan forms. Each carries the plan's `lock_version` in a hidden field: the service refuses a
save made from an older copy of the plan (see hna.services.care_plans)."""

from django import forms

from hna.models import ConcernItem, ItemOwner, ItemStatus, StaffRole
from portal import signposting
from portal.ui import forms as nhs

NEEDS_DETAIL = {ItemOwner.OTHER_PROFESSIONAL, ItemOwner.SERVICE}


class PlanEditForm(forms.Form):
    """Base: the hidden lock_version the page was drawn with."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].error_messages["required"] = "Reload the plan and try again"

    def visible(self):
        return [bf for bf in self if not bf.is_hidden]

    def refresh_lock_version(self, lock_version: int) -> None:
        """After a refused save: keep what the person typed, but let a deliberate second save (once
        they have checked the plan) go through against the version now stored."""
        self.data = self.data.copy()
        self.data[self.add_prefix("lock_version")] = str(lock_version)


class ItemForm(PlanEditForm):
    what_matters = nhs.TextareaField(
        label="What matters to the person", required=False, hint="In their words, if you can"
    )
    action = nhs.TextareaField(label="Agreed action", required=False)
    owner = nhs.ChoiceField(label="Who will do this?", required=False, choices=ItemOwner.choices)
    owner_detail = nhs.CharField(
        label="Name of the professional or service",
        required=False,
        max_length=200,
        hint="If another professional or a service will do this",
    )
    signposted = nhs.MultipleChoiceField(
        label="Signpost to information or a service",
        required=False,
        hint="From the resource library and services directory, matched to this concern. Each is added "
        "to the signposting below with its link or contact.",
    )
    signposting = nhs.TextareaField(
        label="Referral or signposting", required=False, hint="A service or resource, and how to contact it"
    )
    due_date = nhs.DateField(label="Due date", required=False, hint="For example, 15 3 2026")
    status = nhs.ChoiceField(label="Status", choices=ItemStatus.choices)
    outcome = nhs.TextareaField(label="Outcome", required=False)

    def __init__(self, *args, concern_code="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signposted"].choices = signposting.choices([concern_code])
        if not self.fields["signposted"].choices:
            del self.fields["signposted"]  # an empty library: nothing to pick
        self.fields["status"].error_messages["required"] = "Select the status of this action"
        self.fields["owner"].error_messages["invalid_choice"] = "Select who will do this"

    def clean(self):
        data = super().clean()
        if data.get("owner") in NEEDS_DETAIL and not data.get("owner_detail"):
            self.add_error("owner_detail", "Enter the name of the professional or service")
        return data

    def item_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.fields if name not in ("lock_version", "signposted")}
        fields["signposting"] = signposting.merged(fields["signposting"], self.cleaned_data.get("signposted") or [])
        return fields


class AddConcernForm(PlanEditForm):
    concern_item = nhs.SelectField(label="Choose a concern from the checklist", required=False)
    concern = nhs.CharField(
        label="Or describe another concern",
        required=False,
        max_length=200,
        hint="Only if it is not in the checklist",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        in_plan = plan.items.exclude(concern_item=None).values("concern_item")
        items = (
            ConcernItem.objects.filter(category__version=plan.assessment.checklist_version_id)
            .exclude(pk__in=in_plan)
            .select_related("category")
        )
        self.items = {str(item.pk): item for item in items}
        self.fields["concern_item"].choices = [("", "Choose a concern")] + [
            (key, f"{item.category.name}: {item.text}") for key, item in self.items.items()
        ]
        self.fields["concern_item"].error_messages["invalid_choice"] = "Choose a concern from the list"

    def clean(self):
        data = super().clean()
        chosen, written = data.get("concern_item"), (data.get("concern") or "").strip()
        if not chosen and not written and not self.errors:
            self.add_error("concern_item", "Choose a concern from the checklist or describe another one")
        elif chosen and written:
            self.add_error("concern", "Choose a concern from the checklist or describe one, not both")
        data["concern_item"] = self.items.get(chosen) if chosen else None
        return data


class SummaryForm(PlanEditForm):
    summary = nhs.TextareaField(
        label="Summary of the conversation",
        required=False,
        is_page_heading=True,
        hint="What you talked about and what was agreed, in words the patient will understand",
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class SharingForm(PlanEditForm):
    shared_with_gp = nhs.ChoiceField(
        label="Does the patient agree to share this plan with their GP practice?",
        choices=YES_NO,
        is_page_heading=True,
        hint="Their GP practice can read the plan once it is agreed and locked",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with_gp"].error_messages["required"] = (
            "Select yes if the patient agrees to share the plan with their GP practice"
        )


class LockVersionForm(PlanEditForm):
    """The "Agree and lock" button: the version the page showed and, from the confirmation page
    that listed the concerns with nothing recorded, that they may be locked blank."""

    confirm_blank = forms.BooleanField(widget=forms.HiddenInput, required=False)
    # The COSD staff role of who agrees the plan (the plan event's role in the export, ADR 0053).
    cosd_staff_role = nhs.ChoiceField(
        label="Your professional role",
        hint="The COSD staff role of who agrees the plan with the patient",
        choices=StaffRole.choices,
        required=False,
        label_classes="nhsuk-fieldset__legend--s",
        error_messages={"invalid_choice": "Select your professional role from the list"},
    )
