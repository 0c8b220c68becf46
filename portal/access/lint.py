"""A check that no module serving a request reads a patient-data model without scoping.

Patient-data models are those whose default manager offers `visible_to(user)`. Modules serving a
request are every module a URL pattern's view comes from (found from the URL resolver, so a new one
cannot be missed), every `admin.py`, and by name `views.py`, `api.py`, `fhir_views.py`, `viewsets.py`
and anything in a `views/` or `api/` folder. There, `Model.objects` must be followed by
`.visible_to(...)` or `.changeable_by(...)`; `get_object_or_404(Model, ...)` and
`Model._default_manager` are refused outright. A line that must look across all patients
(say, a uniqueness check) says so with a `# unscoped-ok: <reason>` comment, which a reviewer
reads. Run by the test suite (and so by CI), or: `python -m portal.access.lint`."""

import ast
import sys
from pathlib import Path

VIEW_FILE_NAMES = {"views.py", "api.py", "viewsets.py", "fhir_views.py", "admin.py"}
SCOPING_METHODS = {"visible_to", "changeable_by"}
VIEW_DIR_NAMES = {"views", "api"}
UNSCOPED_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def patient_data_models() -> set[str]:
    from django.apps import apps

    return {model.__name__ for model in apps.get_models() if hasattr(model._default_manager, "visible_to")}


def url_view_files(root: Path) -> set[Path]:
    """The source files of every view the URL resolver can reach."""
    import inspect

    from django.urls import URLPattern, URLResolver, get_resolver

    files = set()

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = entry.callback
                # Class-based views (Django's and DRF's, viewsets included) keep their class here.
                view = getattr(view, "view_class", None) or view
                view = inspect.unwrap(view)
                try:
                    source = Path(inspect.getsourcefile(view)).resolve()
                except TypeError:
                    continue
                if source.is_relative_to(root):
                    files.add(source)

    walk(get_resolver().url_patterns)
    return files


def is_view_module(path: Path, served: frozenset = frozenset()) -> bool:
    return (
        path.name in VIEW_FILE_NAMES
        or (path.parent.name in VIEW_DIR_NAMES and path.suffix == ".py")
        or path.resolve() in served
    )


def violations_in_source(source: str, filename: str, models: set[str]) -> list[str]:
    allowed = {i for i, line in enumerate(source.splitlines(), 1) if "# unscoped-ok:" in line}
    tree = ast.parse(source, filename)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in allowed:
            continue
        where = f"{filename}:{getattr(node, 'lineno', 0)}"  # every node reported below has a line
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in models:
            if node.attr == "_default_manager":
                found.append(f"{where}: {node.value.id}._default_manager bypasses scoping")
            elif node.attr == "objects":
                parent = parents.get(node)
                if not (isinstance(parent, ast.Attribute) and parent.attr in SCOPING_METHODS):
                    found.append(f"{where}: {node.value.id}.objects used without .visible_to(user)")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in UNSCOPED_SHORTCUTS:
            if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in models:
                found.append(f"{where}: {node.func.id}({node.args[0].id}, ...) is not scoped; use get_visible_or_404")
    return found


def find_violations(root: Path) -> list[str]:
    models = patient_data_models()
    served = frozenset(url_view_files(root.resolve()))
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "node_modules", "tests", "var", "mutants"}:
            continue
        if not is_view_module(path, served):
            continue
        found.extend(violations_in_source(path.read_text(), str(relative), models))
    return found


if __name__ == "__main__":
    import django

    django.setup()
    problems = find_violations(Path(__file__).resolve().parents[2])
    print("\n".join(problems) or "No unscoped patient-data queries in views or API modules.")
    sys.exit(1 if problems else 0)
