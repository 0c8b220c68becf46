"""How worklist items read: priority tags, due dates, who has it.

Each row's text is worked out once, here, when the row is made: the template only prints plain
attributes. A list page shows 50 rows or more, and a property read through Jinja's attribute lookup
(or Django's get_FOO_display, which rebuilds the field's choices on every call) costs more per cell
than printing the value (ADR 0057)."""

from django.utils import timezone

from portal.ui.presenters import format_date
from portal.worklist.models import Priority

PRIORITY_TAG = {
    Priority.URGENT: "nhsuk-tag--red",
    Priority.HIGH: "nhsuk-tag--orange",
    Priority.ROUTINE: "nhsuk-tag--grey",
}
PRIORITY_LABEL = {value: label for value, label in Priority.choices}


class WorkItemPresenter:
    __slots__ = ("item", "title", "patient_name", "patient_url", "link", "priority_label", "priority_class", "due",
                 "assignee")  # fmt: skip

    def __init__(self, item, today=None):
        """`item` comes with its patient and assignee loaded (select_related), or a query each."""
        today = today or timezone.localdate()
        self.item = item
        self.title = item.title
        if item.patient_id:
            self.patient_name = item.patient.full_name
            self.patient_url = f"/patients/{item.patient_id}/"
        else:
            self.patient_name, self.patient_url = "No patient matched", item.link
        self.link = item.link or self.patient_url
        self.priority_label = PRIORITY_LABEL[item.priority]
        self.priority_class = PRIORITY_TAG[item.priority]
        if item.due_by:
            self.due = format_date(item.due_by) + (" (overdue)" if item.due_by < today else "")
        else:
            self.due = "No date"
        self.assignee = str(item.assignee) if item.assignee_id else "Not assigned"
