"""API shapes for HNAs and care plans: read-only. COSD codes are given as COSD spells them, so a
trust's cancer registry feed can take them as they are."""

from rest_framework import serializers

from hna import cosd
from hna.models import (
    Assessment,
    CarePlan,
    CarePlanItem,
    EntryMode,
    ItemOwner,
    ItemStatus,
    OfferStatus,
    PathwayPoint,
    StaffRole,
)
from portal.api.serializers import CareTeamSummarySerializer


def cosd_staff_role(role: str) -> str:
    """The COSD staff role a portal role gives when none was chosen (hna/cosd_v1.py)."""
    return cosd.default_staff_role(role)


class AssessmentConcernSerializer(serializers.Serializer):
    """A concern the patient ticked, with its score (empty until they score it)."""

    code = serializers.CharField(source="item.code", read_only=True, help_text="Stable across checklist versions")
    text = serializers.CharField(source="item.text", read_only=True)
    category = serializers.CharField(source="item.category.code", read_only=True)
    category_name = serializers.CharField(source="item.category.name", read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, min_value=0, max_value=10)


class AssessmentSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    team = CareTeamSummarySerializer(read_only=True)
    checklist_version = serializers.IntegerField(
        source="checklist_version.number", read_only=True, help_text="The checklist version answered"
    )
    # Plain text, not enums: three models have a `status`, and one name cannot describe all three.
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Assessment.Status.values))
    offer_status = serializers.ChoiceField(
        choices=OfferStatus.choices, read_only=True, help_text="COSD offer status code"
    )
    point_of_pathway = serializers.ChoiceField(
        choices=PathwayPoint.choices, read_only=True, help_text="COSD point of pathway code"
    )
    offer_status_date = serializers.DateField(read_only=True, help_text="The date of the offer status")
    staff_role = serializers.ChoiceField(
        source="cosd_staff_role", choices=StaffRole.choices, read_only=True, help_text="COSD staff role code"
    )
    # How it was completed (ADR 0053): by the patient online, or entered by a professional.
    entry_mode = serializers.ChoiceField(
        choices=EntryMode.choices, read_only=True, help_text="How the answers were completed"
    )
    entered_by = serializers.CharField(
        source="entered_by.get_full_name",
        read_only=True,
        allow_null=True,
        help_text="The professional who entered the answers; empty when the patient completed it",
    )
    completed_on_paper = serializers.DateField(
        read_only=True, allow_null=True, help_text="The date on the paper form, when keyed in from paper"
    )
    concerns = AssessmentConcernSerializer(
        source="ticked_answers", many=True, read_only=True, help_text="The concerns the patient ticked"
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "patient",
            "nhs_number",
            "team",
            "checklist_version",
            "status",
            "event_date",
            "offer_status",
            "offer_status_date",
            "point_of_pathway",
            "staff_role",
            "distress_score",
            "submitted_at",
            "entry_mode",
            "entered_by",
            "completed_on_paper",
            "concerns",
        ]
        read_only_fields = fields


class CarePlanItemSerializer(serializers.ModelSerializer):
    concern_code = serializers.CharField(
        source="concern_item.code",
        read_only=True,
        allow_null=True,
        help_text="The checklist item code, or empty for a concern staff added",
    )
    owner = serializers.ChoiceField(choices=[*ItemOwner.choices, ("", "Not yet agreed")], read_only=True)
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(ItemStatus.values))

    class Meta:
        model = CarePlanItem
        fields = [
            "id",
            "concern",
            "concern_code",
            "category",
            "score",
            "added_by_staff",
            "what_matters",
            "action",
            "owner",
            "owner_detail",
            "signposting",
            "due_date",
            "status",
            "outcome",
        ]
        read_only_fields = fields


class CarePlanSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    team = CareTeamSummarySerializer(read_only=True)
    assessment = serializers.UUIDField(
        source="assessment_id", read_only=True, help_text="The HNA the plan was made from"
    )
    previous = serializers.UUIDField(
        source="previous_id", read_only=True, allow_null=True, help_text="The version this one amends"
    )
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(CarePlan.Status.values))
    items = CarePlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = CarePlan
        fields = [
            "id",
            "patient",
            "nhs_number",
            "team",
            "assessment",
            "version",
            "previous",
            "status",
            "shared_with_gp",
            "summary",
            "created_at",
            "locked_at",
            "items",
        ]
        read_only_fields = fields
