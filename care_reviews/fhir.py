"""A cancer care review as a FHIR R4 Composition (plain dict; validated with fhir.resources R4B in
the tests; ADR 0047). A review is the practice's written record of one conversation, read by the
practice and given to the patient as their summary: a document, so a Composition, its sections in
the order the review page shows them. The conversation itself (how it was done, on which day) is a
contained Encounter, which exists only inside this Composition (it has no id of its own to read, so
no second channel to scope). A review declined or not contactable had no conversation: it has no
Encounter and one section, why not.

The builder reads only what `care_reviews.api.reviews` fetched (patient, practice, recorded_by and
the actions prefetched), so a search Bundle costs the same queries for one review as for twenty."""

from html import escape

from care_reviews.models import Kind, Mode, Outcome, Review
from care_reviews.services.reviews import EARLY_FIELDS
from portal.fhir.resources import compact, organisation_reference, patient_reference
from portal.ui.presenters import format_date

CODES = "https://portal.example.nhs.uk/fhir/CodeSystem/"
KIND_CODES = CODES + "care-review-kind"
OUTCOME_CODES = CODES + "care-review-outcome"
SECTION_CODES = CODES + "care-review-section"
MODE_CODES = CODES + "care-review-mode"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
URI_SYSTEM = "urn:ietf:rfc:3986"
XHTML = "http://www.w3.org/1999/xhtml"
# Encounter.class is the standard place for "how": in person is ambulatory, phone and video virtual.
# Our own mode code (Encounter.type) keeps phone and video apart.
ENCOUNTER_CLASS = {
    Mode.FACE_TO_FACE: {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"},
    Mode.PHONE: {"system": ACT_CODE, "code": "VR", "display": "virtual"},
    Mode.VIDEO: {"system": ACT_CODE, "code": "VR", "display": "virtual"},
}
# Encounter.class is required: a completed review with no mode (made outside the service, which
# asks for one) is "unknown", not a guess.
UNKNOWN_CLASS = {"system": "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "code": "UNK", "display": "unknown"}
ENCOUNTER_ID = "encounter"
# What was covered: (field, words); each is shown only for the kind whose form asks it, so an
# early contact never says "Medication reviewed: No" about a question nobody asked.
COVERED = (
    ("medication_reviewed", "Medication reviewed"),
    ("consequences_discussed", "Consequences of treatment discussed"),
    ("recurrence_symptoms_discussed", "Symptoms of recurrence discussed"),
)
CONCERNS = (
    ("concerns_physical", "physical", "Physical concerns"),
    ("concerns_emotional", "emotional", "Emotional concerns"),
    ("concerns_practical", "practical", "Practical concerns"),
    ("concerns_financial", "financial", "Money worries"),
)
TEXTS = (
    ("experience", "experience", "How things have been"),
    ("lifestyle_advice", "lifestyle", "Lifestyle advice"),
    ("signposting", "signposting", "Where to get help"),
    ("getting_back_in", "getting-back-in", "How to get back in touch, including out of hours"),
)


def short_label(kind: str) -> str:
    """ "Cancer care review", "Early contact": the label without its bracketed timing."""
    return Kind(kind).label.split(" (")[0]


def _coding(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _div(*blocks: str) -> dict:
    """Narrative from already-escaped XHTML blocks. The free text is the section's whole content
    (there are no entries it was generated from), hence `additional`."""
    return {"status": "additional", "div": f'<div xmlns="{XHTML}">{"".join(blocks)}</div>'}


def _p(text: str) -> str:
    """Free text as typed: escaped, its line breaks kept."""
    return "<p>" + "<br/>".join(escape(line) for line in text.strip().splitlines()) + "</p>"


def _section(code: str, title: str, text: dict | None = None, sections: list | None = None) -> dict:
    return compact(
        {"title": title, "code": _coding(SECTION_CODES, code, title), "text": text, "section": sections or None}
    )


def _text_section(review: Review, field: str, code: str, title: str) -> dict | None:
    value = getattr(review, field).strip()
    return _section(code, title, _div(_p(value))) if value else None


def _how(review: Review) -> dict:
    lines = [f"How: {review.get_mode_display() or 'Not recorded'}"]
    if review.carer_attended or review.carer_name:
        lines.append(f"Carer there: {review.carer_name or 'Yes'}")
    if review.main_carer:
        lines.append(f"Main carer: {review.main_carer}")
    return _section("consultation", "How the review was done", _div(*(_p(line) for line in lines)))


def _concerns(review: Review) -> dict | None:
    parts = [_text_section(review, field, f"concerns-{code}", title) for field, code, title in CONCERNS]
    parts = [part for part in parts if part]
    return _section("concerns", "Concerns", sections=parts) if parts else None


def _covered(review: Review) -> dict | None:
    asked = [(field, words) for field, words in COVERED if review.kind == Kind.REVIEW or field in EARLY_FIELDS]
    if not asked:
        return None
    items = "".join(f"<li>{escape(words)}: {'Yes' if getattr(review, f) else 'No'}</li>" for f, words in asked)
    return _section("covered", "What was covered", _div(f"<ul>{items}</ul>"))


def _actions(review: Review) -> dict | None:
    actions = list(review.actions.all())  # prefetched, in their order
    if not actions:
        return None
    items = "".join(f"<li>{escape(a.action)} (who: {escape(a.owner)})</li>" for a in actions)
    return _section("actions", "Actions agreed", _div(f"<ol>{items}</ol>"))


def _sections(review: Review) -> list[dict]:
    if review.outcome != Outcome.COMPLETED:
        return [_section("not-done", "Why the review was not done", _div(_p(review.reason or "Not recorded")))]
    experience, *after_concerns = (_text_section(review, *texts) for texts in TEXTS)
    next_review = (
        _section("next-review", "Next review", _div(_p(format_date(review.next_review))))
        if review.next_review
        else None
    )
    found = [_how(review), experience, _concerns(review), _covered(review), *after_concerns]
    return [part for part in (*found, _actions(review), next_review) if part]


def _encounter(review: Review) -> dict:
    """The conversation: finished, on the day, how, with whom (the patient), held by the practice."""
    day = review.reviewed_on.isoformat()
    return compact(
        {
            "resourceType": "Encounter",
            "id": ENCOUNTER_ID,
            "status": "finished",
            "class": ENCOUNTER_CLASS.get(review.mode, UNKNOWN_CLASS),
            "type": [_coding(MODE_CODES, review.mode, review.get_mode_display())] if review.mode else None,
            "subject": patient_reference(review.patient),
            "period": {"start": day, "end": day},
            "serviceProvider": organisation_reference(review.practice),
        }
    )


def composition(review: Review, *, base: str) -> dict:
    """One review, early contact or cancer care review, done or not: `final` (a review is not edited
    once recorded). `type` is what it was, `category` how it ended; the date is when it was recorded."""
    completed = review.outcome == Outcome.COMPLETED
    label = short_label(review.kind)
    return compact(
        {
            "resourceType": "Composition",
            "id": str(review.pk),
            "contained": [_encounter(review)] if completed else None,
            "identifier": {"system": URI_SYSTEM, "value": f"urn:uuid:{review.pk}"},
            "status": "final",
            "type": _coding(KIND_CODES, review.kind, label),
            "category": [_coding(OUTCOME_CODES, review.outcome, review.get_outcome_display())],
            "subject": patient_reference(review.patient),
            "encounter": {"reference": f"#{ENCOUNTER_ID}"} if completed else None,
            "date": review.created_at.isoformat(),
            "author": [{"display": str(review.recorded_by)}],
            "title": f"{label}, {format_date(review.reviewed_on)}",
            "custodian": organisation_reference(review.practice),
            "event": [{"period": {"start": review.reviewed_on.isoformat(), "end": review.reviewed_on.isoformat()}}],
            "section": _sections(review),
        }
    )
