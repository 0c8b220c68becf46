"""What the survey shows on the portal's shared pages (ADR 0023, ADR 0038): the patient's scores over
time as a section of the staff patient page and beside their care and support plan, and the words for
its records in the access log. Read through Response.objects.visible_to: the care team, and the GP
practice for responses the patient let their GP have."""

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people.hub import Entry, Section
from qol_survey.models import HnaOffer, Invitation, Response
from qol_survey.services.dashboard import MEASURES
from qol_survey.services.loop import describe, shown

KEY_MEASURES = ("QL", "PF", "FA", "PA", "index", "health_today")
LABELS = {
    Response: "Quality of life survey response",
    Invitation: "Quality of life survey invitation",
    HnaOffer: "Offer of an HNA after the quality of life survey",
}


def scores_url(patient) -> str:
    return f"/quality-of-life/dashboard/scores/{patient.pk}/"


def key_scores(scores: dict, codes=KEY_MEASURES) -> list[tuple[str, str]]:
    """(measure name, score as shown) for the measures named, in that order; an unscored one says so."""
    found = []
    for measure in MEASURES:
        if measure.code in codes:
            value = (scores.get(measure.instrument) or {}).get(measure.code)
            found.append((measure.name, shown(value) if isinstance(value, int | float) else "not scored"))
    return found


def visible_responses(patient, user):
    if policy.role_name(user) == policy.PATIENT or not policy.may(user, RecordKind.QOL_RESPONSE, "read"):
        return Response.objects.none()  # the patient reads their own report on their own pages
    return Response.objects.visible_to(user).filter(patient=patient).select_related("diagnosis", "hna_offer")


def _offer(response):
    try:
        return response.hna_offer
    except HnaOffer.DoesNotExist:
        return None


def offered(response) -> str:
    """The scores that led to an offer of an HNA, in words, or "" when none was made."""
    offer = _offer(response)
    return describe(offer.triggers) if offer is not None else ""


def _entry(response) -> Entry:
    offer = _offer(response)
    detail = "; ".join(f"{name} {value}" for name, value in key_scores(response.scores))
    if offer is not None:
        detail += f". HNA offered: {offered(response)}"
    return Entry(
        title=f"Quality of life survey, {response.submitted_at:%-d %B %Y}",
        url=scores_url(response.patient),
        status="HNA offered" if offer else response.get_source_display(),
        status_class="nhsuk-tag--orange" if offer else "nhsuk-tag--grey",
        when=response.submitted_at,
        record=response,
        detail=detail,
    )


def _sections(patient, user, title) -> list[Section]:
    if policy.role_name(user) == policy.PATIENT or not policy.may(user, RecordKind.QOL_RESPONSE, "read"):
        return []
    return [
        Section(
            title=title,
            entries=[_entry(r) for r in visible_responses(patient, user)],
            empty="No quality of life survey answered yet.",
        )
    ]


def patient_sections(patient, user) -> list[Section]:
    return _sections(patient, user, "Quality of life survey")


def care_plan_sections(patient, user) -> list[Section]:
    """Beside the care and support plan: how the patient has scored, newest first."""
    return _sections(patient, user, "Quality of life scores over time")


def audit_record_labels(model, ids) -> dict:
    """Fixed words: the auditor may not read survey records (the policy table), so nothing is read."""
    return dict.fromkeys(ids, LABELS[model]) if model in LABELS else {}
