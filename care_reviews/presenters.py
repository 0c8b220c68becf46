"""How the practice's due list reads: counts first, filters and sorts as links (no JavaScript), each
patient's early contact and review with its state and date."""

from urllib.parse import urlencode

from markupsafe import Markup

from care_reviews.models import Kind, Outcome
from care_reviews.services.due import State
from portal.ui.presenters import format_date, format_nhs_number

FILTERS = [
    ("", "All"),
    ("action", "Needing action"),
    (State.OVERDUE, "Overdue"),
    (State.DUE, "Due now"),
    ("requested", "Asked for a review"),
    (State.DONE, "Review done"),
]
SORTS = {
    "due": ("Review due by", lambda r: (r.review.due_by, r.patient.family_name)),
    "diagnosed": ("Diagnosed", lambda r: (r.diagnosis.date_of_diagnosis, r.patient.family_name)),
    "name": ("Name", lambda r: (r.patient.family_name.lower(), r.patient.given_name.lower())),
}


def keep(row, shown: str) -> bool:
    if shown == "action":
        return row.needs_action
    if shown == "requested":
        return row.requested
    if shown == State.DONE:
        return row.review.state == State.DONE
    if shown in (State.OVERDUE, State.DUE):
        return shown in (row.early.state, row.review.state)
    return True


def step_text(step) -> str:
    if step.review is not None:
        return f"{step.state.capitalize()} {format_date(step.review.reviewed_on)}"
    if step.state == State.NOT_YET:
        return f"From {format_date(step.opens)}"
    return f"{step.state.capitalize()}: by {format_date(step.due_by)}"


SLUGS = {Kind.EARLY_CONTACT: "early-contact", Kind.REVIEW: "review"}


def record_url(diagnosis, kind) -> str:
    return f"/care-reviews/diagnoses/{diagnosis.pk}/{SLUGS[kind]}/"


def _step_view(row, step) -> dict:
    """The step's state, and where to go: the review when it is done, else the form to record it."""
    done = step.review is not None and step.review.outcome == Outcome.COMPLETED
    if done:
        href, words = f"/care-reviews/reviews/{step.review.pk}/", "Read"
    else:
        href, words = record_url(row.diagnosis, step.kind), "Record"
    what = "early contact" if step.kind == Kind.EARLY_CONTACT else "review"
    return {"text": step_text(step), "tag": step.tag, "href": href, "link_text": f"{words} {what}"}


def row_view(row) -> dict:
    return {
        "name": row.patient.full_name,
        "nhs_number": format_nhs_number(row.patient.nhs_number),
        "diagnosis": f"{row.diagnosis.get_tumour_site_display()}, {format_date(row.diagnosis.date_of_diagnosis)}",
        "early": _step_view(row, row.early),
        "review": _step_view(row, row.review),
        "requested": row.requested,
        "url": f"/patients/{row.patient.pk}/",
    }


def links(shown: str, sort: str) -> dict:
    def href(**params):
        query = {k: v for k, v in {"show": shown, "sort": sort, **params}.items() if v}
        return "?" + urlencode(query) if query else "?"

    return {
        "filters": [{"text": t, "href": href(show=v), "current": v == shown} for v, t in FILTERS],
        "sorts": [{"text": t, "href": href(sort=k), "current": k == sort} for k, (t, _) in SORTS.items()],
    }


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def review_pairs(review) -> list[tuple[str, str]]:
    """What the review says, in the patient's words order: the page, the PDF and the API agree."""
    pairs = [
        ("What it was", review.get_kind_display()),
        ("Date", format_date(review.reviewed_on)),
        ("Outcome", review.get_outcome_display()),
    ]
    if review.outcome != Outcome.COMPLETED:
        return [*pairs, ("Why", review.reason)]
    pairs += [
        ("How", review.get_mode_display()),
        ("Carer there", review.carer_name or _yes(review.carer_attended)),
        ("How things have been", review.experience),
        ("Physical concerns", review.concerns_physical),
        ("Emotional concerns", review.concerns_emotional),
        ("Practical concerns", review.concerns_practical),
        ("Money worries", review.concerns_financial),
    ]
    if review.kind == Kind.REVIEW:
        pairs += [
            ("Medicines reviewed", _yes(review.medication_reviewed)),
            ("Main carer", review.main_carer),
            ("Effects of treatment talked about", _yes(review.consequences_discussed)),
            ("Signs the cancer may have come back talked about", _yes(review.recurrence_symptoms_discussed)),
            ("Lifestyle advice", review.lifestyle_advice),
        ]
    pairs += [
        ("Where to get help", review.signposting),
        ("How to get back in touch, including out of hours", review.getting_back_in),
    ]
    if review.kind == Kind.REVIEW:
        pairs.append(("Next review", format_date(review.next_review) if review.next_review else ""))
    return [(key, value or "None recorded") for key, value in pairs]


def review_rows(review) -> list[dict]:
    """Summary list rows; typed text keeps its line breaks (escaped, then joined with <br>)."""
    return [
        {"key": {"text": key}, "value": {"html": Markup("<br>").join(value.splitlines())}}
        for key, value in review_pairs(review)
    ]
