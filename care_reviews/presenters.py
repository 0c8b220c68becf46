"""How the practice's due list reads: counts first, filters and sorts as links (no JavaScript), each
patient's early contact and review with its state and date."""

from urllib.parse import urlencode

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


def row_view(row) -> dict:
    return {
        "name": row.patient.full_name,
        "nhs_number": format_nhs_number(row.patient.nhs_number),
        "diagnosis": f"{row.diagnosis.get_tumour_site_display()}, {format_date(row.diagnosis.date_of_diagnosis)}",
        "early": {"text": step_text(row.early), "tag": row.early.tag},
        "review": {"text": step_text(row.review), "tag": row.review.tag},
        "requested": row.requested,
        "url": f"/patients/{row.patient.pk}/",  # the patient's page; the review form comes next
    }


def links(shown: str, sort: str) -> dict:
    def href(**params):
        query = {k: v for k, v in {"show": shown, "sort": sort, **params}.items() if v}
        return "?" + urlencode(query) if query else "?"

    return {
        "filters": [{"text": t, "href": href(show=v), "current": v == shown} for v, t in FILTERS],
        "sorts": [{"text": t, "href": href(sort=k), "current": k == sort} for k, (t, _) in SORTS.items()],
    }
