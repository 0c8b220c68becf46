"""The project layout the portal's users asked for, and each domain app a real Django app."""

import re
import tomllib

import pytest
from django.apps import apps

from tests.portal.test_settings import ROOT

DOMAIN_APPS = ["hna", "treatment_summaries", "care_reviews", "followup", "qol_survey", "wellbeing", "alliance"]


@pytest.mark.parametrize(
    "path",
    [
        "manage.py",
        "pyproject.toml",
        "requirements.lock",
        "portal",
        "templates",
        "static",
        "tests",
        "docker-compose.yml",
        "Dockerfile",
        "Makefile",
        "README.md",
        "docs/adr",
        "package.json",
        "package-lock.json",
        ".ci/run",
        *DOMAIN_APPS,
    ],
)
def test_layout(path):
    assert (ROOT / path).exists(), path


@pytest.mark.parametrize("label", DOMAIN_APPS)
def test_domain_apps_are_installed_django_apps(label):
    config = apps.get_app_config(label)
    assert config.path == str(ROOT / label)


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw.split("[")[0]).lower()


def test_direct_dependencies_are_pinned_and_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = dict(
        (_name(m.group(1)), m.group(2))
        for m in re.finditer(r"^([A-Za-z0-9_.\[\]-]+)==([^\s\\]+)", (ROOT / "requirements.lock").read_text(), re.M)
    )
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name, _, version = requirement.partition("==")
        assert version, f"{requirement} is not pinned"
        assert locked.get(_name(name)) == version, f"{requirement} differs from requirements.lock"


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
