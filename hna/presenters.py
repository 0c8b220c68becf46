"""How HNAs read on staff pages: status tags, the team list, the passcode page, and the CNS review
(concerns ranked by score, grouped by category, compared with the previous HNA by item code)."""

from dataclasses import dataclass, field

from hna.forms_staff import PASSCODE_OFFER_STATUSES
from hna.models import Assessment, EntryMode, WantsCompany
from hna.presenters_patient import communication_lines
from hna.services.assessments import HIGH_DISTRESS
from hna.services.passcodes import display
from portal.people.models import Role
from portal.ui.presenters import format_date, format_nhs_number

STATUS_TAG = {
    Assessment.Status.SET_UP: "nhsuk-tag--grey",
    Assessment.Status.IN_PROGRESS: "nhsuk-tag--blue",
    Assessment.Status.SUBMITTED: "nhsuk-tag--orange",
    Assessment.Status.REVIEWED: "nhsuk-tag--green",
    Assessment.Status.CANCELLED: "nhsuk-tag--white",
}

CHANGE_TAGS = {
    "new": ("New", "nhsuk-tag--blue"),
    "higher": ("Higher", "nhsuk-tag--red"),
    "lower": ("Lower", "nhsuk-tag--green"),
    "same": ("Same", "nhsuk-tag--grey"),
    # Not ticked is not the same as resolved: the patient may have skipped it or had it solved elsewhere.
    "not_ticked": ("Not ticked this time", "nhsuk-tag--grey"),
}


def status_label(assessment) -> str:
    """A closed set-up that never reached the patient reads as its offer status ("Offered and declined")."""
    if assessment.status == Assessment.Status.CANCELLED and assessment.offer_status not in PASSCODE_OFFER_STATUSES:
        return assessment.get_offer_status_display()
    return assessment.get_status_display()


def role_label(role: str) -> str:
    return Role(role).label.lower() if role in Role.values else role


def _rank(score) -> int:
    """For sorting: an unscored concern sorts below a score of 0."""
    return -1 if score is None else score


def is_high(score) -> bool:
    return score is not None and score >= HIGH_DISTRESS


class AssessmentRow:
    """One line of the team list."""

    def __init__(self, assessment):
        self.assessment = assessment

    patient_name = property(lambda self: self.assessment.patient.full_name)
    nhs_number = property(lambda self: format_nhs_number(self.assessment.patient.nhs_number))
    url = property(lambda self: f"/hna/assessments/{self.assessment.pk}/")
    status = property(lambda self: status_label(self.assessment))
    status_class = property(lambda self: STATUS_TAG[self.assessment.status])
    set_up_on = property(lambda self: format_date(self.assessment.created_at.date()))
    high_distress = property(lambda self: is_high(self.assessment.distress_score))

    @property
    def distress(self) -> str:
        score = self.assessment.distress_score
        return "Not answered" if score is None else f"{score} out of 10"


def status_counts(counts: dict) -> list[dict]:
    """Counts by status, in the order the statuses move through, only those with any."""
    return [
        {"label": label, "count": counts[value], "class": STATUS_TAG[value]}
        for value, label in Assessment.Status.choices
        if counts.get(value)
    ]


class PasscodePresenter:
    """The passcode shown once to the professional, with what to tell the patient."""

    def __init__(self, assessment, raw, passcode, start_url, sent_to=""):
        self.assessment, self.raw, self.passcode = assessment, raw, passcode
        self.start_url, self.sent_to = start_url, sent_to

    display = property(lambda self: display(self.raw) if self.raw else "")
    spelled = property(lambda self: ", ".join(" ".join(part) for part in self.display.split("-")))
    expires = property(lambda self: format_date(self.passcode.expires_at.date()) if self.passcode else "")
    patient_name = property(lambda self: self.assessment.patient.full_name)
    date_of_birth = property(lambda self: format_date(self.assessment.patient.date_of_birth))
    review_url = property(lambda self: f"/hna/assessments/{self.assessment.pk}/")
    reissue_url = property(lambda self: f"/hna/assessments/{self.assessment.pk}/reissue/")
    can_reissue = property(lambda self: self.assessment.is_open_to_patient)

    @property
    def sent_message(self) -> str:
        patient = self.assessment.patient
        if self.sent_to == "email":
            return f"We are also sending it by email to {patient.email}."
        if self.sent_to == "sms":
            return f"We are also sending it by text message to {patient.mobile}."
        return ""


