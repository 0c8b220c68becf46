"""What the HNA app shows on the portal's shared pages (ADR 0023): its sections of the patient page,
and the words for its records in the access log. HnaConfig hands both to the portal."""

from hna.models import Assessment, CarePlan, CarePlanItem
from hna.presenters import STATUS_TAG, status_label
from hna.presenters_plans import STATUS_TAG as PLAN_STATUS_TAG
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people.hub import Entry, Section
from portal.ui.presenters import format_date


def _day(value) -> str:
    return format_date(value.date()) if value else ""


def _assessment_entry(assessment) -> Entry:
    detail = f"{assessment.get_point_of_pathway_display()}. Set up {_day(assessment.created_at)}"
    if assessment.submitted_at:
        detail += f", sent by the patient {_day(assessment.submitted_at)}"
    return Entry(
        title="Holistic needs assessment",
        url=f"/hna/assessments/{assessment.pk}/",
        status=status_label(assessment),
        status_class=STATUS_TAG[assessment.status],
        when=assessment.created_at,
        record=assessment,
        detail=f"{detail}. {assessment.team.name}",
    )


def _plan_entry(plan) -> Entry:
    detail = f"From the assessment set up {_day(plan.assessment.created_at)}"
    if plan.locked_at:
        detail += f", agreed {_day(plan.locked_at)}"
    sharing = "shared with the GP practice" if plan.shared_with_gp else "not shared with the GP practice"
    concerns = [item.concern for item in plan.items.all()]  # prefetched: the concerns say what the plan is about
    if concerns:
        sharing += f". Concerns: {', '.join(concerns)}"
    return Entry(
        title=f"Care and support plan, version {plan.version}",
        url=f"/hna/plans/{plan.pk}/",
        status=plan.get_status_display(),
        status_class=PLAN_STATUS_TAG[plan.status],
        when=plan.created_at,
        record=plan,
        detail=f"{detail}; {sharing}",
    )


def patient_sections(patient, user) -> list[Section]:
    """The patient's HNAs (the care team only) and care plan versions (the care team, and the GP
    practice those the patient agreed to share), as far as the policy table lets this user see."""
    sections = []
    if policy.may(user, RecordKind.HNA, "read"):
        assessments = Assessment.objects.visible_to(user).filter(patient=patient).select_related("team")
        actions = []
        if policy.care_team_of(user, RecordKind.HNA, "change") is not None:
            actions.append(("Set up a holistic needs assessment", f"/hna/patients/{patient.pk}/set-up/"))
        sections.append(
            Section(
                title="Holistic needs assessments",
                entries=[_assessment_entry(a) for a in assessments],
                empty="No holistic needs assessments yet.",
                actions=actions,
            )
        )
    if policy.may(user, RecordKind.CARE_PLAN, "read"):
        plans = (
            CarePlan.objects.visible_to(user)
            .filter(patient=patient)
            .select_related("assessment")
            .prefetch_related("items")
        )
        sections.append(
            Section(
                title="Care and support plans",
                entries=[_plan_entry(p) for p in plans],
                empty=(
                    "No care and support plans shared with your practice."
                    if policy.practice_of(user, RecordKind.CARE_PLAN, "read") is not None
                    else "No care and support plans yet."
                ),
            )
        )
    return sections


def audit_record_labels(model, ids) -> dict[str, str]:
    """The access log's words for these records: "HNA", "Care plan v2", "Care plan v2 item". The
    auditor may not read plans (the policy table), so only the version number is read, never content."""
    if model is Assessment:
        return dict.fromkeys(ids, "HNA")
    if model is CarePlan:
        versions = CarePlan.objects.filter(pk__in=ids).values_list("pk", "version")  # unscoped-ok: numbers only
        return {str(pk): f"Care plan v{number}" for pk, number in versions}
    if model is CarePlanItem:
        versions = CarePlanItem.objects.filter(pk__in=ids).values_list("pk", "plan__version")  # unscoped-ok: ditto
        return {str(pk): f"Care plan v{number} item" for pk, number in versions}
    return {}
