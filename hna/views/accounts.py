"""Patient accounts: a patient who has sent an HNA makes their own account with an account
passcode from their care team (issued on the staff page here) and their date of birth."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from hna.forms_accounts import LOCKED, NOT_RECOGNISED, TOO_MANY_TRIES, AccountDetailsForm, AccountPasscodeForm
from hna.models import Assessment
from hna.services import accounts, passcodes
from portal.access.shortcuts import get_changeable_or_404
from portal.audit.models import Action
from portal.audit.services import audit_view, record

SESSION_KEY = "hna.account_passcode"
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _signed_in(request):
    return request.user.is_authenticated


def _already(request):
    return render(request, "hna/accounts/already.jinja", {"page_title": "You already have an account"})


def start(request):
    """What an account is for and what you need to make one."""
    context = {
        "page_title": "Create an account",
        "signed_in": _signed_in(request),
        "has_account": hasattr(request.user, "patient"),
    }
    return render(request, "hna/accounts/start.jinja", context)


def check(request):
    """Step 1: account passcode and date of birth (throttled per client IP)."""
    if _signed_in(request):
        return redirect("hna:account")
    form = AccountPasscodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        # Per client IP as allauth finds it; only wrong guesses count (ADR 0022).
        ip = get_adapter().get_client_ip(request)
        if passcodes.too_many_attempts(ip, purpose=accounts.ACCOUNT):
            form.is_valid()
            form.errors.clear()  # one message only: we did not look at what they typed
            form.add_error("passcode", TOO_MANY_TRIES)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                result = accounts.check_passcode(data["passcode"], data["date_of_birth"], ip=ip)
            except accounts.AlreadyHasAccount:
                return _already(request)
            if result.outcome == passcodes.Outcome.OPENED:
                request.session.cycle_key()
                request.session[SESSION_KEY] = str(result.passcode.pk)
                return redirect("hna:account_details")
            record(Action.FAILED_SIGN_IN, request=request, label="hna-account-passcode")
            form.add_error("passcode", LOCKED if result.outcome == passcodes.Outcome.LOCKED else NOT_RECOGNISED)
    context = {"page_title": "Enter your account passcode", "form": form, "back_link": {"href": reverse("hna:account")}}
    return render(request, "hna/accounts/check.jinja", context, status=status)


def details(request):
    """Step 2: email address and password; then the account is made and the patient signed in."""
    if _signed_in(request):
        return redirect("hna:account")
    passcode = accounts.live_passcode(request.session.get(SESSION_KEY))
    if passcode is None:
        messages.info(request, "Enter your account passcode and date of birth first.")
        return redirect("hna:account_check")
    patient = passcode.assessment.patient
    if patient.user_id:
        return _already(request)
    form = AccountDetailsForm(request.POST if request.method == "POST" else None, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.create_account(
                passcode.pk, email=form.cleaned_data["email"], password=form.cleaned_data["password1"]
            )
        except accounts.AlreadyHasAccount:
            return _already(request)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            for name, errors in exc.error_dict.items():
                form.add_error(name, errors)
        else:
            request.session.pop(SESSION_KEY, None)
            login(request, user, backend=BACKEND)
            messages.success(request, "Your account has been created. You are signed in.")
            return redirect("home")
    context = {"page_title": "Your email address and password", "form": form, "submit_text": "Create account"}
    return render(request, "hna/accounts/details.jinja", context)


@login_required
def staff_passcode(request, assessment_id):
    """Staff: issue an account passcode for a patient who has sent this assessment (shown once)."""
    # Only the assessment's own care team: anyone else gets 404, as for any record they may not change.
    assessment = get_changeable_or_404(Assessment, request.user, pk=assessment_id)
    patient = assessment.patient
    raw, error = None, None
    if request.method == "POST":
        try:
            raw = passcodes.display(accounts.issue_account_passcode(request.user, assessment))
        except ValidationError as exc:
            error = exc.messages[0]
    audit_view(request, patient, assessment)
    context = {
        "page_title": "Account passcode",
        "patient": patient,
        "assessment": assessment,
        "has_account": bool(patient.user_id),
        "submitted": assessment.status in (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED),
        "passcode": raw,
        "days": settings.HNA_PASSCODE_DAYS,
        "error": error,
        "back_link": {"href": f"/hna/assessments/{assessment.pk}/"},
    }
    return render(request, "hna/accounts/staff_passcode.jinja", context)
