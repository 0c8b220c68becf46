"""How a care plan reads, on screen and in its PDF (both templates use these presenters)."""

from django.urls import reverse

from hna.models import CarePlan, ItemOwner, ItemStatus
from hna.services.care_plans import is_blank
from portal.ui.presenters import format_date, format_nhs_number

STATUS_TAG = {
    CarePlan.Status.DRAFT: "nhsuk-tag--grey",
    CarePlan.Status.LOCKED: "nhsuk-tag--green",
    CarePlan.Status.SUPERSEDED: "nhsuk-tag--white",
}
NOT_RECORDED = "Not recorded"
# Each part of a concern's plan: (field, staff wording, the patient's wording).
ITEM_PARTS = [
    ("what_matters", "What matters to the person", "What matters to you"),
    ("action", "Agreed action", "What we agreed"),
    ("owner", "Who will do this", "Who will do this"),
    ("signposting", "Referral or signposting", "Where to get help"),
    ("due_date", "Due date", "By when"),
    ("status", "Status", "Progress"),
    ("outcome", "Outcome", "How it went"),
]
PATIENT_OWNER = {
    ItemOwner.PATIENT: "You",
    ItemOwner.CNS: "Your clinical nurse specialist",
    ItemOwner.OTHER_PROFESSIONAL: "Another professional",
    ItemOwner.SERVICE: "A service",
}


def _rows(pairs) -> list[dict]:
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in pairs]


class ItemPresenter:
    def __init__(self, item, *, editable=False, patient_view=False):
        self.item = item
        self.editable = editable
        self.patient_view = patient_view

    @property
    def is_blank(self) -> bool:
        return is_blank(self.item)

    @property
    def concern(self) -> str:
        return self.item.concern

    @property
    def category(self) -> str:
        return self.item.category or "Added by the care team"

    @property
    def score(self) -> str:
        if self.item.added_by_staff:
            return "Added by the care team"
        if self.item.score is None:
            return "Not scored"
        return f"Scored {self.item.score} out of 10"

    @property
    def owner(self) -> str:
        item = self.item
        if not item.owner:
            return NOT_RECORDED
        label = ItemOwner(item.owner).label
        return f"{label}: {item.owner_detail}" if item.owner_detail else label

    @property
    def edit_url(self) -> str:
        return reverse("hna:plan_item", kwargs={"plan_id": self.item.plan_id, "item_id": self.item.pk})

    def pairs(self) -> list[tuple[str, str]]:
        item = self.item
        return [
            ("What matters to the person", item.what_matters or NOT_RECORDED),
            ("Agreed action", item.action or NOT_RECORDED),
            ("Who will do this", self.owner),
            ("Referral or signposting", item.signposting or "None"),
            ("Due date", format_date(item.due_date) or "No date"),
            ("Status", item.get_status_display()),
            ("Outcome", item.outcome or NOT_RECORDED),
        ]

    def rows(self) -> list[dict]:
        return _rows(self.pairs())

    def _value(self, name) -> str:
        """The part as recorded, "" when it is not; in the patient's words for the patient."""
        item = self.item
        if name == "owner" and item.owner:
            label = PATIENT_OWNER[item.owner] if self.patient_view else ItemOwner(item.owner).label
            return f"{label}: {item.owner_detail}" if item.owner_detail else label
        if name == "due_date":
            return format_date(item.due_date) or ""
        if name == "status":
            # "Not started" is the default, not something anyone recorded; it says something only
            # next to an agreed action.
            recorded = item.status != ItemStatus.NOT_STARTED or (item.action or item.owner)
            return item.get_status_display() if recorded else ""
        return getattr(item, name)

    def recorded_pairs(self) -> list[tuple[str, str]]:
        """Only what was recorded, so a half-filled plan reads short (the patient's page, the PDF)."""
        pairs = []
        for name, staff, patient in ITEM_PARTS:
            if value := self._value(name):
                pairs.append((patient if self.patient_view else staff, value))
        return pairs

    def recorded_rows(self) -> list[dict]:
        return _rows(self.recorded_pairs())

    @property
    def not_recorded(self) -> str:
        """For staff: the parts left blank, in one line ("Not recorded: who will do this, outcome")."""
        missing = [staff.lower() for name, staff, _ in ITEM_PARTS if name != "status" and not self._value(name)]
        return f"Not recorded: {', '.join(missing)}." if missing else ""


