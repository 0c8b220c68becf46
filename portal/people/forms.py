"""Admin forms for people: the registered GP practice is entered by its ODS code, as staff
know it, and an unknown code is a clear error on that field. And allauth's sign-in forms, with
NHS.UK error messages (ADR 0024)."""

from allauth.account.forms import LoginForm, ReauthenticateForm
from django import forms

from portal.people.models import Organisation, Patient
from portal.people.validators import PRACTICE_ODS, normalise_nhs_number


class PatientAdminForm(forms.ModelForm):
    # Longer than 10 so "943 476 5919" as people write it reaches clean_nhs_number.
    nhs_number = forms.CharField(label="NHS number", max_length=13, help_text="10 digits; spaces are fine")
    practice_ods_code = forms.CharField(
        label="Registered GP practice ODS code",
        required=False,
        max_length=8,
        help_text="A letter and 5 digits, like A81001",
    )

    class Meta:
        model = Patient
        exclude = ["registered_practice"]  # noqa: DJ006 - entered as practice_ods_code instead
        # Address, gender and ethnic category are optional (the survey's letters and dashboard use
        # them); an answer outside the NHS data dictionary codes is named, not "a valid choice".
        help_texts = {
            "address": "The lines above the postcode, one a line, for letters. Optional",
            "sex": "As the patient states it (NHS data dictionary PERSON STATED GENDER CODE). Optional",
            "ethnic_category": "As the patient states it; they may choose Not stated. Optional",
        }
        error_messages = {
            "sex": {"invalid_choice": "Choose the patient's gender from the list, or leave it blank"},
            "ethnic_category": {
                "invalid_choice": "Choose the patient's ethnic category from the list, or leave it blank"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.registered_practice_id:
            self.fields["practice_ods_code"].initial = self.instance.registered_practice.ods_code

    def clean_nhs_number(self):
        return normalise_nhs_number(self.cleaned_data["nhs_number"])

    def clean_practice_ods_code(self):
        code = self.cleaned_data["practice_ods_code"].upper().strip()
        if not code:
            return None
        if not PRACTICE_ODS.match(code):
            raise forms.ValidationError("A GP practice ODS code is a letter and 5 digits, like A81001")
        practice = Organisation.objects.filter(ods_code=code, kind=Organisation.Kind.GP_PRACTICE).first()
        if practice is None:
            raise forms.ValidationError(
                f"No GP practice has the ODS code {code}: check the code, or add the practice first"
            )
        return practice

    def _post_clean(self):
        # Set the practice before model validation, so Patient.clean sees the whole record.
        self.instance.registered_practice = self.cleaned_data.get("practice_ods_code")
        super()._post_clean()


ENTER_EMAIL = "Enter your email address"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.nhs.uk"
ENTER_PASSWORD = "Enter your password"  # noqa: S105 - an error message, not a password


class SignInForm(LoginForm):
    """allauth's sign-in form with NHS.UK wording: each empty field says what to enter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["login"].error_messages.update(required=ENTER_EMAIL, invalid=EMAIL_FORMAT)
        self.fields["password"].error_messages["required"] = ENTER_PASSWORD


class PasswordAgainForm(ReauthenticateForm):
    """allauth's password check before a change to how someone signs in, with NHS.UK wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].error_messages["required"] = ENTER_PASSWORD
