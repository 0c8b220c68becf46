"""Our HNA models as FHIR R4 JSON (plain dicts). Builders read only what `hna.api`'s querysets
already fetched, so a search Bundle costs the same queries for one resource as for twenty. The
shared pieces (references, Bundles, `compact`) are in portal.fhir.resources."""

from hna.models import Assessment, CarePlan, ChecklistVersion, ItemStatus
from portal.fhir.resources import SNOMED, compact, patient_reference, team_reference

HNA_CODING = {"system": SNOMED, "code": "787261000000106", "display": "Holistic needs assessment"}
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
DISTRESS_LINK_ID = "distress"
ANYTHING_ELSE_LINK_ID = "anything-else"

QUESTIONNAIRE_RESPONSE_STATUS = {
    Assessment.Status.SET_UP: "in-progress",
    Assessment.Status.IN_PROGRESS: "in-progress",
    Assessment.Status.SUBMITTED: "completed",
    Assessment.Status.REVIEWED: "completed",
    Assessment.Status.CANCELLED: "stopped",
}
CARE_PLAN_STATUS = {
    CarePlan.Status.DRAFT: "draft",
    CarePlan.Status.LOCKED: "active",
    CarePlan.Status.SUPERSEDED: "revoked",  # replaced by a newer version, which `replaces` this one
}
ACTIVITY_STATUS = {
    ItemStatus.NOT_STARTED: "not-started",
    ItemStatus.IN_PROGRESS: "in-progress",
    ItemStatus.DONE: "completed",
    ItemStatus.NOT_NEEDED: "cancelled",
}


def _score_limits() -> list[dict]:
    return [{"url": MIN_VALUE, "valueInteger": 0}, {"url": MAX_VALUE, "valueInteger": 10}]


def questionnaire_url(base: str, version: ChecklistVersion) -> str:
    return f"{base}/Questionnaire/{version.pk}"


def questionnaire(version: ChecklistVersion, categories, *, base: str, current: bool) -> dict:
    """A checklist version: one group per category (linkId = category code), one integer item per
    concern (linkId = item code, the 0-10 score), then the overall distress score and free text.
    `categories` come with their items prefetched; `current` says whether new HNAs use this version."""
    if version.status == ChecklistVersion.Status.DRAFT:
        status = "draft"
    else:
        status = "active" if current else "retired"
    groups = [
        {
            "linkId": category.code,
            "text": category.name,
            "type": "group",
            "item": [
                {"linkId": item.code, "text": item.text, "type": "integer", "extension": _score_limits()}
                for item in category.items.all()
            ],
        }
        for category in categories
    ]
    distress = {
        "linkId": DISTRESS_LINK_ID,
        "text": "Overall distress in the past week, including today (0 to 10)",
        "type": "integer",
        "extension": _score_limits(),
    }
    anything_else = {"linkId": ANYTHING_ELSE_LINK_ID, "text": "Anything else", "type": "text"}
    return compact(
        {
            "resourceType": "Questionnaire",
            "id": str(version.pk),
            "url": questionnaire_url(base, version),
            "version": str(version.number),
            "name": f"HolisticNeedsAssessmentV{version.number}",
            "title": version.name,
            "status": status,
            "subjectType": ["Patient"],
            "date": version.published_at.isoformat() if version.published_at else None,
            "code": [HNA_CODING],
            "item": [group for group in groups if group["item"]] + [distress, anything_else],
        }
    )