class PlanPresenter:
    """`editor`: the viewer is in the patient's care team (may change a draft); `patient_view`: the
    viewer is the patient. `newer`/`older`: the neighbouring versions this viewer may open."""

    def __init__(self, plan, *, editor=False, patient_view=False, newer=None, older=None):
        self.plan = plan
        self.editor = editor
        self.patient_view = patient_view
        self.newer = newer
        self.older = older

    @property
    def editable(self) -> bool:
        return self.editor and self.plan.status == CarePlan.Status.DRAFT

    @property
    def is_draft(self) -> bool:
        return self.plan.status == CarePlan.Status.DRAFT

    @property
    def is_superseded(self) -> bool:
        return self.plan.status == CarePlan.Status.SUPERSEDED

    @property
    def can_unlock(self) -> bool:
        return self.editor and self.plan.status == CarePlan.Status.LOCKED

    @property
    def heading(self) -> str:
        return "Your care and support plan" if self.patient_view else "Care and support plan"

    @property
    def version(self) -> str:
        return f"Version {self.plan.version}"

    @property
    def status(self) -> str:
        return self.plan.get_status_display()

    @property
    def status_class(self) -> str:
        return STATUS_TAG[self.plan.status]

    @property
    def patient_name(self) -> str:
        return self.plan.patient.full_name

    @property
    def nhs_number(self) -> str:
        return format_nhs_number(self.plan.patient.nhs_number)

    @property
    def team(self) -> str:
        return self.plan.team.name

    @property
    def agreed(self) -> str:
        plan = self.plan
        if not plan.locked_at:
            return "Not yet agreed"
        who = plan.locked_by.get_full_name() or plan.locked_by.email
        return f"{format_date(plan.locked_at)} by {who}"

    @property
    def agreed_with_you(self) -> str:
        """The patient's words for a locked plan: who they agreed it with, and when."""
        if not self.plan.locked_at:
            return "This plan has not been agreed yet."
        return f"Your plan, agreed with {self.team} on {format_date(self.plan.locked_at)}."

    @property
    def shared_with_your_gp(self) -> str:
        if self.plan.shared_with_gp:
            return "Your GP practice can read this plan too."
        return "Your GP practice cannot read this plan. Tell your care team if you would like them to."

    def contact_pairs(self) -> list[tuple[str, str]]:
        """Who to call about the plan: the team and trust, and the numbers and email held for them."""
        team = self.plan.team
        organisation = team.organisation
        pairs = [
            ("Care team", f"{team.name}, {organisation.name}"),
            ("Phone", team.phone or organisation.phone),
            ("Out of hours", team.out_of_hours_phone),
            ("Email", team.email or organisation.email),
        ]
        return [(key, value) for key, value in pairs if value]

    @property
    def sharing(self) -> str:
        if self.plan.shared_with_gp:
            return "Yes, the patient agrees to share this plan with their GP practice"
        return "No, not shared with the GP practice"

    @property
    def summary(self) -> str:
        return self.plan.summary

    @property
    def filename(self) -> str:
        # No name or NHS number: download folders and email attachments are not private.
        return f"care-plan-v{self.plan.version}.pdf"

    def url(self, name="hna:plan", plan=None) -> str:
        return reverse(name, kwargs={"plan_id": (plan or self.plan).pk})

    @property
    def newer_url(self) -> str:
        return self.url(plan=self.newer) if self.newer else ""

    @property
    def older_url(self) -> str:
        return self.url(plan=self.older) if self.older else ""

    @property
    def superseded_text(self) -> str:
        if self.newer:
            return f"This version has been replaced by version {self.newer.version}."
        return "A newer version of this plan is being prepared. This is the most recent agreed version."

    def pairs(self) -> list[tuple[str, str]]:
        plan = self.plan
        pairs = [
            ("Name", self.patient_name),
            ("NHS number", self.nhs_number),
            ("Care team", self.team),
            ("Version", f"{self.version} ({self.status.lower()})"),
            ("Assessment date", format_date(plan.assessment.event_date)),
            ("Agreed", self.agreed),
            ("Shared with GP practice", self.sharing),
        ]
        return pairs

    def rows(self) -> list[dict]:
        rows = _rows(self.pairs())
        if self.editable:
            rows[-1]["actions"] = {
                "items": [
                    {
                        "href": self.url("hna:plan_sharing"),
                        "text": "Change",
                        "visuallyHiddenText": "sharing with the GP practice",
                    }
                ]
            }
        return rows

    def summary_rows(self) -> list[dict]:
        return _rows([("Summary of the conversation", self.summary or "No summary written yet")])

    def sharing_rows(self) -> list[dict]:
        return _rows([("Shared with GP practice", self.sharing)])

    def items(self) -> list[ItemPresenter]:
        return [
            ItemPresenter(item, editable=self.editable, patient_view=self.patient_view)
            for item in self.plan.items.all()
        ]

    def agreed_items(self) -> list[ItemPresenter]:
        """Concerns with something recorded (the patient reads these in full)."""
        return [item for item in self.items() if not item.is_blank]

    def blank_items(self) -> list[ItemPresenter]:
        """Concerns with nothing recorded: the patient sees only their names, in one list."""
        return [item for item in self.items() if item.is_blank]
