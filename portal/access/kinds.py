"""The words of the policy table (portal.access.policy): kinds of record and rules. Apart, with no
imports, so every model module can name its kind without importing the table."""

from enum import StrEnum


class Rule(StrEnum):
    """What a role may reach of one kind of record. The words are the ones docs/access-policy.md uses."""

    NONE = "none"
    # The patient is on the caseload of the user's care team (Patient.care_teams).
    CARE_TEAM = "care team"
    # The record belongs to the user's care team (its `team`), and the patient is on that team's caseload.
    OWNING_TEAM = "owning team"
    # The patient is registered at the user's GP practice (and the record is the practice's own, where it
    # names a practice).
    PRACTICE = "practice"
    # As PRACTICE, and only while the patient's consent to share it with the practice stands.
    PRACTICE_SHARED = "practice, while shared"
    # As PRACTICE, and only once it was sent (delivered) to that practice.
    PRACTICE_DELIVERED = "practice, once delivered"
    # The patient's own record, as much of it as has been released to them.
    SELF = "self"
    # Records of this kind that are about no patient at all (say, an email to a member of staff).
    NO_PATIENT = "no patient"
    # Every record of this kind.
    ALL = "all"


class RecordKind(StrEnum):
    """Kinds of record. A new app adds its kinds here, a row to READ and CHANGE, and a fixture to
    tests/access/policy_fixtures.py; the generated test then covers every channel for it."""

    PATIENT = "patient demographics"
    DIAGNOSIS = "diagnosis"
    HNA = "HNA answers"
    CARE_PLAN = "care plan version"
    SUMMARY = "treatment summary version (and its PDF)"
    SUMMARY_DELIVERY = "treatment summary inbox entry"
    WORK_ITEM = "worklist item"
    NOTIFICATION = "notification"
    AUDIT_EVENT = "access log entry"
    FOLLOWUP_PATHWAY = "follow-up pathway"
    SURVEILLANCE_TEST = "surveillance test"
    TEST_RESULT = "test result"
    CHECK_IN = "follow-up check-in"
    CONCERN = "follow-up concern"
    QOL_INVITATION = "quality of life survey invitation"
    QOL_RESPONSE = "quality of life survey response"
    WELLBEING_BOOKING = "wellbeing session booking"
    CARE_REVIEW = "cancer care review"
    CARE_REVIEW_REQUEST = "request for a cancer care review"
