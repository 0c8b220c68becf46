"""A check that no view or API module reads a patient-data model without scoping.

Patient-data models are those whose default manager offers `visible_to(user)`. In a view or API
module, `Model.objects` must be followed by `.visible_to(...)`; `get_object_or_404(Model, ...)`
and `Model._default_manager` are refused outright. A line that must look across all patients
(say, a uniqueness check) says so with a `# unscoped-ok: <reason>` comment, which a reviewer
reads. Run by the test suite (and so by CI), or: `python -m portal.access.lint`."""

import ast
import sys
from pathlib import Path

VIEW_FILE_NAMES = {"views.py", "api.py", "viewsets.py"}
VIEW_DIR_NAMES = {"views", "api"}
UNSCOPED_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def patient_data_models() -> set[str]:
    from django.apps import apps

    return {
        model.__name__
        for model in apps.get_models()
        if hasattr(model._default_manager, "visible_to") and not model.__module__.startswith("django")
    }


def is_view_module(path: Path) -> bool:
    return path.name in VIEW_FILE_NAMES or (path.parent.name in VIEW_DIR_NAMES and path.suffix == ".py")


def violations_in_source(source: str, filename: str, models: set[str]) -> list[str]:
    allowed = {i for i, line in enumerate(source.splitlines(), 1) if "# unscoped-ok:" in line}
    tree = ast.parse(source, filename)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in allowed:
            continue
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in models:
            if node.attr == "_default_manager":
                found.append(f"{where}: {node.value.id}._default_manager bypasses scoping")
            elif node.attr == "objects":
                parent = parents.get(node)
                if not (isinstance(parent, ast.Attribute) and parent.attr == "visible_to"):
                    found.append(f"{where}: {node.value.id}.objects used without .visible_to(user)")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in UNSCOPED_SHORTCUTS:
            if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in models:
                found.append(f"{where}: {node.func.id}({node.args[0].id}, ...) is not scoped; use get_visible_or_404")
    return found


def find_violations(root: Path) -> list[str]:
    models = patient_data_models()
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "node_modules", "tests", "var"} or not is_view_module(path):
            continue
        found.extend(violations_in_source(path.read_text(), str(relative), models))
    return found


if __name__ == "__main__":
    import django

    django.setup()
    problems = find_violations(Path(__file__).resolve().parents[2])
    print("\n".join(problems) or "No unscoped patient-data queries in views or API modules.")
    sys.exit(1 if problems else 0)