def questionnaire_response(assessment: Assessment, *, base: str) -> dict:
    """An assessment's answers: scored concerns in their category groups, then the distress score.
    Reads `assessment.ticked_answers` (prefetched with item and category, in checklist order)."""
    groups: dict[str, dict] = {}
    for answer in assessment.ticked_answers:
        if answer.score is None:
            continue  # ticked but not scored yet: nothing to say in an integer item
        category = answer.item.category
        group = groups.setdefault(category.code, {"linkId": category.code, "text": category.name, "item": []})
        group["item"].append(
            {"linkId": answer.item.code, "text": answer.item.text, "answer": [{"valueInteger": answer.score}]}
        )
    items = list(groups.values())
    if assessment.distress_score is not None:
        items.append({"linkId": DISTRESS_LINK_ID, "answer": [{"valueInteger": assessment.distress_score}]})
    if assessment.anything_else.strip():
        items.append({"linkId": ANYTHING_ELSE_LINK_ID, "answer": [{"valueString": assessment.anything_else}]})
    version = assessment.checklist_version
    return compact(
        {
            "resourceType": "QuestionnaireResponse",
            "id": str(assessment.pk),
            "questionnaire": f"{questionnaire_url(base, version)}|{version.number}",
            "status": QUESTIONNAIRE_RESPONSE_STATUS.get(assessment.status, "in-progress"),
            "subject": patient_reference(assessment.patient),
            "authored": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
            # The answers are the patient's whoever typed them (source); a professional who entered
            # them is the author, and how it was completed a local extension (ADR 0053).
            "source": patient_reference(assessment.patient),
            "author": _author(assessment),
            "extension": _entry_extensions(assessment, base),
            "item": items,
        }
    )


def entry_mode_url(base: str) -> str:
    return f"{base}/StructureDefinition/hna-entry-mode"


def completed_on_paper_url(base: str) -> str:
    return f"{base}/StructureDefinition/hna-completed-on-paper"


def _author(assessment) -> dict:
    if assessment.entered_by_id is None:
        return patient_reference(assessment.patient)
    who = assessment.entered_by
    return {"type": "Practitioner", "display": who.get_full_name() or who.email}


def _entry_extensions(assessment, base) -> list[dict]:
    extensions = [{"url": entry_mode_url(base), "valueCode": assessment.entry_mode}]
    if assessment.completed_on_paper:
        extensions.append({"url": completed_on_paper_url(base), "valueDate": assessment.completed_on_paper.isoformat()})
    return extensions


def _activity(item) -> dict:
    owner = item.get_owner_display() if item.owner else ""
    if owner and item.owner_detail:
        owner = f"{owner}: {item.owner_detail}"
    notes = [
        f"Concern score: {item.score} out of 10" if item.score is not None else "",
        f"What matters to the person: {item.what_matters}" if item.what_matters.strip() else "",
        f"Signposting: {item.signposting}" if item.signposting.strip() else "",
    ]
    detail = {
        "status": ACTIVITY_STATUS.get(item.status, "unknown"),
        "description": item.action.strip() or None,
        "reasonCode": [{"text": item.concern}],
        "performer": [{"display": owner}] if owner else None,
        "scheduledPeriod": {"end": item.due_date.isoformat()} if item.due_date else None,
    }
    return compact(
        {
            "detail": compact(detail),
            "outcomeCodeableConcept": [{"text": item.outcome}] if item.outcome.strip() else None,
            "progress": [{"text": note} for note in notes if note],
        }
    )


def care_plan(plan: CarePlan, *, base: str) -> dict:
    """A care and support plan; reads `plan.items` (prefetched)."""
    return compact(
        {
            "resourceType": "CarePlan",
            "id": str(plan.pk),
            "status": CARE_PLAN_STATUS.get(plan.status, "unknown"),
            "intent": "plan",
            "title": f"Personalised care and support plan (version {plan.version})",
            "description": plan.summary.strip() or None,
            "subject": patient_reference(plan.patient),
            "created": plan.created_at.isoformat(),
            "author": team_reference(plan.team),
            "replaces": [{"reference": f"CarePlan/{plan.previous_id}"}] if plan.previous_id else None,
            "supportingInfo": [{"reference": f"QuestionnaireResponse/{plan.assessment_id}"}],
            "activity": [_activity(item) for item in plan.items.all()],
        }
    )
