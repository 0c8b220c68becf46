"""Validators for identifiers and dates. Each message names the field in plain English."""

import re

import nhs_number
from django.core.exceptions import ValidationError
from django.utils import timezone

# ODS codes: NHS trusts are 3 characters (R + 2, e.g. RJ1) with optional 2-character site
# suffix; GP practices are a letter and 5 digits (e.g. A81001).
TRUST_ODS = re.compile(r"^[A-Z0-9]{3}([A-Z0-9]{2})?$")
PRACTICE_ODS = re.compile(r"^[A-Z][0-9]{5}$")
ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$")
# UK postcode shape (GOV.UK pattern, simplified); GIR 0AA is the one historic exception.
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|GIR ?0AA)$")
UK_MOBILE = re.compile(r"^(\+44\s?7\d{3}|07\d{3})\s?\d{3}\s?\d{3}$")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def is_repeated_digit(digits: str) -> bool:
    # 0000000000, 1111111111, 4444444444...: their check digits work out (the nhs-number package
    # passes them), but they are what people type to get past a required field, not anyone's number.
    return len(set(digits)) == 1


def is_valid_nhs_number(digits: str) -> bool:
    """An NHS number someone could have (already normalised): what every channel accepts."""
    return nhs_number.is_valid(digits) and not is_repeated_digit(digits)


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 10:  # "٣" is isdigit() too
        raise ValidationError("NHS number must be 10 digits", code="nhs_number_length")
    if is_repeated_digit(digits):
        raise ValidationError(
            "NHS number is not valid: it cannot be one digit repeated 10 times", code="nhs_number_repeated"
        )
    if not nhs_number.is_valid(digits):
        raise ValidationError("NHS number is not valid: check the digits and try again", code="nhs_number_checksum")


def validate_not_in_future(value, field_label: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(f"{field_label} must be today or in the past", code="future")


def validate_date_of_birth(value) -> None:
    validate_not_in_future(value, "Date of birth")


def validate_date_of_diagnosis(value) -> None:
    validate_not_in_future(value, "Date of diagnosis")


def validate_date_of_death(value) -> None:
    validate_not_in_future(value, "Date of death")


def validate_icd10(value: str) -> None:
    if not ICD10.match((value or "").upper()):
        raise ValidationError("ICD-10 code must look like C50 or C50.9", code="icd10")


def validate_postcode(value: str) -> None:
    if value and not POSTCODE.match(value.upper().strip()):
        raise ValidationError("Enter a real postcode, like LS1 4AP", code="postcode")


def validate_mobile(value: str) -> None:
    if value and not UK_MOBILE.match(value.strip()):
        raise ValidationError("Enter a UK mobile number, like 07700 900 982", code="mobile")


def validate_ods_code(value: str) -> None:
    code = (value or "").upper()
    if not (TRUST_ODS.match(code) or PRACTICE_ODS.match(code)):
        raise ValidationError(
            "ODS code must be 3 or 5 characters for a trust (like RJ1) or a letter and 5 digits "
            "for a GP practice (like A81001)",
            code="ods_format",
        )
