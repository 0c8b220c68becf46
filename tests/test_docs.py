"""The docs say what the code does (ADR 0024), checked so they cannot drift: the README names
every benchmark, ADR 0008 names the queues the settings route the outbox tasks to, and the HNA
assessments service says which of its changes are written to the access log."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def benchmarks() -> list[str]:
    """Every benchmark test as `path::name`: the test functions of tests/bench/test_*.py."""
    found = []
    for path in sorted((ROOT / "tests" / "bench").glob("test_*.py")):
        tree = ast.parse(path.read_text())
        found += [
            f"{path.relative_to(ROOT)}::{node.name}"
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        ]
    return found


def test_the_readme_names_every_benchmark():
    found = benchmarks()
    assert len(found) >= 6  # the six of issue 10; a new benchmark needs its README row too
    section = README[README.index("## Benchmarks") :]
    assert [name for name in found if f"`{name}`" not in section] == []


def test_the_readme_lists_no_benchmark_that_is_gone():
    section = README[README.index("## Benchmarks") :]
    listed = re.findall(r"`(tests/bench/[^`]+::[^`]+)`", section)
    assert listed and sorted(listed) == sorted(benchmarks())


def test_adr_0008_names_the_queue_each_outbox_task_is_routed_to():
    adr = " ".join((ROOT / "docs" / "adr" / "0008-outbox.md").read_text().split())
    routes = {task: route["queue"] for task, route in settings.CELERY_TASK_ROUTES.items() if ".outbox." in task}
    assert set(routes) == {
        "portal.outbox.tasks.send_notification",
        "portal.outbox.tasks.send_notifications",
        "portal.outbox.tasks.send_pending",
    }
    for task, queue in routes.items():
        name = task.rsplit(".", 1)[1]
        assert re.search(rf"`{name}`[^.;]*`{queue}` queue", adr), f"ADR 0008 does not say {name} goes to {queue}"
    assert "both tasks use the default queue, which every worker consumes" not in adr


def _calls_record(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "record"
        for node in ast.walk(function)
    )


def _is_atomic(function: ast.FunctionDef) -> bool:
    return any(ast.unparse(decorator) == "transaction.atomic" for decorator in function.decorator_list)


def test_the_assessments_service_says_which_changes_are_in_the_access_log():
    source = (ROOT / "hna" / "services" / "assessments.py").read_text()
    tree = ast.parse(source)
    changes = [node for node in tree.body if isinstance(node, ast.FunctionDef) and _is_atomic(node)]
    audited = {f.name for f in changes if _calls_record(f)}
    not_audited = {f.name for f in changes if not _calls_record(f)}

    doc = " ".join(ast.get_docstring(tree).split())
    assert "Every change is audited" not in doc
    said_audited = doc[doc.index("Written to the access log") : doc.index("Not written to it")]
    said_not = doc[doc.index("Not written to it") :]
    assert set(re.findall(r"`(\w+)`", said_audited)) == audited
    assert set(re.findall(r"`(\w+)`", said_not)) & {f.name for f in changes} == not_audited


def test_the_readme_says_where_make_run_serves_and_what_staff_need():
    start = README[: README.index("## Other targets")]
    assert "make run    # starts the portal with demo data on http://127.0.0.1:8000 (or the port in WEB_PORT)" in start
    assert "`MFA_WAIVED=true make\nrun`" in start or "`MFA_WAIVED=true make run`" in start
    assert "authenticator app" in start
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: .*## .*WEB_PORT", makefile, re.MULTILINE)