@dataclass
class ConcernRow:
    text: str
    score: int | None
    previous_score: int | None = None
    change: str = ""  # new, higher, lower, same, not_ticked; empty when there is nothing to compare

    @property
    def tag(self):
        return CHANGE_TAGS.get(self.change)

    @property
    def previous(self) -> str:
        return "Not ticked" if self.previous_score is None else str(self.previous_score)


@dataclass
class CategoryGroup:
    name: str
    position: int
    rows: list = field(default_factory=list)

    @property
    def top_score(self) -> int:
        return max(_rank(row.score) for row in self.rows)


def _change(score, previous_score) -> str:
    if _rank(score) > _rank(previous_score):
        return "higher"
    if _rank(score) < _rank(previous_score):
        return "lower"
    return "same"


def ranked_groups(answers, previous_answers=None) -> list[CategoryGroup]:
    """Ticked concerns grouped by category; highest score first within a category, and categories
    ordered by their highest score. With `previous_answers` (another HNA, any checklist version),
    each concern is marked against the item with the same code there."""
    before = {a.item.code: a for a in previous_answers or () if a.ticked}
    groups: dict[str, CategoryGroup] = {}
    for answer in answers:
        if not answer.ticked:
            continue
        category = answer.item.category
        group = groups.setdefault(category.code, CategoryGroup(category.name, category.position))
        row = ConcernRow(answer.item.text, answer.score)
        if previous_answers is not None:
            old = before.get(answer.item.code)
            row.previous_score = old.score if old else None
            row.change = _change(answer.score, row.previous_score) if old else "new"
        group.rows.append((answer.item.position, row))
    for group in groups.values():
        group.rows = [row for _, row in sorted(group.rows, key=lambda pair: (-_rank(pair[1].score), pair[0]))]
    return sorted(groups.values(), key=lambda g: (-g.top_score, g.position))


def not_ticked_rows(answers, previous_answers) -> list[ConcernRow]:
    """Concerns ticked last time and not this time, highest previous score first."""
    now = {a.item.code for a in answers if a.ticked}
    old = [a for a in previous_answers or () if a.ticked and a.item.code not in now]
    old.sort(key=lambda a: (-_rank(a.score), a.item.category.position, a.item.position))
    return [ConcernRow(a.item.text, None, a.score, "not_ticked") for a in old]


ENTERED = {
    EntryMode.PAPER: "Keyed in from paper",
    EntryMode.ASSISTED: "Completed with the patient (assisted)",
    EntryMode.IN_CLINIC: "Completed in clinic",
}


def completion_method(a) -> str:
    """How the answers reached the portal, for the review page, the PDF and the patient (ADR 0053):
    "Keyed in from paper by Jo Bloggs (Clinical nurse specialist) on 3 December 2026, paper dated ..."."""
    if a.entry_mode == EntryMode.PATIENT_SELF:
        return "Completed by the patient online"
    who = a.entered_by.get_full_name() or a.entered_by.email
    text = f"{ENTERED[a.entry_mode]} by {who} ({a.get_cosd_staff_role_display()})"
    if a.submitted_at:
        text += f" on {format_date(a.submitted_at)}"
    if a.completed_on_paper:
        text += f", paper dated {format_date(a.completed_on_paper)}"
    return text


