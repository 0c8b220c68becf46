"""How a sent summary reads in the GP inbox and in the patient's "My care": list rows, the
read-only summary, each GP action with its latest answer, and the patient's copies."""

from django.urls import reverse

from portal.ui.presenters import format_date, format_nhs_number
from treatment_summaries.models import GPActionResponse, SummaryVersion
from treatment_summaries.presenters import SummaryPresenter

STATES = (("new", "New"), ("read", "Read"), ("acknowledged", "Acknowledged"))
STATE_LABEL = dict(STATES)
STATE_TAG = {"new": "nhsuk-tag--blue", "read": "nhsuk-tag--yellow", "acknowledged": "nhsuk-tag--green"}
RESPONSE_TAG = {
    GPActionResponse.Status.DONE: "nhsuk-tag--green",
    GPActionResponse.Status.NOT_APPLICABLE: "nhsuk-tag--grey",
}


def _rows(pairs) -> list[dict]:
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in pairs]


def _who(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


class InboxRow:
    """One delivery in the inbox list (the delivery comes with version, summary, patient and team).

    Every cell's text is worked out once, when the row is made: the template prints plain
    attributes, 50 rows a page (ADR 0057). `base_url` is the inbox's own URL, which each entry's
    URL extends (urls_inbox: "inbox/<delivery_id>/"), so a page reverses it once, not per row."""

    __slots__ = ("delivery", "version", "patient", "name", "nhs_number", "team", "sent", "amended", "superseded",
                 "state", "state_class", "url")  # fmt: skip

    def __init__(self, delivery, base_url: str | None = None):
        self.delivery = delivery
        self.version = version = delivery.version
        self.patient = patient = version.summary.patient
        self.name = patient.full_name
        self.nhs_number = format_nhs_number(patient.nhs_number)
        self.team = version.summary.team.name
        self.sent = format_date(version.sent_at)
        self.amended = version.is_amendment
        self.superseded = version.status == SummaryVersion.Status.SUPERSEDED
        state = delivery.state
        self.state = STATE_LABEL[state]
        self.state_class = STATE_TAG[state]
        base_url = base_url or reverse("treatment_summaries:inbox")
        self.url = f"{base_url}{delivery.pk}/"


class InboxPresenter:
    def __init__(self, counts: dict, state: str):
        self.counts = counts
        self.state = state

    def filters(self) -> list[dict]:
        base = reverse("treatment_summaries:inbox")
        total = sum(self.counts.values())
        items = [{"href": base, "text": f"All ({total})", "current": not self.state}]
        items += [
            {"href": f"{base}?state={code}", "text": f"{label} ({self.counts[code]})", "current": self.state == code}
            for code, label in STATES
        ]
        return items

    def page_query(self, number) -> str:
        return f"?state={self.state}&page={number}" if self.state else f"?page={number}"


class VersionPresenter:
    """The read-only summary for the practice: who it is about, then the same groups of rows the
    clinician's page and the PDF show (SummaryPresenter), so the GP reads the clinician's words."""

    def __init__(self, version: SummaryVersion):
        self.version = version
        self.patient = version.summary.patient
        self.content = SummaryPresenter(version)  # never editable here: no "Change" links

    @property
    def heading(self) -> str:
        return f"End of treatment summary for {self.patient.full_name}"

    @property
    def version_text(self) -> str:
        text = f"Version {self.version.number}"
        return f"{text} (amended)" if self.version.is_amendment else text

    @property
    def sent(self) -> str:
        return format_date(self.version.sent_at)

    def patient_rows(self) -> list[dict]:
        p = self.patient
        return _rows(
            [
                ("Name", p.full_name),
                ("NHS number", format_nhs_number(p.nhs_number)),
                ("Date of birth", format_date(p.date_of_birth)),
                ("Care team", self.version.summary.team.name),
                ("Signed off", self.content.signed_off),
            ]
        )

    def amendment_reason(self) -> str:
        return self.version.amendment_reason if self.version.is_amendment else ""


class ActionPresenter:
    """One action asked of the GP, its latest answer, and (for the practice) the form to answer it."""

    def __init__(self, action, latest, form=None, url=""):
        self.action = action
        self.latest = latest
        self.form = form
        self.url = url

    text = property(lambda self: self.action.text)

    @property
    def status(self) -> str:
        return self.latest.get_status_display() if self.latest else "Not answered yet"

    @property
    def status_class(self) -> str:
        return RESPONSE_TAG.get(self.latest.status, "") if self.latest else "nhsuk-tag--white"

    @property
    def answered(self) -> str:
        if not self.latest:
            return ""
        return f"{format_date(self.latest.created_at)} by {_who(self.latest.created_by)}"

    @property
    def note(self) -> str:
        return self.latest.note if self.latest else ""


class DeliveryPresenter:
    """The inbox entry: read and acknowledged, by whom and when."""

    def __init__(self, delivery):
        self.delivery = delivery

    state = property(lambda self: dict(STATES)[self.delivery.state])
    state_class = property(lambda self: STATE_TAG[self.delivery.state])

    def rows(self) -> list[dict]:
        d = self.delivery
        read = f"{format_date(d.first_read_at)} by {_who(d.first_read_by)}" if d.first_read_at else "Not yet"
        ack = f"{format_date(d.acknowledged_at)} by {_who(d.acknowledged_by)}" if d.acknowledged_at else "Not yet"
        return _rows([("Practice", d.practice.name), ("First read", read), ("Acknowledged", ack)])

    def url(self, name: str = "inbox_delivery") -> str:
        return reverse(f"treatment_summaries:{name}", kwargs={"delivery_id": self.delivery.pk})


class MyCopyPresenter:
    """One of the patient's summaries in My care."""

    def __init__(self, version, *, replaced: bool):
        self.version = version
        self.replaced = replaced

    team = property(lambda self: self.version.summary.team.name)
    sent = property(lambda self: format_date(self.version.sent_at.date()))
    amended = property(lambda self: self.version.is_amendment)

    @property
    def pdf_url(self) -> str:
        return reverse("treatment_summaries:my_summary_pdf", kwargs={"version_id": self.version.pk})


def pdf_filename(version) -> str:
    """No personal data: the name shows in download folders."""
    return f"end-of-treatment-summary-v{version.number}.pdf"
