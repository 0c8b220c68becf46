"""Forms for making a patient account: step 1 passcode + date of birth, step 2 email + password."""

from django import forms
from django.core.exceptions import ValidationError

from hna.services import accounts
from portal.ui import forms as nhs

# The same message whatever was wrong, so the form never says which part was right.
NOT_RECOGNISED = (
    "The passcode or date of birth is not right. Check them and try again, or call your care team for a new passcode."
)
TOO_MANY_TRIES = "You have tried too many times. Wait 15 minutes and try again, or call your care team."
LOCKED = (
    "This account passcode is locked because the date of birth did not match 5 times. "
    "Call your care team for a new passcode. We have told them it is locked."
)


class PasswordField(nhs.CharField):
    """A password box that is never filled in again, even when the form comes back with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args, input_type="password", autocomplete="new-password", spellcheck=False, strip=False, **kwargs
        )

    def component_params(self, bf):
        return {**super().component_params(bf), "value": ""}


class AccountPasscodeForm(forms.Form):
    passcode = nhs.CharField(
        label="Account passcode",
        hint="The 8 letters and numbers your care team gave you to make an account, like ACDE-FG34",
        max_length=20,
        autocomplete="off",
        spellcheck=False,
        classes="nhsuk-input--width-10",
    )
    date_of_birth = nhs.DateField(label="Date of birth", hint="For example, 15 3 1984", past_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passcode"].error_messages["required"] = "Enter your account passcode"
        self.fields["date_of_birth"].error_messages["required"] = "Enter your date of birth"


class AccountDetailsForm(forms.Form):
    email = nhs.EmailField(
        label="Email address", hint="You will use this to sign in. Only you should be able to read it.", max_length=254
    )
    password1 = PasswordField(
        label="Create a password", hint="At least 12 characters. Do not use a password you use anywhere else."
    )
    password2 = PasswordField(label="Type the password again")

    def __init__(self, *args, patient, **kwargs):
        self.patient = patient
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["password1"].error_messages["required"] = "Create a password"
        self.fields["password2"].error_messages["required"] = "Type your password again"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if accounts.email_taken(email):
            raise ValidationError(accounts.EMAIL_TAKEN)
        return email

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match. Type the same password in both boxes.")
        elif password1:
            try:
                accounts.validate_new_password(password1, email=data.get("email", ""), patient=self.patient)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data
