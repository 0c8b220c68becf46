"""API shapes for the quality of life survey (read-only): invitations and responses. An invitation's
link token and short code (and the serial the code is made from) are credentials: never shown."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import CareTeamSummarySerializer
from portal.people.models import Diagnosis
from qol_survey.models import Channel, Invitation, InvitationStatus, Response, Source


class DiagnosisSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Diagnosis
        fields = ["id", "tumour_site", "icd10_code", "date_of_diagnosis"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    diagnosis = DiagnosisSummarySerializer(read_only=True, help_text="The diagnosis the survey asks about")
    team = CareTeamSummarySerializer(read_only=True, allow_null=True, help_text="The care team that follows it up")
    # Plain text, not enums: other apps' models have a `status` and a `source` too, and one enum name
    # cannot describe them all.
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(InvitationStatus.values))
    channel = serializers.CharField(read_only=True, help_text="How it was sent: " + ", ".join(Channel.values))

    class Meta:
        model = Invitation
        fields = [
            "id", "patient", "nhs_number", "diagnosis", "team", "channel", "status", "invited_on", "remind_on",
            "reminded_on", "expires_on", "closed_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_field({"type": "object", "additionalProperties": {"type": "object"}})
class ByInstrumentField(serializers.JSONField):
    """{instrument code: {...}}: health-profile-5d and cancer-30."""


class ResponseSerializer(serializers.ModelSerializer):
    invitation = serializers.UUIDField(source="invitation_id", read_only=True)
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    diagnosis = DiagnosisSummarySerializer(read_only=True, help_text="The diagnosis the survey asked about")
    team = CareTeamSummarySerializer(read_only=True, allow_null=True)
    versions = ByInstrumentField(
        read_only=True, help_text="The version of each instrument answered: {instrument code: version}"
    )
    answers = ByInstrumentField(
        read_only=True, help_text="{instrument code: {item code: answer}}; unanswered items are absent"
    )
    scores = ByInstrumentField(
        read_only=True,
        help_text="cancer-30: {scale code: 0-100 or null}; health-profile-5d: {state, index, health_today}. "
        "Full precision: round for display only",
    )
    source = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Source.values))
    value_set = serializers.CharField(
        source="value_set.name", read_only=True, allow_null=True, help_text="The value set the index comes from"
    )

    class Meta:
        model = Response
        fields = [
            "id", "invitation", "patient", "nhs_number", "diagnosis", "team", "submitted_at", "source",
            "versions", "answers", "scores", "value_set", "share_with_gp", "may_contact",
        ]  # fmt: skip
        read_only_fields = fields
