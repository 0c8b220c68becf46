"""What a practice owes its patients with cancer (issue 14 item 1): for every registered patient
diagnosed in the last 24 months, an early contact due by 3 months after diagnosis and a cancer care
review due between 6 and 12 months after it; and the contract indicator, the share of those patients
with a review within 12 months of diagnosis.

Read in a fixed number of queries whatever the list's size (the diagnoses with their patients, the
reviews, the open requests), then worked out in Python: a practice's list is hundreds of rows, not
millions. Each read goes through `visible_to(user)`, so the policy table decides who sees it."""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from care_reviews.models import Kind, Outcome, Review, ReviewRequest
from portal.people.models import Diagnosis

WINDOW_MONTHS = 24  # diagnosed in the last 24 months: the indicator's denominator
EARLY_BY_MONTHS = 3
REVIEW_FROM_MONTHS, REVIEW_BY_MONTHS = 6, 12


class State:
    DONE = "done"
    DECLINED = "declined"
    NOT_CONTACTABLE = "not contactable"
    OVERDUE = "overdue"
    MISSED = "missed"  # no early contact, but the review is done: nothing left to act on
    DUE = "due"
    NOT_YET = "not yet due"


STATE_TAGS = {
    State.DONE: "nhsuk-tag--green",
    State.DECLINED: "nhsuk-tag--grey",
    State.NOT_CONTACTABLE: "nhsuk-tag--grey",
    State.OVERDUE: "nhsuk-tag--red",
    State.MISSED: "nhsuk-tag--grey",
    State.DUE: "nhsuk-tag--yellow",
    State.NOT_YET: "nhsuk-tag--white",
}


@dataclass
class Step:
    """The early contact or the review for one diagnosis: when it is due, and where it stands."""

    kind: str
    opens: datetime.date
    due_by: datetime.date
    state: str
    review: Review | None = None

    @property
    def tag(self) -> str:
        return STATE_TAGS[self.state]


@dataclass
class Row:
    patient: object
    diagnosis: Diagnosis
    early: Step
    review: Step
    requested: bool = False

    @property
    def needs_action(self) -> bool:
        return (
            self.requested
            or self.early.state in (State.DUE, State.OVERDUE)
            or self.review.state
            in (
                State.DUE,
                State.OVERDUE,
            )
        )


@dataclass
class Indicator:
    numerator: int
    denominator: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.numerator / self.denominator) if self.denominator else None


@dataclass
class DueList:
    rows: list[Row] = field(default_factory=list)
    indicator: Indicator = field(default_factory=lambda: Indicator(0, 0))

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows for s in (r.early, r.review) if s.state == state)


def _state(kind, opens, due_by, done: Review | None, today) -> str:
    if done is not None:
        return {
            Outcome.COMPLETED: State.DONE,
            Outcome.DECLINED: State.DECLINED,
            Outcome.NOT_CONTACTABLE: State.NOT_CONTACTABLE,
        }[done.outcome]
    if today > due_by:
        return State.OVERDUE
    return State.DUE if today >= opens else State.NOT_YET


def _latest(reviews) -> Review | None:
    """A completed one if there is one, else the latest declined or not contactable."""
    completed = [r for r in reviews if r.outcome == Outcome.COMPLETED]
    return completed[0] if completed else (reviews[0] if reviews else None)


def step(kind: str, diagnosed: datetime.date, reviews: list, today: datetime.date) -> Step:
    if kind == Kind.EARLY_CONTACT:
        opens, due_by = diagnosed, diagnosed + relativedelta(months=EARLY_BY_MONTHS)
    else:
        opens = diagnosed + relativedelta(months=REVIEW_FROM_MONTHS)
        due_by = diagnosed + relativedelta(months=REVIEW_BY_MONTHS)
    done = _latest([r for r in reviews if r.kind == kind])
    return Step(kind, opens, due_by, _state(kind, opens, due_by, done, today), done)


def diagnoses_in_window(user, today=None):
    """The latest diagnosis in the window of each patient the user's practice may see."""
    return _in_window(Diagnosis.objects.visible_to(user), today or timezone.localdate())


def _in_window(diagnoses, today):
    since = today - relativedelta(months=WINDOW_MONTHS)
    found = (
        # A patient who has died is owed no review: they leave the list, the digest and the indicator.
        diagnoses.filter(
            date_of_diagnosis__gte=since, date_of_diagnosis__lte=today, patient__date_of_death__isnull=True
        )
        .select_related("patient")
        .order_by("patient_id", "-date_of_diagnosis")
        .distinct("patient_id")
    )
    return list(found)


def due_list(user, today=None) -> DueList:
    return due_list_of(
        Diagnosis.objects.visible_to(user),
        Review.objects.visible_to(user),
        ReviewRequest.objects.visible_to(user),
        today,
    )


def due_list_of(diagnoses, reviews_seen, requests_seen, today=None) -> DueList:
    """The due list over querysets already scoped: by `visible_to(user)` for a page, or to one
    practice for a job with no user (services.digest)."""
    today = today or timezone.localdate()
    diagnoses = _in_window(diagnoses, today)
    ids = [d.pk for d in diagnoses]
    reviews: dict = {}
    for review in reviews_seen.filter(diagnosis_id__in=ids).order_by("-reviewed_on"):
        reviews.setdefault(review.diagnosis_id, []).append(review)
    patients = [d.patient_id for d in diagnoses]
    requested = set(
        requests_seen.filter(closed_at__isnull=True, patient_id__in=patients).values_list("patient_id", flat=True)
    )
    rows = []
    numerator = 0
    for diagnosis in diagnoses:
        mine = reviews.get(diagnosis.pk, [])
        early = step(Kind.EARLY_CONTACT, diagnosis.date_of_diagnosis, mine, today)
        review = step(Kind.REVIEW, diagnosis.date_of_diagnosis, mine, today)
        if early.state == State.OVERDUE and review.state == State.DONE:
            early.state = State.MISSED
        done = review.review
        if done is not None and done.outcome == Outcome.COMPLETED and done.reviewed_on <= review.due_by:
            numerator += 1
        rows.append(Row(diagnosis.patient, diagnosis, early, review, diagnosis.patient_id in requested))
    return DueList(rows=rows, indicator=Indicator(numerator, len(diagnoses)))
