"""API shapes for end-of-treatment summaries: read-only. A summary carries the versions the user
may see (GP staff and patients only sent ones); the PDF itself is served by FHIR
(DocumentReference), so here a version gives only its SHA-256."""

from rest_framework import serializers

from portal.api.serializers import CareTeamSummarySerializer
from treatment_summaries.models import (
    BenefitsForm,
    FollowUpPathway,
    GPAction,
    PrescriptionExemption,
    SummaryVersion,
    Treatment,
    TreatmentAim,
    TreatmentSummary,
    TreatmentType,
)


class TreatmentSerializer(serializers.ModelSerializer):
    treatment_type = serializers.ChoiceField(choices=TreatmentType.choices, read_only=True)

    class Meta:
        model = Treatment
        fields = ["id", "treatment_type", "description", "start_date", "end_date"]
        read_only_fields = fields


class GPActionSerializer(serializers.ModelSerializer):
    prompt = serializers.SlugRelatedField(
        source="option",
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the prompt it was chosen from (PSA or tumour-marker monitoring, bone health, ...); "
        "null for an action written out in full",
    )

    class Meta:
        model = GPAction
        fields = ["id", "prompt", "text"]
        read_only_fields = fields


class PlannedTestSerializer(serializers.Serializer):
    """One follow-up test as kept at sign-off (ADR 0054): plain rows, not a follow-up record."""

    test = serializers.CharField(read_only=True, help_text="Mammogram, CEA blood test, ...")
    code = serializers.CharField(read_only=True, help_text="The test type's code in the follow-up app (CEA, PSA, ...)")
    interval = serializers.CharField(read_only=True, help_text='"yearly", "every 6 months"; empty when irregular')
    every_months = serializers.IntegerField(read_only=True, allow_null=True)
    next_due = serializers.DateField(read_only=True, allow_null=True)
    dates = serializers.ListField(child=serializers.DateField(), read_only=True, help_text="The next few dates")
    until = serializers.DateField(read_only=True, help_text="The last date planned")
    arranged_by = serializers.CharField(read_only=True, help_text='"Hospital team" or "GP practice"')
    status = serializers.CharField(read_only=True, help_text="Of the next test: Scheduled, Requested, ...")


class SurveillancePlanSerializer(serializers.Serializer):
    pathway = serializers.CharField(read_only=True, allow_null=True, help_text="Null: no pathway was set")
    tests = PlannedTestSerializer(source="rows", many=True, read_only=True)


class SummaryVersionSerializer(serializers.ModelSerializer):
    # Plain text, not an enum: several models have a `status` (see ADR 12).
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(SummaryVersion.Status.values))
    is_amendment = serializers.BooleanField(read_only=True, help_text="True from version 2 on")
    treatment_aim = serializers.ChoiceField(choices=[*TreatmentAim.choices, ("", "Not given")], read_only=True)
    follow_up_pathway = serializers.ChoiceField(choices=[*FollowUpPathway.choices, ("", "Not given")], read_only=True)
    signed_off_by = serializers.SerializerMethodField(help_text="Name of whoever signed it off")
    signed_off_role = serializers.ChoiceField(
        choices=[("clinician", "Clinician"), ("cns", "Clinical nurse specialist"), ("", "Not signed off")],
        read_only=True,
        help_text="The role they signed off in: a clinician, or a CNS where the trust allows it",
    )
    benefits_form = serializers.ChoiceField(
        choices=[*BenefitsForm.choices, ("", "Not recorded")],
        read_only=True,
        help_text="Special-rules benefits form given",
    )
    prescription_exemption = serializers.ChoiceField(
        choices=[*PrescriptionExemption.choices, ("", "Not recorded")], read_only=True
    )
    pdf_sha256 = serializers.CharField(
        read_only=True, help_text="SHA-256 (hex) of the PDF frozen at sign-off; empty for a draft"
    )
    surveillance_plan = SurveillancePlanSerializer(
        read_only=True,
        allow_null=True,
        help_text="The follow-up tests planned when it was signed off, kept with it; null for a draft (its "
        "pathway may still change) and for versions signed before these were kept",
    )
    treatments = TreatmentSerializer(many=True, read_only=True)
    gp_actions = GPActionSerializer(many=True, read_only=True, help_text="Actions requested of the GP")

    class Meta:
        model = SummaryVersion
        fields = [
            "id",
            "number",
            "status",
            "is_amendment",
            "amendment_reason",
            "diagnosis_text",
            "date_of_diagnosis",
            "t_stage",
            "n_stage",
            "m_stage",
            "staging_comments",
            "treatment_aim",
            "follow_up_pathway",
            "ongoing_management",
            "surveillance_plan",
            "benefits_form",
            "benefits_form_date",
            "prescription_exemption",
            "supportive_care_register",
            "created_at",
            "signed_off_at",
            "signed_off_by",
            "signed_off_role",
            "sent_at",
            "pdf_sha256",
            "treatments",
            "gp_actions",
        ]
        read_only_fields = fields

    def get_signed_off_by(self, version) -> str | None:
        return str(version.signed_off_by) if version.signed_off_by_id else None


class TreatmentSummarySerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    team = CareTeamSummarySerializer(read_only=True)
    versions = SummaryVersionSerializer(
        source="visible_versions", many=True, read_only=True, help_text="Newest first; only versions you may see"
    )

    class Meta:
        model = TreatmentSummary
        fields = ["id", "patient", "nhs_number", "team", "created_at", "versions"]
        read_only_fields = fields
