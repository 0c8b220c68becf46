"""API shapes for follow-up: pathways, tests, results, check-ins and concerns (read-only), and the
body of a new result (POST /api/v1/followup/results/)."""

from rest_framework import serializers

from followup.models import CheckIn, Concern, Pathway, Result, SurveillanceTest
from portal.api.serializers import CareTeamSummarySerializer


class PathwaySerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    team = CareTeamSummarySerializer(read_only=True)
    protocol = serializers.CharField(source="protocol_version.protocol.slug", read_only=True)
    protocol_version = serializers.IntegerField(source="protocol_version.number", read_only=True)

    class Meta:
        model = Pathway
        fields = [
            "id", "patient", "nhs_number", "team", "kind", "status", "protocol", "protocol_version",
            "anchor_date", "pifu_start", "pifu_end", "trigger_symptoms", "named_contact", "team_phone",
            "checkin_months", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class SurveillanceTestSerializer(serializers.ModelSerializer):
    pathway = serializers.UUIDField(source="pathway_id", read_only=True)
    patient = serializers.UUIDField(source="pathway.patient_id", read_only=True)
    test_code = serializers.CharField(source="test_type.code", read_only=True)
    test_name = serializers.CharField(source="test_type.name", read_only=True)

    class Meta:
        model = SurveillanceTest
        fields = ["id", "pathway", "patient", "test_code", "test_name", "due_date", "status", "requested_at"]
        read_only_fields = fields


class ResultSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, allow_null=True)
    test = serializers.UUIDField(source="test_id", read_only=True, allow_null=True)
    matched = serializers.SerializerMethodField(help_text="Whether the result was matched to a planned test")
    # Empty until the patient is told (a blank is not one of the choices, so not an enum here).
    told_how = serializers.CharField(read_only=True, help_text="letter, phone, portal, sms or email; empty until told")

    class Meta:
        model = Result
        fields = [
            "id", "patient", "test", "matched", "unmatched_reason", "nhs_number", "test_code", "sample_date",
            "value", "units", "abnormal", "report_text", "source", "received_at", "reviewed_at", "review_note",
            "told_at", "told_how",
        ]  # fmt: skip
        read_only_fields = fields

    def get_matched(self, result) -> bool:
        return result.test_id is not None


class NewResultSerializer(serializers.Serializer):
    """A result from a lab or GP system. The portal matches it to the patient's planned test."""

    nhs_number = serializers.CharField(max_length=20)
    test_code = serializers.CharField(max_length=40, help_text="CEA, PSA, MAMMOGRAM, CT_CAP, COLONOSCOPY")
    sample_date = serializers.DateField()
    value = serializers.DecimalField(max_digits=12, decimal_places=3, required=False, allow_null=True)
    units = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    abnormal = serializers.BooleanField(required=False, allow_null=True, default=None)
    report_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class CheckInSerializer(serializers.ModelSerializer):
    pathway = serializers.UUIDField(source="pathway_id", read_only=True)
    patient = serializers.UUIDField(source="pathway.patient_id", read_only=True)
    test = serializers.UUIDField(source="test_id", read_only=True, allow_null=True)

    class Meta:
        model = CheckIn
        fields = ["id", "pathway", "patient", "test", "sent_at", "due_by", "answered_at", "answers", "red_flag"]
        read_only_fields = fields


class ConcernSerializer(serializers.ModelSerializer):
    pathway = serializers.UUIDField(source="pathway_id", read_only=True)
    patient = serializers.UUIDField(source="pathway.patient_id", read_only=True)

    class Meta:
        model = Concern
        fields = [
            "id", "pathway", "patient", "raised_on_behalf", "symptoms", "details", "rating", "status",
            "respond_by", "triaged_at", "outcome", "outcome_note", "closed_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields
