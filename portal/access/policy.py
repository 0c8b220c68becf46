"""The one policy table: for each kind of patient record and each role, who may see it (READ) and
who may change it (CHANGE). Written once, here, as data; docs/access-policy.md shows the same table
and a test fails when the two disagree.

Every channel asks it: a model's `objects.visible_to(user)` (pages, REST, FHIR, CSV, PDFs, Django
admin) turns the user's rule into a filter (portal.access.querysets), and services call `require`
or `require_for_patient` before they change anything. Nobody else decides who sees what."""

from django.core.exceptions import PermissionDenied

from portal.access.kinds import RecordKind, Rule
from portal.people.models import Role
from portal.people.roles import role_in_use

PATIENT = "patient"  # a patient using their own account: no role assignment, a linked Patient


# Columns of the table, in order.
ROLES = (
    Role.CNS,
    Role.SUPPORT_WORKER,
    Role.CLINICIAN,
    Role.GP,
    Role.PRACTICE_STAFF,
    Role.SERVICE_ADMIN,
    Role.AUDITOR,
    PATIENT,
)

_ = Rule.NONE
TEAM, OWNER, GP, SHARED, SENT = (
    Rule.CARE_TEAM,
    Rule.OWNING_TEAM,
    Rule.PRACTICE,
    Rule.PRACTICE_SHARED,
    Rule.PRACTICE_DELIVERED,
)
SELF, NO_PATIENT, ALL = Rule.SELF, Rule.NO_PATIENT, Rule.ALL

# fmt: off
#                             cns    support clinician gp     practice admin       auditor patient
READ = {
    RecordKind.PATIENT:           (TEAM,  TEAM,  TEAM,     GP,     GP,     _,          _,      SELF),
    RecordKind.DIAGNOSIS:         (TEAM,  TEAM,  TEAM,     GP,     GP,     _,          _,      SELF),
    # The patient's own words and scores (sexuality, spiritual concerns, free text): their care team only.
    RecordKind.HNA:               (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      SELF),
    RecordKind.CARE_PLAN:         (TEAM,  TEAM,  TEAM,     SHARED, SHARED, _,          _,      SELF),
    RecordKind.SUMMARY:           (TEAM,  TEAM,  TEAM,     SENT,   SENT,   _,          _,      SELF),
    RecordKind.SUMMARY_DELIVERY:  (TEAM,  TEAM,  TEAM,     GP,     GP,     _,          _,      _),
    RecordKind.WORK_ITEM:         (OWNER, OWNER, OWNER,    GP,     GP,     _,          _,      _),
    RecordKind.NOTIFICATION:      (TEAM,  TEAM,  TEAM,     _,      _,      NO_PATIENT, _,      _),
    RecordKind.AUDIT_EVENT:       (_,     _,     _,        _,      _,      _,          ALL,    _),
    # Follow-up: the practice sees the pathway and its tests (no one lost to follow-up), not results
    # or what the patient wrote; the patient sees a result only once told it.
    RecordKind.FOLLOWUP_PATHWAY:  (TEAM,  TEAM,  TEAM,     GP,     GP,     _,          _,      SELF),
    RecordKind.SURVEILLANCE_TEST: (TEAM,  TEAM,  TEAM,     GP,     GP,     _,          _,      SELF),
    RecordKind.TEST_RESULT:       (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      SELF),
    RecordKind.CHECK_IN:          (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      SELF),
    RecordKind.CONCERN:           (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      SELF),
    # Quality of life survey: the invitation is the care team's to follow up (and its letters theirs to
    # print); the answers and report reach the practice unless the respondent said no.
    RecordKind.QOL_INVITATION:    (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      SELF),
    RecordKind.QOL_RESPONSE:      (TEAM,  TEAM,  TEAM,     SHARED, SHARED, _,          _,      SELF),
    # Wellbeing bookings: the service admins who run the sessions, and the patient who booked.
    RecordKind.WELLBEING_BOOKING: (_,     _,     _,        _,      _,      ALL,        _,      SELF),
    # Cancer care reviews: the practice's own record; the patient reads theirs (the summary they get).
    RecordKind.CARE_REVIEW:       (_,     _,     _,        GP,     GP,     _,          _,      SELF),
    RecordKind.CARE_REVIEW_REQUEST: (_,   _,     _,        GP,     GP,     _,          _,      SELF),
}
CHANGE = {
    RecordKind.PATIENT:           (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      _),
    RecordKind.DIAGNOSIS:         (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      _),
    RecordKind.HNA:               (OWNER, OWNER, OWNER,    _,      _,      _,          _,      _),
    RecordKind.CARE_PLAN:         (OWNER, OWNER, OWNER,    _,      _,      _,          _,      _),
    # Support workers do not write clinical records.
    RecordKind.SUMMARY:           (OWNER, _,     OWNER,    _,      _,      _,          _,      _),
    RecordKind.SUMMARY_DELIVERY:  (_,     _,     _,        GP,     GP,     _,          _,      _),
    RecordKind.WORK_ITEM:         (OWNER, OWNER, OWNER,    GP,     GP,     _,          _,      _),
    RecordKind.NOTIFICATION:      (TEAM,  TEAM,  TEAM,     _,      _,      NO_PATIENT, _,      _),
    RecordKind.AUDIT_EVENT:       (_,     _,     _,        _,      _,      _,          _,      _),
    RecordKind.FOLLOWUP_PATHWAY:  (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      _),
    RecordKind.SURVEILLANCE_TEST: (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      _),
    RecordKind.TEST_RESULT:       (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      _),
    RecordKind.CHECK_IN:          (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      _),
    RecordKind.CONCERN:           (TEAM,  TEAM,  TEAM,     _,      _,      _,          _,      _),
    RecordKind.QOL_INVITATION:    (OWNER, OWNER, OWNER,    _,      _,      _,          _,      _),
    # Staff key in a paper response; a respondent answers through their invitation's link, not an account.
    RecordKind.QOL_RESPONSE:      (OWNER, OWNER, OWNER,    _,      _,      _,          _,      _),
    RecordKind.WELLBEING_BOOKING: (_,     _,     _,        _,      _,      ALL,        _,      SELF),
    RecordKind.CARE_REVIEW:       (_,     _,     _,        GP,     GP,     _,          _,      _),
    # The patient asks for a review (and may withdraw it); the practice closes it with the review.
    RecordKind.CARE_REVIEW_REQUEST: (_,   _,     _,        GP,     GP,     _,          _,      SELF),
}
# fmt: on
TABLES = {"read": READ, "change": CHANGE}