class ReviewPresenter:
    """The CNS review page for one assessment."""

    def __init__(self, assessment, answers, previous=None, previous_answers=None, passcode=None, plan=None):
        self.assessment, self.previous, self.passcode = assessment, previous, passcode
        self.plan = plan  # the newest version of this assessment's plan the viewer may open, if any
        answers = list(answers)
        prev = list(previous_answers) if previous is not None else None
        self.groups = ranked_groups(answers, prev)
        self.not_ticked = not_ticked_rows(answers, prev) if prev is not None else []
        self.concern_count = sum(len(g.rows) for g in self.groups)

    a = property(lambda self: self.assessment)
    patient_name = property(lambda self: self.a.patient.full_name)
    nhs_number = property(lambda self: format_nhs_number(self.a.patient.nhs_number))
    patient_url = property(lambda self: f"/patients/{self.a.patient_id}/")
    status = property(lambda self: status_label(self.a))
    status_class = property(lambda self: STATUS_TAG[self.a.status])
    has_answers = property(lambda self: self.a.status in (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED))
    waiting = property(lambda self: self.a.is_open_to_patient)
    being_entered = property(lambda self: self.waiting and self.a.entry_mode != EntryMode.PATIENT_SELF)
    can_mark_reviewed = property(lambda self: self.a.status == Assessment.Status.SUBMITTED)
    can_start_plan = property(lambda self: self.has_answers and self.plan is None)
    plan_url = property(lambda self: f"/hna/plans/{self.plan.pk}/" if self.plan else "")
    distress = property(lambda self: self.a.distress_score)
    high_distress = property(lambda self: is_high(self.a.distress_score))
    high_distress_threshold = HIGH_DISTRESS
    previous_distress = property(lambda self: self.previous.distress_score if self.previous else None)
    previous_date = property(lambda self: format_date(self.previous.submitted_at.date()) if self.previous else "")
    previous_url = property(lambda self: f"/hna/assessments/{self.previous.pk}/" if self.previous else "")
    urls = property(
        lambda self: {
            name: f"/hna/assessments/{self.a.pk}/{suffix}"
            for name, suffix in (
                ("reissue", "reissue/"),
                ("reviewed", "reviewed/"),
                ("plan", "plan/"),
                ("account_passcode", "account-passcode/"),
                ("offer_outcome", "offer-outcome/"),
                ("enter_scores", "enter/scores/"),
            )
        }
    )

    def cosd_rows(self) -> list[dict]:
        a = self.a
        set_up_by = a.set_up_by.get_full_name() or a.set_up_by.email
        rows = [
            ("Point of pathway", a.get_point_of_pathway_display()),
            ("What prompted it", a.get_trigger_display()),
            ("Offer status", f"{a.get_offer_status_display()}, {format_date(a.offer_status_date)}"),
            ("Date of the offer", format_date(a.event_date)),
            ("Set up by", f"{set_up_by} ({role_label(a.staff_role)}), {format_date(a.created_at)}"),
            ("COSD staff role", a.get_cosd_staff_role_display()),
            ("Checklist", f"Version {a.checklist_version.number}: {a.checklist_version.name}"),
            ("How it was completed", completion_method(a)),
        ]
        if a.submitted_at:
            sent = "Sent by the patient" if a.entry_mode == EntryMode.PATIENT_SELF else "Sent to the review"
            rows.append((sent, format_date(a.submitted_at)))
        if a.reviewed_at:
            reviewer = a.reviewed_by.get_full_name() or a.reviewed_by.email
            rows.append(("Reviewed", f"{format_date(a.reviewed_at)} by {reviewer}"))
        return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]

    @property
    def passcode_state(self) -> str:
        p = self.passcode
        if p is None:
            return "No passcode has been made."
        return {
            "live": f"The patient's passcode works until {format_date(p.expires_at.date())}.",
            "locked": "The passcode is locked after too many wrong dates of birth. Reissue a new one.",
            "expired": f"The passcode expired on {format_date(p.expires_at.date())}. Reissue a new one.",
        }.get(p.state, "The passcode no longer works. Reissue a new one if the patient needs it.")

    @property
    def wants_company(self) -> str:
        return WantsCompany(self.a.wants_company).label if self.a.wants_company else "Not answered"

    @property
    def communication_needs(self) -> str:
        return ", ".join(communication_lines(self.a.communication_needs, self.a.communication_detail)) or "None"

    def patient_rows(self) -> list[dict]:
        rows = [
            ("Anything else", self.a.anything_else or "Nothing"),
            ("Would like someone with them", self.wants_company),
            ("Communication needs", self.communication_needs),
        ]
        return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]
