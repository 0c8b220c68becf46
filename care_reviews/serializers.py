"""API shapes for cancer care reviews and requests for one (read-only). A review carries everything
its page shows the practice and the patient, with the actions agreed in their order; nothing here
is hidden from the patient, because the review page is their written summary too (ADR 0045)."""

from rest_framework import serializers

from care_reviews.models import Kind, Mode, Outcome, Review, ReviewAction, ReviewRequest


class PracticeField(serializers.CharField):
    """The practice as its ODS code: the identifier GP systems know it by."""

    def __init__(self, **kwargs):
        super().__init__(source="practice.ods_code", read_only=True, **kwargs)


class ReviewActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewAction
        fields = ["id", "action", "owner"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    diagnosis = serializers.UUIDField(source="diagnosis_id", read_only=True)
    practice_ods_code = PracticeField(help_text="ODS code of the practice that holds the review")
    # Plain text, not enums: `kind`, `outcome` and `mode` are other models' field names too (ADR 12).
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Kind.values))
    outcome = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Outcome.values))
    reason = serializers.CharField(read_only=True, help_text="Why it was not done; empty when completed")
    mode = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(Mode.values) + "; empty when not completed"
    )
    recorded_by = serializers.SerializerMethodField(help_text="Name of who recorded it")
    actions = ReviewActionSerializer(
        many=True, read_only=True, help_text="Actions agreed, in order, with who does each"
    )

    class Meta:
        model = Review
        fields = [
            "id", "patient", "nhs_number", "diagnosis", "practice_ods_code", "kind", "outcome", "reason",
            "reviewed_on", "mode", "carer_attended", "carer_name", "experience", "concerns_physical",
            "concerns_emotional", "concerns_practical", "concerns_financial", "medication_reviewed", "main_carer",
            "consequences_discussed", "recurrence_symptoms_discussed", "lifestyle_advice", "signposting",
            "getting_back_in", "next_review", "recorded_by", "created_at", "actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_recorded_by(self, review) -> str:
        return str(review.recorded_by)


class ReviewRequestSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True, help_text="The patient's id in this API")
    nhs_number = serializers.CharField(source="patient.nhs_number", read_only=True)
    practice_ods_code = PracticeField(help_text="ODS code of the practice asked")
    review = serializers.UUIDField(
        source="review_id", read_only=True, allow_null=True, help_text="The review that closed it; null while open"
    )

    class Meta:
        model = ReviewRequest
        fields = ["id", "patient", "nhs_number", "practice_ods_code", "what_about", "created_at", "closed_at", "review"]
        read_only_fields = fields