def role_name(user) -> str | None:
    """The column of the table this user is in now: their role in use, "patient", or None (no access)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    role = role_in_use(user)
    if role is not None:
        return role.role
    return PATIENT if getattr(user, "patient", None) is not None else None


def rule_for(kind: RecordKind, user, action: str) -> Rule:
    name = role_name(user)
    if name is None:
        return Rule.NONE
    return TABLES[action][kind][ROLES.index(name)]


def is_service_admin(user) -> bool:
    """In the service admin role now: for what is not a patient record, so has no row in the table
    (follow-up protocols, ADR 0027; wellbeing sessions, the resource library and directory, ADR 0042)."""
    if role_name(user) in (None, PATIENT):
        return False
    return role_in_use(user).role == Role.SERVICE_ADMIN


def may(user, kind: RecordKind, action: str) -> bool:
    """Whether the user's role reaches any record of this kind at all (menus, page guards)."""
    return rule_for(kind, user, action) is not Rule.NONE


def require(actor, record, action: str = "change"):
    """Refuse (PermissionDenied) unless the table lets `actor` do `action` to this existing record.
    One query: the record's own manager, filtered by the actor's rule."""
    manager = type(record)._default_manager
    if not manager.filter(pk=record.pk).filter(manager.get_queryset().policy_q(actor, action)).exists():
        raise PermissionDenied(f"Your role may not {action} this {manager.model._meta.verbose_name}")
    return record


def require_for_patient(actor, kind: RecordKind, patient, action: str = "change"):
    """Refuse unless the table lets `actor` make a new record of this kind for this patient: the
    patient-level part of the actor's rule (caseload, practice, self), before the record exists."""
    from portal.people.models import Patient

    rule = rule_for(kind, actor, action)
    scope = Patient.objects.filter(pk=patient.pk).filter(patient_q_for(rule, actor))
    if rule is Rule.NONE or not scope.exists():
        raise PermissionDenied(f"Your role may not add a {kind} for this patient")
    return patient


def care_team_of(user, kind: RecordKind, action: str):
    """The care team through which the table lets this user `action` records of this kind (the one
    care-team check of every app), or None when their rule is not a care-team rule."""
    if rule_for(kind, user, action) not in (Rule.CARE_TEAM, Rule.OWNING_TEAM):
        return None
    return role_in_use(user).team  # None for a role without a team


def practice_of(user, kind: RecordKind, action: str):
    """The GP practice through which the table lets this user `action` records of this kind, or None."""
    if rule_for(kind, user, action) not in (Rule.PRACTICE, Rule.PRACTICE_SHARED, Rule.PRACTICE_DELIVERED):
        return None
    return role_in_use(user).organisation


def require_team(actor, team, kind: RecordKind, action: str):
    """Refuse unless the table lets the actor `action` records of this kind as a member of this care
    team (team-wide work, such as printing a team's letters)."""
    mine = care_team_of(actor, kind, action)
    if mine is None or mine.pk != team.pk:
        raise PermissionDenied(f"Only the care team may do this with its {kind} records")
    return team


def patient_q_for(rule: Rule, user, prefix: str = ""):
    """The patient-level condition of a rule, as a Q over Patient (or over `prefix` + Patient fields)."""
    from django.db.models import Q

    nothing = Q(pk__in=[])
    role = role_in_use(user) if role_name(user) is not None else None  # None for a patient
    if rule in (Rule.CARE_TEAM, Rule.OWNING_TEAM):
        return Q(**{f"{prefix}care_teams": role.team_id}) if role and role.team_id else nothing
    if rule in (Rule.PRACTICE, Rule.PRACTICE_SHARED, Rule.PRACTICE_DELIVERED):
        return Q(**{f"{prefix}registered_practice": role.organisation_id}) if role else nothing
    if rule is Rule.SELF:
        patient = getattr(user, "patient", None)
        return Q(**{f"{prefix}pk": patient.pk}) if patient is not None else nothing
    if rule is Rule.ALL:
        return Q()
    return nothing


def describe(kind: RecordKind) -> str:
    """Who may see this kind, in words (API descriptions), from the table itself."""
    labels = {**{r.value: r.label for r in Role}, PATIENT: "the patient"}
    rules = READ[kind]
    parts = [f"{labels[name]}: {rules[i]}" for i, name in enumerate(ROLES) if rules[i] is not Rule.NONE]
    return "Who may see it: " + "; ".join(parts) + " (docs/access-policy.md). Anyone else gets 404."
