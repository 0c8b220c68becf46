"""Patient accounts. After sending an HNA, a patient can make their own portal account. Public
sign-up stays closed (portal.people.adapters): the account is linked to their record only by a
fresh passcode of purpose "account", which their care team issues, plus their date of birth."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from hna.models import Assessment, Passcode
from hna.services import passcodes
from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import Patient, User

ACCOUNT = "account"
SIGN_UP_ACTOR = "hna-account-sign-up"
ALREADY_HAS_ACCOUNT = "You already have an account. Sign in instead."
EMAIL_TAKEN = "An account with this email address already exists. Sign in, or use a different email address."


class AlreadyHasAccount(ValidationError):
    """The patient's record is already linked to an account."""


@transaction.atomic
def issue_account_passcode(actor, assessment) -> str:
    """The care team gives a patient who has sent an HNA a passcode to make an account; shown
    once. A new one replaces any earlier account passcode for the assessment."""
    policy.require(actor, assessment)
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("patient").get(pk=assessment.pk)
    if assessment.status not in (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED):
        raise ValidationError("The patient can make an account once they have sent this assessment")
    if assessment.patient.user_id:
        raise AlreadyHasAccount("This patient already has an account")
    _, raw = passcodes.issue(assessment, purpose=ACCOUNT, actor=actor)
    record(Action.UPDATE, actor=actor, patient=assessment.patient, obj=assessment)
    return raw


def check_passcode(raw: str, date_of_birth, *, ip: str | None = None) -> passcodes.Attempt:
    """Step 1: what the account passcode and date of birth open (`passcodes.attempt`; a wrong guess
    counts against `ip`). Raises AlreadyHasAccount when the record has one, and when the passcode
    was used: using it is what makes the account."""
    result = passcodes.attempt(raw, date_of_birth, purpose=ACCOUNT, ip=ip)
    opened = result.outcome == passcodes.Outcome.OPENED
    if result.outcome == passcodes.Outcome.USED or (opened and result.passcode.assessment.patient.user_id):
        raise AlreadyHasAccount(ALREADY_HAS_ACCOUNT)
    return result


def live_passcode(passcode_id) -> Passcode | None:
    """The account passcode a patient's session holds, while it still works."""
    if not passcode_id or not passcodes.is_live(passcode_id):
        return None
    return Passcode.objects.filter(pk=passcode_id, purpose=ACCOUNT).select_related("assessment__patient").first()


def email_taken(email: str) -> bool:
    from allauth.account.models import EmailAddress

    return (
        User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def validate_new_password(password: str, *, email: str, patient) -> None:
    """Django's password validators (length, common, numeric, similar to the person's details)."""
    candidate = User(email=email, first_name=patient.given_name, last_name=patient.family_name)
    validate_password(password, user=candidate)


@transaction.atomic
def create_account(passcode_id, *, email: str, password: str) -> User:
    """Step 2: make the account, link it to the patient and use up the passcode, all or nothing.
    Errors name the form field they belong to ("email", "password1")."""
    from allauth.account.models import EmailAddress

    passcode = Passcode.objects.select_for_update().filter(pk=passcode_id, purpose=ACCOUNT).first()
    if passcode is None or passcode.state != "live":
        raise ValidationError("Your passcode no longer works. Ask your care team for a new one.")
    patient = Patient.objects.select_for_update(of=("self",)).get(assessments__passcodes=passcode)
    if patient.user_id:
        raise AlreadyHasAccount(ALREADY_HAS_ACCOUNT)
    email = User.objects.normalize_email(email).lower()
    if email_taken(email):
        raise ValidationError({"email": EMAIL_TAKEN})
    try:
        validate_new_password(password, email=email, patient=patient)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user = User.objects.create_user(
        email=email, password=password, first_name=patient.given_name, last_name=patient.family_name
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    patient.user = user
    patient.save(update_fields=["user", "updated_at"])
    passcodes.mark_used(passcode)
    record(Action.UPDATE, actor=user, patient=patient, obj=patient)
    return user
