"""Communication needs and a carer or next of kin, kept on the patient (ADR 0052).

One record read by every channel: the staff banner on each page about the patient, the hub, a new
HNA's communication page (prefilled), letters (large print) and messages (how to reach the team)."""

from django.db import transaction

from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import LANGUAGE_NEEDS, CommunicationNeed, Patient

FIELDS = (
    "communication_needs",
    "communication_language",
    "communication_detail",
    "support_person_name",
    "support_person_role",
    "support_person_relationship",
    "support_person_phone",
)

# Short words for the banner and the hub: the full labels are for the form.
SHORT = {
    CommunicationNeed.HEARING: "Hearing",
    CommunicationNeed.SIGHT: "Sight",
    CommunicationNeed.LANGUAGE: "Language",
    CommunicationNeed.INTERPRETER: "Interpreter",
    CommunicationNeed.EASY_READ: "Easy read",
    CommunicationNeed.LARGE_PRINT: "Large print",
    CommunicationNeed.OTHER: "Other",
}


def need_lines(patient) -> list[str]:
    """Each need in words a busy nurse reads at a glance: "Interpreter (Polish)"."""
    lines = []
    for code in patient.communication_needs or []:
        text = SHORT.get(code, code)
        if code in LANGUAGE_NEEDS and patient.communication_language:
            text += f" ({patient.communication_language})"
        if code == CommunicationNeed.OTHER and patient.communication_detail:
            text += f": {patient.communication_detail}"
        lines.append(text)
    return lines


def support_person_line(patient) -> str:
    if not patient.support_person_name:
        return ""
    parts = [patient.support_person_name]
    if patient.support_person_relationship:
        parts[0] += f" ({patient.support_person_relationship})"
    parts.append(patient.get_support_person_role_display())
    if patient.support_person_phone:
        parts.append(patient.support_person_phone)
    return ", ".join(parts)


def large_print(patient) -> bool:
    """Letters to this patient use the large print stylesheet."""
    return bool({CommunicationNeed.LARGE_PRINT, CommunicationNeed.SIGHT} & set(patient.communication_needs or []))


def message_lines(patient) -> list[str]:
    """Sentences added to every message and letter to the patient, so the way back to the team is
    one they can use (Relay UK for a hearing need, an interpreter in their language)."""
    needs = set(patient.communication_needs or [])
    lines = []
    if CommunicationNeed.HEARING in needs:
        lines.append("If you use a textphone or the Relay UK app, dial 18001 before any phone number in this message.")
    if needs & LANGUAGE_NEEDS and patient.communication_language:
        lines.append(
            f"We know you would like to use {patient.communication_language}. Tell us when you contact us "
            "and we will arrange a free interpreter."
        )
    return lines


def hna_prefill(patient) -> dict:
    """A new HNA's communication answers from the patient's record: the HNA asks about hearing, sight,
    language, interpreter and "something else" (easy read and large print arrive as something else)."""
    needs = set(patient.communication_needs or [])
    chosen = [n for n in ("hearing", "sight", "language", "interpreter") if n in needs]
    others = [SHORT[n] for n in (CommunicationNeed.EASY_READ, CommunicationNeed.LARGE_PRINT) if n in needs]
    if CommunicationNeed.OTHER in needs and patient.communication_detail:
        others.append(patient.communication_detail)
    if others or CommunicationNeed.OTHER in needs:
        chosen.append("other")
    detail = "; ".join(([patient.communication_language] if needs & LANGUAGE_NEEDS else []) + others)
    return {"communication_needs": chosen, "communication_detail": detail.strip("; ")}


@transaction.atomic
def update_support(actor, patient: Patient, data: dict, *, request=None) -> Patient:
    """Save the needs and the carer (the form has checked them with the model's own rules); a
    change is audited, a save that changes nothing writes nothing."""
    policy.require(actor, patient)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    changed = [f for f in FIELDS if getattr(patient, f) != data[f]]
    if not changed:
        return patient
    for field in changed:
        setattr(patient, field, data[field])
    if CommunicationNeed.OTHER not in patient.communication_needs:
        patient.communication_detail = ""
    if not LANGUAGE_NEEDS & set(patient.communication_needs):
        patient.communication_language = ""
    patient.save(update_fields=[*FIELDS, "updated_at"])
    record(Action.UPDATE, request=request, actor=actor, patient=patient)
    return patient


def letter_extras(patient) -> dict:
    """What every letter template to the patient takes: the large print stylesheet's switch and the
    sentences on how to reach the team."""
    return {"large_print": large_print(patient), "support_lines": message_lines(patient)}


# A letter to the GP practice about the patient is read by the practice, not the patient.
NO_LETTER_EXTRAS = {"large_print": False, "support_lines": []}
