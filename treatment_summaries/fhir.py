"""A sent summary version as a FHIR R4 DocumentReference (plain dict) carrying its frozen PDF
(ADR 12). The builder reads only what `fhir_views.documents_visible_to` fetched, so a search Bundle
costs the same queries for one document as for twenty."""

import base64
import hashlib

from portal.fhir.resources import SNOMED, compact, patient_reference, team_reference
from portal.ui.presenters import format_date
from treatment_summaries import surveillance
from treatment_summaries.models import BenefitsForm, PrescriptionExemption, SummaryVersion

EOT_SUMMARY_CODING = {
    "system": SNOMED,
    "code": "1324891000000103",
    "display": "End of treatment summary record artifact",
}
# The PDF's SHA-256 (what we store and show) as an RFC 6920 "nih" URI: the hex digest, readable
# as it is. Attachment.hash must be SHA-1, so that is computed from the bytes as well.
URI_SYSTEM = "urn:ietf:rfc:3986"
SHA256_PREFIX = "nih:sha-256;"

# Only these are served: a draft or a signed-off version not yet sent is not a document anyone has.
SERVED_STATUSES = (SummaryVersion.Status.SENT, SummaryVersion.Status.SUPERSEDED)
DOCUMENT_STATUS = {SummaryVersion.Status.SENT: "current", SummaryVersion.Status.SUPERSEDED: "superseded"}


# The PDF is the record; the plan is also given as data, so a GP system can file the actions asked
# of the practice without reading the PDF: a CarePlan contained in the DocumentReference (ADR 0051).
# Our own code systems, as follow-up's and care reviews' are: the GP action prompts by their stable
# codes (GPActionOption.code), and the support the summary records.
GP_ACTION_CODES = "https://portal.example.nhs.uk/fhir/CodeSystem/treatment-summary-gp-action"
SUPPORT_CODES = "https://portal.example.nhs.uk/fhir/CodeSystem/treatment-summary-support"
PLAN_ID = "plan"
# The follow-up app's code system for its test types (followup.fhir.TEST_CODES; an app imports no other
# app's modules but its models, so the URI is written again): the same test has the same code in both.
FOLLOWUP_TEST_CODES = "https://portal.example.nhs.uk/fhir/CodeSystem/followup-test-type"


def _activity(system, code, display, description, status) -> dict:
    coding = {"system": system, "code": code, "display": display}
    return {"detail": compact({"code": {"coding": [coding]}, "status": status, "description": description})}


def _support(version) -> list[dict]:
    """What the summary says about benefits, prescriptions and registers, where it says anything."""
    out = []
    if version.benefits_form not in ("", BenefitsForm.NONE):
        form = version.get_benefits_form_display()
        text = f"{form} given on {format_date(version.benefits_form_date)}"
        out.append(
            _activity(SUPPORT_CODES, f"benefits-form-{version.benefits_form}", f"{form} given", text, "completed")
        )
    if version.prescription_exemption in (PrescriptionExemption.RECOMMENDED, PrescriptionExemption.GIVEN):
        status = "completed" if version.prescription_exemption == PrescriptionExemption.GIVEN else "not-started"
        text = f"Prescription charge exemption: {version.get_prescription_exemption_display()}"
        code = f"prescription-exemption-{version.prescription_exemption}"
        out.append(_activity(SUPPORT_CODES, code, text.split(":")[0], text, status))
    if version.supportive_care_register:
        text = "Palliative or supportive care register recommended"
        out.append(_activity(SUPPORT_CODES, "supportive-care-register-recommended", text, text, "not-started"))
    return out


