"""Who may see which patients. Every patient-data query in a view or API goes through here,
via `Model.objects.visible_to(user)`: care-team staff see their team's patients, GP and practice
staff see patients registered at their practice, service admins and auditors see no clinical
records, and patients see only themselves."""

from django.db.models import Q

from portal.people.models import CARE_TEAM_ROLES, PRACTICE_ROLES
from portal.people.roles import role_in_use

NOTHING = Q(pk__in=[])


def patient_filter(user, prefix: str = "") -> Q:
    """A Q over Patient (or over a model whose `prefix` leads to its patient, e.g. "patient__")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    role = role_in_use(user)
    if role is None:
        patient_id = getattr(getattr(user, "patient", None), "pk", None)
        return Q(**{f"{prefix}pk": patient_id}) if patient_id else NOTHING
    if role.role in CARE_TEAM_ROLES and role.team_id:
        return Q(**{f"{prefix}care_teams": role.team_id})
    if role.role in PRACTICE_ROLES:
        return Q(**{f"{prefix}registered_practice": role.organisation_id})
    return NOTHING
