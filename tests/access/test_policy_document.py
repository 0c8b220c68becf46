"""docs/access-policy.md shows the policy table; it must say exactly what the code does."""

import re

from portal.access import policy
from portal.access.kinds import RecordKind, Rule
from portal.people.models import Role
from tests.portal.test_settings import ROOT

DOC = ROOT / "docs" / "access-policy.md"
HEADINGS = {"read": "## Who may see (READ)", "change": "## Who may change (CHANGE)"}
COLUMN_LABELS = {**{role.value: role.label for role in Role}, policy.PATIENT: "Patient (own account)"}


def table_after(heading: str, text: str) -> list[list[str]]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows if "---" not in row]


def test_the_document_and_the_code_say_the_same():
    text = DOC.read_text()
    for action, heading in HEADINGS.items():
        header, *rows = table_after(heading, text)
        assert header == ["Kind of record", *(COLUMN_LABELS[name] for name in policy.ROLES)], header
        documented = {row[0]: tuple(row[1:]) for row in rows}
        coded = {str(kind): tuple(str(rule) for rule in cells) for kind, cells in policy.TABLES[action].items()}
        assert documented == coded, f"docs/access-policy.md and portal/access/policy.py differ ({action})"


def test_every_kind_has_a_row_and_every_rule_is_explained():
    text = DOC.read_text()
    assert set(policy.READ) == set(policy.CHANGE) == set(RecordKind)
    explained = {row[0] for row in table_after("## The rules", text)[1:]}
    assert explained == {str(rule) for rule in Rule}


def test_the_check_would_see_a_difference(monkeypatch):
    gp_reads_hna = (Rule.CARE_TEAM,) * 3 + (Rule.PRACTICE,) * 2 + (Rule.NONE,) * 2 + (Rule.SELF,)
    changed = {**policy.READ, RecordKind.HNA: gp_reads_hna}
    monkeypatch.setattr(policy, "TABLES", {**policy.TABLES, "read": changed})
    try:
        test_the_document_and_the_code_say_the_same()
    except AssertionError:
        return
    raise AssertionError("a GP reading HNA answers in code but not in the document went unnoticed")


def cells(table, kind) -> dict:
    return dict(zip(policy.ROLES, table[kind], strict=True))


def test_the_table_keeps_the_promises_the_service_makes():
    """What DESIGN.md and the issues promise, read off the table itself, so a change to it is deliberate."""
    team_roles, practice_roles = (Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN), (Role.GP, Role.PRACTICE_STAFF)
    hna = cells(policy.READ, RecordKind.HNA)
    assert {role for role, rule in hna.items() if rule is not Rule.NONE} == {*team_roles, policy.PATIENT}
    plan, summary = cells(policy.READ, RecordKind.CARE_PLAN), cells(policy.READ, RecordKind.SUMMARY)
    assert all(plan[r] is Rule.PRACTICE_SHARED and summary[r] is Rule.PRACTICE_DELIVERED for r in practice_roles)
    for kind in RecordKind:  # no clinical record, and no contact detail, for a service admin or an auditor
        if kind is not RecordKind.AUDIT_EVENT:
            assert cells(policy.READ, kind)[Role.AUDITOR] is Rule.NONE, kind
        # The admins run the wellbeing sessions: they see who booked (issue 13 item 7), nothing clinical.
        if kind not in (RecordKind.NOTIFICATION, RecordKind.WELLBEING_BOOKING):
            assert cells(policy.READ, kind)[Role.SERVICE_ADMIN] is Rule.NONE, kind
    booking = cells(policy.READ, RecordKind.WELLBEING_BOOKING)
    assert {role for role, rule in booking.items() if rule is not Rule.NONE} == {Role.SERVICE_ADMIN, policy.PATIENT}
    assert cells(policy.READ, RecordKind.NOTIFICATION)[Role.SERVICE_ADMIN] is Rule.NO_PATIENT
    log_readers = {r for r, rule in cells(policy.READ, RecordKind.AUDIT_EVENT).items() if rule is not Rule.NONE}
    assert log_readers == {Role.AUDITOR}
    assert all(rule is Rule.NONE for rule in policy.CHANGE[RecordKind.AUDIT_EVENT])
    assert cells(policy.CHANGE, RecordKind.SUMMARY)[Role.SUPPORT_WORKER] is Rule.NONE