def _planned_tests(version) -> list[dict]:
    """The follow-up tests kept at sign-off (ADR 0054), each with its dates as scheduled timing."""
    out = []
    for row in (version.surveillance_plan or {}).get("rows", []):
        repeat = compact(
            {
                "boundsPeriod": compact({"start": row.get("next_due"), "end": row.get("until")}),
                "frequency": 1 if row.get("every_months") else None,
                "period": row.get("every_months"),
                "periodUnit": "mo" if row.get("every_months") else None,
            }
        )
        timing = compact({"event": row.get("dates") or None, "repeat": repeat or None})
        coding = {"system": FOLLOWUP_TEST_CODES, "code": row["code"], "display": row["test"]}
        detail = {
            "kind": "ServiceRequest",
            "code": {"coding": [coding], "text": row["test"]},
            "status": "scheduled" if row.get("next_due") else "completed",
            "scheduledTiming": timing or None,
            "description": surveillance.line(row),
        }
        out.append({"detail": compact(detail)})
    return out


def care_plan(version) -> dict | None:
    """The GP actions (each with its prompt's code, when it has one), the support recorded and the
    follow-up tests planned at sign-off, as a CarePlan to contain in the DocumentReference; None when
    the summary records none of them."""
    activities = []
    for action in version.gp_actions.all():
        coding = (
            {"coding": [{"system": GP_ACTION_CODES, "code": action.option.code, "display": action.option.text}]}
            if action.option_id
            else None
        )
        activities.append({"detail": compact({"code": coding, "status": "not-started", "description": action.text})})
    activities += _support(version)
    activities += _planned_tests(version)
    if not activities:
        return None
    return {
        "resourceType": "CarePlan",
        "id": PLAN_ID,
        "status": "active" if version.status == SummaryVersion.Status.SENT else "revoked",
        "intent": "plan",
        "title": "Actions for the GP, support arranged and follow-up tests",
        "subject": patient_reference(version.summary.patient),
        "activity": activities,
    }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _title(version: SummaryVersion) -> str:
    title = f"End of treatment summary, version {version.number}"
    return f"{title} (amended)" if version.is_amendment else title


def document_reference(version: SummaryVersion, *, base: str) -> dict:
    """One sent (or superseded) version. Reads `version.summary.patient`, `.summary.team.organisation`,
    `.signed_off_by` (selected) and `version.previous_id` (annotated: the version it replaces)."""
    pdf = bytes(version.pdf or b"")
    summary = version.summary
    attachment = {
        "contentType": "application/pdf",
        "language": "en-GB",
        "data": _b64(pdf),
        "size": len(pdf),
        "hash": _b64(hashlib.sha1(pdf).digest()),  # noqa: S324 - FHIR defines Attachment.hash as SHA-1
        "title": f"{_title(version)}.pdf",
        "creation": version.signed_off_at.isoformat() if version.signed_off_at else None,
    }
    previous_id = getattr(version, "previous_id", None)
    plan = care_plan(version)
    return compact(
        {
            "resourceType": "DocumentReference",
            "id": str(version.pk),
            "contained": [plan] if plan else None,
            "masterIdentifier": {"system": URI_SYSTEM, "value": f"urn:uuid:{version.pk}"},
            "identifier": [{"system": URI_SYSTEM, "value": SHA256_PREFIX + version.pdf_sha256}],
            "status": DOCUMENT_STATUS.get(version.status, "entered-in-error"),
            "docStatus": "amended" if version.is_amendment else "final",
            "type": {"coding": [EOT_SUMMARY_CODING], "text": "End of treatment summary"},
            "subject": patient_reference(summary.patient),
            "date": version.sent_at.isoformat() if version.sent_at else None,
            "author": [{"display": str(version.signed_off_by)}] if version.signed_off_by_id else None,
            "custodian": team_reference(summary.team),
            "description": f"Amended: {version.amendment_reason}" if version.is_amendment else None,
            "relatesTo": (
                [{"code": "replaces", "target": {"reference": f"DocumentReference/{previous_id}"}}]
                if version.is_amendment and previous_id
                else None
            ),
            "content": [{"attachment": compact(attachment)}],
            "context": {"related": [{"reference": f"#{PLAN_ID}"}]} if plan else None,
        }
    )
