"""The policy module's helpers, one by one: the role column a user is in, the care team or practice
a rule works through, the refusals and their words, and the sentence the API documentation reads."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from portal.access import policy
from portal.access.kinds import RecordKind, Rule
from portal.people.models import Role
from tests.factories import PatientFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_column_is_the_role_in_use_or_patient_or_nothing(cast):
    assert policy.role_name(cast.cns_a) == Role.CNS
    assert policy.role_name(cast.gp_a) == Role.GP
    assert policy.role_name(cast.patient_user) == policy.PATIENT
    assert policy.role_name(UserFactory()) is None  # no role, no patient record
    assert policy.role_name(AnonymousUser()) is None
    assert policy.role_name(None) is None
    cast.cns_a.is_active = False
    assert policy.role_name(cast.cns_a) is None
    assert policy.rule_for(RecordKind.PATIENT, cast.cns_a, "read") is Rule.NONE


def test_rules_are_read_per_action(cast):
    support = RoleAssignmentFactory(role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a).user
    assert policy.rule_for(RecordKind.SUMMARY, support, "read") is Rule.CARE_TEAM
    assert policy.rule_for(RecordKind.SUMMARY, support, "change") is Rule.NONE
    assert policy.care_team_of(support, RecordKind.SUMMARY, "read") == cast.team_a
    assert policy.care_team_of(support, RecordKind.SUMMARY, "change") is None
    assert policy.may(cast.auditor, RecordKind.AUDIT_EVENT, "read")
    assert not policy.may(cast.auditor, RecordKind.AUDIT_EVENT, "change")
    assert not policy.may(cast.cns_a, RecordKind.AUDIT_EVENT, "read")


def test_care_team_and_practice_of(cast):
    assert policy.care_team_of(cast.cns_a, RecordKind.HNA, "read") == cast.team_a
    assert policy.care_team_of(cast.gp_a, RecordKind.PATIENT, "read") is None
    assert policy.care_team_of(cast.patient_user, RecordKind.HNA, "read") is None
    assert policy.practice_of(cast.gp_a, RecordKind.CARE_PLAN, "read") == cast.practice_a
    assert policy.practice_of(cast.gp_a, RecordKind.HNA, "read") is None
    assert policy.practice_of(cast.cns_a, RecordKind.PATIENT, "read") is None


def test_require_refuses_with_words_that_name_the_action_and_the_record(cast):
    assert policy.require(cast.cns_a, cast.patient) == cast.patient
    with pytest.raises(PermissionDenied, match="^Your role may not change this patient$"):
        policy.require(cast.gp_a, cast.patient)
    with pytest.raises(PermissionDenied, match="^Your role may not read this patient$"):
        policy.require(cast.cns_b, cast.patient, "read")
    assert policy.require(cast.gp_a, cast.patient, "read") == cast.patient


def test_require_for_patient_checks_the_patient_level_rule(cast):
    assert policy.require_for_patient(cast.cns_a, RecordKind.HNA, cast.patient) == cast.patient
    with pytest.raises(PermissionDenied, match="^Your role may not add a HNA answers for this patient$"):
        policy.require_for_patient(cast.cns_b, RecordKind.HNA, cast.patient)
    with pytest.raises(PermissionDenied):
        policy.require_for_patient(cast.gp_a, RecordKind.HNA, cast.patient)
    other = PatientFactory(care_teams=[cast.team_b])
    with pytest.raises(PermissionDenied):
        policy.require_for_patient(cast.cns_a, RecordKind.SUMMARY, other)


def test_require_team_needs_that_team_and_a_team_rule(cast):
    assert policy.require_team(cast.cns_a, cast.team_a, RecordKind.SUMMARY, "read") == cast.team_a
    for actor, team in ((cast.cns_b, cast.team_a), (cast.cns_a, cast.team_b), (cast.gp_a, cast.team_a)):
        with pytest.raises(PermissionDenied, match="^Only the care team may do this with its"):
            policy.require_team(actor, team, RecordKind.SUMMARY, "read")


def test_patient_q_for_each_rule(cast):
    from portal.people.models import Patient

    other = PatientFactory(care_teams=[cast.team_b], registered_practice=cast.practice_b)

    def patients(rule, user):
        return set(Patient.objects.filter(policy.patient_q_for(rule, user)))

    assert patients(Rule.CARE_TEAM, cast.cns_a) == patients(Rule.OWNING_TEAM, cast.cns_a) == {cast.patient}
    for rule in (Rule.PRACTICE, Rule.PRACTICE_SHARED, Rule.PRACTICE_DELIVERED):
        assert patients(rule, cast.gp_b) == {other}
    assert patients(Rule.SELF, cast.patient_user) == {cast.patient}
    assert patients(Rule.ALL, cast.auditor) == {cast.patient, other}
    for rule in (Rule.NONE, Rule.NO_PATIENT):
        assert patients(rule, cast.cns_a) == set()
    assert patients(Rule.SELF, cast.cns_a) == set()  # staff have no patient record
    assert patients(Rule.CARE_TEAM, cast.gp_a) == set()  # a practice role has no team
    assert patients(Rule.PRACTICE, cast.patient_user) == set()


def test_describe_says_who_may_see_a_kind_from_the_table():
    assert policy.describe(RecordKind.HNA) == (
        "Who may see it: Clinical nurse specialist: care team; Cancer support worker: care team; "
        "Clinician: care team; the patient: self (docs/access-policy.md). Anyone else gets 404."
    )
    assert "GP: practice, while shared" in policy.describe(RecordKind.CARE_PLAN)


def test_every_part_of_a_rule_must_hold(cast):
    """A rule with two conditions needs both: the owning team AND the caseload; the record's own
    practice AND the patient's registration; delivered AND still registered there."""
    from portal.worklist.models import Kind, WorkItem
    from portal.worklist.services import raise_item
    from tests.access.policy_fixtures import sent_summary
    from treatment_summaries.models import SummaryVersion

    def item(patient, **owner):
        return raise_item(kind=Kind.OTHER, patient=patient, source_type="t", source_id=patient.pk, title="t",
                          system_actor="t", **owner)  # fmt: skip

    left_team_a = PatientFactory(care_teams=[cast.team_b], registered_practice=cast.practice_a)
    on_both = PatientFactory(care_teams=[cast.team_a, cast.team_b], registered_practice=cast.practice_a)
    moved_away = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_b)
    not_on_caseload = item(left_team_a, team=cast.team_a)  # team A's item, patient no longer theirs
    other_teams = item(on_both, team=cast.team_b)  # the patient is team A's too, the item team B's
    practice_item = item(moved_away, practice=cast.practice_a)  # practice A's item, patient moved to B
    mine = item(cast.patient, team=cast.team_a, practice=cast.practice_a)
    assert set(WorkItem.objects.visible_to(cast.cns_a)) == {mine}
    assert set(WorkItem.objects.changeable_by(cast.cns_a)) == {mine}
    assert set(WorkItem.objects.visible_to(cast.gp_a)) == {mine}
    for refused in (not_on_caseload, other_teams):
        with pytest.raises(PermissionDenied):
            policy.require(cast.cns_a, refused)
    with pytest.raises(PermissionDenied):
        policy.require(cast.gp_a, practice_item)

    cast.clinician_a = RoleAssignmentFactory(role=Role.CLINICIAN, organisation=cast.trust, team=cast.team_a).user
    version = sent_summary(cast)  # delivered to practice A
    assert SummaryVersion.objects.visible_to(cast.gp_a).filter(pk=version.pk).exists()
    cast.patient.registered_practice = cast.practice_b
    cast.patient.save()
    for gp in (cast.gp_a, cast.gp_b):  # A: no longer the patient's practice; B: never delivered there
        assert not SummaryVersion.objects.visible_to(gp).filter(pk=version.pk).exists()


def test_a_care_team_role_without_a_team_reaches_no_one(cast):
    """The model refuses such an assignment; if one is in the database anyway, it sees nobody (not
    the patients who are on no team's caseload)."""
    from portal.people.models import Patient, RoleAssignment

    no_team = UserFactory()
    RoleAssignment.objects.create(user=no_team, role=Role.CNS, organisation=cast.trust, team=None)
    PatientFactory(care_teams=[])
    assert not Patient.objects.visible_to(no_team).exists()
    assert policy.care_team_of(no_team, RecordKind.PATIENT, "read") is None
    with pytest.raises(PermissionDenied):
        policy.require_for_patient(no_team, RecordKind.HNA, cast.patient)


def test_no_one_signed_in_is_refused_plainly(cast):
    for action in ("read", "change"):
        with pytest.raises(PermissionDenied):
            policy.require_for_patient(AnonymousUser(), RecordKind.PATIENT, cast.patient, action)
