"""The house's walls (DESIGN.md): `portal` never imports a domain app, and a domain app imports
nothing of another domain app but its models (for display). Shared plumbing (REST and FHIR bases,
references, serializers) lives in portal/, so a new app never has to import the first one."""

import ast
from pathlib import Path

import pytest

from tests.portal.test_layout import DOMAIN_APPS
from tests.portal.test_settings import ROOT


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from hna import fhir` reaches hna.fhir; `from hna.models import CarePlan`, hna.models.CarePlan.
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def crossings(package: str) -> list[str]:
    """Imports in `package` that reach into another domain app (or, from portal, any domain app)."""
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # Django writes cross-app dependencies into migrations itself
        for line, module in imported_modules(path):
            top, _, rest = module.partition(".")
            if top not in DOMAIN_APPS or top == package:
                continue
            allowed = package != "portal" and (rest == "models" or rest.startswith("models."))
            if not allowed:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


@pytest.mark.parametrize("package", ["portal", *DOMAIN_APPS])
def test_no_package_reaches_into_another_app(package):
    assert crossings(package) == []


def test_the_check_sees_a_crossing(tmp_path, monkeypatch):
    app = tmp_path / "wellbeing"
    app.mkdir()
    lines = ["from hna.api import ScopedList", "from hna import fhir", "from hna.models import CarePlan"]
    (app / "views.py").write_text("\n".join([*lines, "import treatment_summaries.services", ""]))
    monkeypatch.setattr("tests.portal.test_boundaries.ROOT", tmp_path)
    found = crossings("wellbeing")
    expected = ["hna.api.ScopedList", "hna.fhir", "treatment_summaries.services"]
    assert [f.split(" imports ")[1] for f in found] == expected, found
