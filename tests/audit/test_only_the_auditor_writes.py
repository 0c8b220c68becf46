"""Only portal/audit touches the access log's model: every other module writes through the Auditor
(portal.audit.services: record, record_many, audit_view...), so who/when/where is filled the same way
everywhere, and features never read the log (STYLE.md, pattern 9)."""

import ast

from tests.portal.test_settings import ROOT

SKIPPED = {".venv", "node_modules", "tests", "var", "mutants", "migrations"}


def modules_naming_audit_event(root) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED & set(relative.parts) or relative.parts[:2] == ("portal", "audit"):
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            named = (isinstance(node, ast.Name) and node.id == "AuditEvent") or (
                isinstance(node, ast.alias) and node.name.split(".")[-1] == "AuditEvent"
            )
            if named:
                found.append(f"{relative}:{getattr(node, 'lineno', '?')}")
    return found


def test_no_module_outside_portal_audit_uses_the_log_model():
    assert modules_naming_audit_event(ROOT) == []


def test_the_check_sees_a_direct_write(tmp_path):
    (tmp_path / "hna").mkdir()
    (tmp_path / "hna" / "reports.py").write_text(
        "from portal.audit.models import AuditEvent\nAuditEvent.objects.bulk_create([])\n"
    )
    assert modules_naming_audit_event(tmp_path) == ["hna/reports.py:1", "hna/reports.py:2"]
