"""Django admin asks the policy table too, superusers included (ADR 0020).

`PolicyAdmin` lists only what `visible_to(user)` returns in the role in use, lets a row be changed
only when `changeable_by(user)` has it, and writes the access log for every patient a changelist or
change page shows. `PatientAccountsHidden` does the same for models that point at user accounts
(sessions, email addresses, authenticators, the users themselves): a patient's account shows only
to someone who may see that patient. Admin without a clinical role therefore shows no clinical
record and no patient's contact details."""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from qsessions.admin import SessionAdmin
from qsessions.models import Session

from portal.audit.services import audit_view_many
from portal.people.models import Patient


def _404_unless_listed(model_admin, request, object_id) -> None:
    """A row outside the user's scope is a 404, as on every other channel (Django admin would redirect
    with a message that names the id)."""
    try:
        listed = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValidationError, ValueError):
        listed = False
    if not listed:
        raise Http404("No such record here")


def _context(response) -> dict:
    """A rendered admin page's context; a redirect (after a save) has none."""
    return getattr(response, "context_data", None) or {}


def _audit_shown(request, response, patient_of) -> None:
    """After a changelist renders: one access-log event per row that names a patient."""
    changelist = _context(response).get("cl")
    if changelist is None:
        return
    rows = [(patient_of(obj), obj) for obj in changelist.result_list]
    audit_view_many(request, [(patient, obj) for patient, obj in rows if patient is not None])


class AuditedPages:
    """What both scoped admins share: a row outside `get_queryset` is a 404, and each row a changelist
    or change page shows writes an access-log event naming its patient (`patient_of`)."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        _audit_shown(request, response, self.patient_of)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _404_unless_listed(self, request, object_id)
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = _context(response).get("original")
        if obj is not None and (patient := self.patient_of(obj)) is not None:
            audit_view_many(request, [(patient, obj)])
        return response


class PolicyAdmin(AuditedPages, admin.ModelAdmin):
    """A ModelAdmin for a patient-data model (one whose manager is a PolicyQuerySet)."""

    patient_path = "patient"  # the row's attribute that is its Patient; "" for Patient itself

    def patient_of(self, obj):
        return getattr(obj, self.patient_path) if self.patient_path else obj

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return self.model.objects.changeable_by(request.user).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        return False  # clinical records are never deleted; history is kept


class PatientAccountsHidden(AuditedPages):
    """For admin of rows that belong to a user account: rows of a patient's account appear only to
    someone the policy table lets see that patient (a service admin sees staff accounts only)."""

    user_path = "user"

    def get_queryset(self, request):
        visible = Patient.objects.visible_to(request.user).values("pk")
        prefix = f"{self.user_path}__" if self.user_path else ""
        staff_or_visible = Q(**{f"{prefix}patient__isnull": True}) | Q(**{f"{prefix}patient__in": visible})
        return super().get_queryset(request).filter(staff_or_visible)

    def patient_of(self, obj):
        user = getattr(obj, self.user_path) if self.user_path else obj
        return getattr(user, "patient", None) if user is not None else None


for model, base in ((EmailAddress, EmailAddressAdmin), (Authenticator, AuthenticatorAdmin), (Session, SessionAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"Scoped{base.__name__}", (PatientAccountsHidden, base), {}))
