"""The scoping lint, part by part (portal/access/lint.py): what each check finds and misses, on
source it is given and on a tree of files laid out in a temporary folder, so each rule can fail."""

from pathlib import Path

import pytest

from portal.access import lint
from portal.access.lint import find_violations, is_view_module, violations_in_source

MODELS = {"Patient", "Diagnosis"}


def found(source, filename="views.py"):
    return violations_in_source(source, filename, MODELS)


@pytest.mark.django_db
def test_patient_data_models_are_those_with_a_scoped_manager():
    from django.apps import apps

    models = lint.patient_data_models()
    assert {"Patient", "Diagnosis", "Assessment", "CarePlan", "TreatmentSummary", "AuditEvent"} <= models
    for unscoped in ("Organisation", "Team", "RoleAssignment", "User", "Session"):
        assert unscoped not in models
    assert not any(m.__module__.startswith("django") for m in apps.get_models() if m.__name__ in models)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Patient.objects.get(pk=pk)", "views.py:2: Patient.objects used without .visible_to(user)"),
        ("Patient.objects.filter(x=1).visible_to(u)", "views.py:2: Patient.objects used without .visible_to(user)"),
        ("Diagnosis._default_manager.all()", "views.py:2: Diagnosis._default_manager bypasses scoping"),
        (
            "get_object_or_404(Patient, pk=pk)",
            "views.py:2: get_object_or_404(Patient, ...) is not scoped; use get_visible_or_404",
        ),
        (
            "get_list_or_404(Diagnosis, x=1)",
            "views.py:2: get_list_or_404(Diagnosis, ...) is not scoped; use get_visible_or_404",
        ),
    ],
)
def test_each_unscoped_read_is_named_with_its_line(line, message):
    assert found(f"def v(request, pk):\n    {line}\n") == [message]


@pytest.mark.parametrize(
    "line",
    [
        "Patient.objects.visible_to(request.user).get(pk=pk)",
        "Patient.objects.changeable_by(request.user).get(pk=pk)",
        "Organisation.objects.get(pk=pk)",  # not patient data
        "Organisation._default_manager.all()",
        "get_object_or_404(Organisation, pk=pk)",
        "get_object_or_404(Patient.objects.visible_to(u), pk=pk)",  # a scoped queryset, not the model
        "get_object_or_404()",
        "other(Patient, pk=pk).visible_to(u)",  # another function given the model is not a shortcut
        "self.Patient.objects.get(pk=pk)",  # an attribute, not the model's name
        "Patient.objects.get(pk=pk)  # unscoped-ok: a reason a reviewer reads",
    ],
)
def test_scoped_or_marked_or_other_reads_pass(line):
    assert found(f"def v(request, pk, u=None):\n    {line}\n") == []


def test_the_marker_excuses_its_own_line_only():
    source = "a = Patient.objects.get()  # unscoped-ok: unique\nb = Patient.objects.get()\n"
    assert found(source) == ["views.py:2: Patient.objects used without .visible_to(user)"]


def test_every_finding_on_a_line_is_reported():
    source = "x = (Patient.objects.get(), get_object_or_404(Diagnosis), Diagnosis._default_manager)\n"
    assert len(found(source)) == 3


@pytest.mark.parametrize(
    ("path", "served"),
    [
        ("app/views.py", True),
        ("app/api.py", True),
        ("app/viewsets.py", True),
        ("app/fhir_views.py", True),
        ("app/admin.py", True),
        ("app/views/pages.py", True),
        ("app/api/lists.py", True),
        ("app/views/page.jinja", False),  # a template beside the views is not Python
        ("app/api/README.md", False),
        ("app/services.py", False),
        ("app/models.py", False),
        ("app/viewsx.py", False),
    ],
)
def test_which_files_serve_a_request_by_name(path, served):
    assert is_view_module(Path("/src") / path) is served


def test_a_file_the_resolver_serves_counts_whatever_its_name(tmp_path):
    odd = tmp_path / "app" / "odd.py"
    assert is_view_module(odd, frozenset({odd.resolve()}))
    assert not is_view_module(odd, frozenset({(tmp_path / "app" / "other.py").resolve()}))


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.django_db
def test_find_violations_walks_the_tree_and_skips_what_is_not_served(tmp_path):
    bad = "def v(request):\n    return Patient.objects.all()\n"
    for relative in ("app/views.py", "app/views/list.py", "b/api.py"):
        write(tmp_path, relative, bad)
    for relative in ("app/services.py", "tests/views.py", ".venv/x/views.py", "node_modules/views.py",
                     "var/views.py", "mutants/app/views.py"):  # fmt: skip
        write(tmp_path, relative, bad)
    assert find_violations(tmp_path) == [
        "app/views/list.py:2: Patient.objects used without .visible_to(user)",  # path order: / before .
        "app/views.py:2: Patient.objects used without .visible_to(user)",
        "b/api.py:2: Patient.objects used without .visible_to(user)",
    ]


@pytest.mark.django_db
def test_the_resolver_finds_function_class_and_viewset_views_in_nested_includes():
    from tests.portal.test_settings import ROOT

    served = lint.url_view_files(ROOT.resolve())
    assert (ROOT / "portal" / "access" / "token_views.py").resolve() in served  # included twice deep
    assert (ROOT / "hna" / "api.py").resolve() in served  # a DRF viewset (`cls`)
    assert all(path.is_relative_to(ROOT.resolve()) for path in served)


@pytest.mark.django_db
def test_the_resolver_keeps_only_views_under_the_root(tmp_path):
    assert lint.url_view_files(tmp_path.resolve()) == set()


def test_a_file_that_does_not_parse_is_named():
    with pytest.raises(SyntaxError) as error:
        violations_in_source("def (:\n", "app/views.py", MODELS)
    assert error.value.filename == "app/views.py"


@pytest.mark.django_db
def test_a_module_the_resolver_serves_is_checked_whatever_its_name(tmp_path, monkeypatch):
    write(tmp_path, "app/odd.py", "def v(request):\n    return Patient.objects.all()\n")
    monkeypatch.setattr(lint, "url_view_files", lambda root: {(tmp_path / "app" / "odd.py").resolve()})
    assert find_violations(tmp_path) == ["app/odd.py:2: Patient.objects used without .visible_to(user)"]


@pytest.mark.django_db
def test_class_based_views_and_viewsets_are_found_by_their_class():
    """Their callbacks are Django's `as_view` closures: only `view_class` leads to our module."""
    from tests.portal.test_settings import ROOT

    served = lint.url_view_files(ROOT.resolve())
    for module in ("hna/api.py", "treatment_summaries/api.py", "hna/fhir_views.py", "portal/api/views.py"):
        assert (ROOT / module).resolve() in served, module
