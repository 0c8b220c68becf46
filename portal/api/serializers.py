"""API shapes. Field parsing lives here; the rules of a valid patient stay in the model
(`Patient.full_clean`), so the admin, forms and API all refuse the same things with the same words."""

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db import models
from rest_framework import serializers
from rest_framework.settings import api_settings

from portal.people.models import CareTeam, Organisation, Patient

DUPLICATE_NHS_NUMBER = "A patient with this NHS number already exists"
# Ten ASCII digits with spaces or hyphens anywhere between them, as people write them. \A and \Z (not
# ^ and $, which in Python also match before a final newline) so the schema's ECMA pattern, which
# drf-spectacular writes from this one, accepts exactly what the API does. ASCII digits only:
# "٩٤٣٤٧٦٥٩١٩" is isdigit() too, and must not become a second record for the same person.
NHS_NUMBER_SHAPE = re.compile(r"\A[ -]*(?:[0-9][ -]*){10}\Z")


def nhs_number_taken(nhs_number: str) -> bool:
    # Says only "taken", never whose: uniqueness is across every patient, not the ones you may see.
    return Patient.objects.filter(nhs_number=nhs_number).exists()  # unscoped-ok: NHS numbers are unique


class StringOnly:
    """DRF turns JSON numbers into strings; an NHS number sent as a number has already lost any
    leading zero, so text fields take JSON strings only."""

    default_error_messages = {"not_a_string": "Enter text (a JSON string)"}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class TextField(StringOnly, serializers.CharField):
    pass


class EmailTextField(StringOnly, serializers.EmailField):
    pass


class StrictBooleanField(serializers.BooleanField):
    """DRF also takes 0, 1, "yes", "on" and more as booleans; the schema says JSON true or false,
    and a client that sends anything else has a bug we should tell it about."""

    default_error_messages = {"invalid": "Enter true or false (a JSON boolean)"}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class PracticeOdsCodeField(serializers.SlugRelatedField):
    """A GP practice given by its ODS code, as staff and GP systems know it."""

    default_error_messages = {
        "does_not_exist": "No GP practice has the ODS code {value}",
        "invalid": "Enter an ODS code, like A81001",
    }

    def __init__(self, **kwargs):
        queryset = Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE)
        super().__init__(slug_field="ods_code", queryset=queryset, **kwargs)

    def to_internal_value(self, data):
        # Checked before the lookup so odd input (numbers, lists, NUL) never reaches the database.
        if not isinstance(data, str) or "\x00" in data or len(data) > 8:
            self.fail("invalid")
        return super().to_internal_value(data.upper().strip())


class PatientSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.EmailField: EmailTextField,
        models.BooleanField: StrictBooleanField,
    }

    # Longer than the stored 10 digits so "943 476 5919", as people write it, reaches the model's
    # normalisation; uniqueness is checked below with our own message.
    # Not trimmed: the pattern allows the spaces people type, and nothing the schema would refuse.
    nhs_number = TextField(
        max_length=13,
        trim_whitespace=False,
        validators=[RegexValidator(NHS_NUMBER_SHAPE, "NHS number must be 10 digits")],
        help_text="10 digits; spaces or hyphens between them are fine",
    )
    registered_practice_ods_code = PracticeOdsCodeField(
        source="registered_practice", required=False, allow_null=True, help_text="Like A81001"
    )
    care_teams = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Patient
        fields = [
            "id",
            "nhs_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "postcode",
            "email",
            "mobile",
            "preferred_contact",
            "registered_practice_ods_code",
            "care_teams",
            "date_of_death",
            "survey_opt_out",
        ]
        read_only_fields = ["id"]
        # Stated in the schema; a name of only spaces is still refused (DRF trims it to blank).
        extra_kwargs = {"given_name": {"min_length": 1}, "family_name": {"min_length": 1}}

    def validate(self, attrs):
        """Run the model's own validation on the whole record and report it field by field."""
        patient = Patient(**attrs)
        errors = {}
        try:
            patient.full_clean(validate_unique=False)
        except DjangoValidationError as exc:
            errors = {self._field_name(k): v for k, v in exc.message_dict.items()}
        if "nhs_number" not in errors and nhs_number_taken(patient.nhs_number):
            errors["nhs_number"] = [DUPLICATE_NHS_NUMBER]
        if errors:
            raise serializers.ValidationError(errors)
        # Keep what the model normalised (NHS number without spaces, upper-case postcode).
        return {name: getattr(patient, name) for name in attrs}

    @staticmethod
    def _field_name(model_field: str) -> str:
        if model_field == NON_FIELD_ERRORS:
            return api_settings.NON_FIELD_ERRORS_KEY
        return "registered_practice_ods_code" if model_field == "registered_practice" else model_field


class CareTeamSummarySerializer(serializers.ModelSerializer):
    """A care team as every app's API shows it: id, name, and its trust's ODS code."""

    organisation_ods_code = serializers.CharField(
        source="organisation.ods_code", read_only=True, help_text="ODS code of the trust the team belongs to"
    )

    class Meta:
        model = CareTeam
        fields = ["id", "name", "organisation_ods_code"]
        read_only_fields = fields
