"""The practice's answer to one action asked of the GP."""

from django import forms

from portal.ui import forms as nhs
from treatment_summaries.models import GPActionResponse
from treatment_summaries.services.inbox import NOT_APPLICABLE_NEEDS_NOTE


class ActionResponseForm(forms.Form):
    status = nhs.ChoiceField(
        label="Is this done?",
        choices=GPActionResponse.Status.choices,
        label_classes="nhsuk-fieldset__legend--s",
        error_messages={"required": "Select done or not applicable"},
    )
    note = nhs.TextareaField(
        label="Note",
        required=False,
        max_length=2000,
        hint="Needed if the action does not apply",
    )

    def __init__(self, *args, action, **kwargs):
        # Several of these forms share a page: ids are made unique per action, names stay plain.
        kwargs.setdefault("auto_id", f"action-{action.pk}-%s")
        super().__init__(*args, **kwargs)
        self.action = action
        # Each legend names its action, so a screen reader moving between the forms knows which it is.
        self.fields["status"].label = f"Is “{action.text}” done?"

    def clean(self):
        data = super().clean()
        if data.get("status") == GPActionResponse.Status.NOT_APPLICABLE and not (data.get("note") or "").strip():
            self.add_error("note", NOT_APPLICABLE_NEEDS_NOTE)
        return data
