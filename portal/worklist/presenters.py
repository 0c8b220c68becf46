"""How worklist items read: priority tags, due dates, who has it."""

from django.utils import timezone

from portal.ui.presenters import format_date
from portal.worklist.models import Priority

PRIORITY_TAG = {
    Priority.URGENT: "nhsuk-tag--red",
    Priority.HIGH: "nhsuk-tag--orange",
    Priority.ROUTINE: "nhsuk-tag--grey",
}


class WorkItemPresenter:
    def __init__(self, item, today=None):
        self.item = item
        self.today = today or timezone.localdate()

    @property
    def patient_name(self):
        return self.item.patient.full_name if self.item.patient_id else "No patient matched"

    @property
    def patient_url(self):
        return f"/patients/{self.item.patient_id}/" if self.item.patient_id else self.item.link

    @property
    def link(self):
        return self.item.link or self.patient_url

    @property
    def priority_label(self):
        return self.item.get_priority_display()

    @property
    def priority_class(self):
        return PRIORITY_TAG[self.item.priority]

    @property
    def due(self):
        if not self.item.due_by:
            return "No date"
        overdue = " (overdue)" if self.item.due_by < self.today else ""
        return format_date(self.item.due_by) + overdue

    @property
    def assignee(self):
        return str(self.item.assignee) if self.item.assignee_id else "Not assigned"
