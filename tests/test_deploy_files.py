"""The deployment files say what DESIGN.md promises: the whole set on one host (postgres, redis,
web, worker, beat), production settings everywhere, health checks, and a non-root image.
Plain file parsing: no database, no Docker engine."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
APP_SERVICES = ["web", "worker", "beat", "migrate"]


def command_text(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_compose_has_the_whole_set():
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(SERVICES)
    assert "version" not in COMPOSE


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker", "beat"])
def test_long_running_services_have_a_healthcheck(service):
    assert SERVICES[service]["healthcheck"]["test"]


def test_commands():
    assert command_text("web").startswith("gunicorn portal.wsgi:application")
    assert command_text("worker").startswith("celery -A portal worker")
    assert "-Q default,notifications,pdf,sweeps" in command_text("worker")
    assert command_text("beat").startswith("celery -A portal beat")
    assert command_text("migrate") == "python manage.py migrate --noinput"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_use_production_settings_and_the_compose_backends(service):
    env = SERVICES[service]["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    assert re.match(r"postgres(ql)?://[^@/]+@postgres:5432/portal$", env["DATABASE_URL"])
    assert re.match(r"redis://redis:6379/\d+$", env["REDIS_URL"])
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # must be given; no default secret


def test_web_waits_for_healthy_backends_and_migrations():
    depends = SERVICES["web"]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_dockerfile_is_multi_stage():
    assert len(re.findall(r"^FROM\s", DOCKERFILE, re.MULTILINE)) >= 2


def test_dockerfile_runs_as_a_non_root_user():
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, re.MULTILINE)
    assert users, "no USER line"
    assert users[-1] not in {"root", "0", "0:0"}


def test_dockerfile_builds_static_files_and_pdf_libraries():
    assert "manage.py collectstatic --noinput" in DOCKERFILE
    assert "libpango-1.0-0" in DOCKERFILE


def test_dockerfile_has_a_healthcheck_on_health():
    match = re.search(r"^HEALTHCHECK\s.*", DOCKERFILE, re.MULTILINE | re.DOTALL)
    assert match and "/health" in match.group(0)
