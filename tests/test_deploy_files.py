"""The deployment files say what DESIGN.md promises: the whole set on one host (postgres, redis,
web, worker, beat), production settings everywhere, health checks, a non-root image, and two
database roles (ADR 0016). Plain file parsing: no database, no Docker engine."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
APP_SERVICES = ["web", "worker", "beat", "migrate"]
LONG_RUNNING = ["web", "worker", "beat"]
ONE_SHOT = ["db-roles", "migrate"]


def command_text(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_compose_has_the_whole_set():
    assert {"postgres", "redis", "web", "worker", "beat", "migrate", "db-roles"} <= set(SERVICES)
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
    app_url = r"postgres(ql)?://[^@/]+@\$\{DB_HOST:-postgres\}:\$\{DB_PORT:-5432\}/portal$"
    owner_url = r"postgres(ql)?://[^@/]+@postgres:5432/portal$"  # migrations never go through the pooler
    assert re.match(owner_url if service == "migrate" else app_url, env["DATABASE_URL"])
    assert re.match(r"redis://redis:6379/\d+$", env["REDIS_URL"])
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # must be given; no default secret


def test_the_optional_pooler_fronts_postgres_in_transaction_mode_for_the_app_role():
    """ADR 0056: off unless asked for (a profile), and what Django needs behind it is in the env."""
    pooler = SERVICES["pgbouncer"]
    assert pooler["profiles"] == ["pooler"]
    assert pooler["environment"]["POOL_MODE"] == "transaction"
    assert re.match(r"postgres://portal_app:[^@]+@postgres:5432/portal$", pooler["environment"]["DATABASE_URL"])
    assert pooler["environment"]["LISTEN_PORT"] == "6432"
    assert SERVICES["web"]["environment"]["DB_DISABLE_SERVER_SIDE_CURSORS"].startswith("${DB_DISABLE_SERVER_SIDE")
    assert (
        "DB_HOST=pgbouncer DB_PORT=6432 DB_DISABLE_SERVER_SIDE_CURSORS=true"
        in (ROOT / "docker-compose.yml").read_text()
    )


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


def database_user(service: str) -> str:
    return re.match(r"postgres(ql)?://([^:@/]+)", SERVICES[service]["environment"]["DATABASE_URL"]).group(2)


def database_password_variable(service: str) -> str:
    return re.search(r":\$\{(\w+)", SERVICES[service]["environment"]["DATABASE_URL"]).group(1)


@pytest.mark.parametrize("service", LONG_RUNNING)
def test_web_and_workers_connect_as_the_app_role(service):
    owner = SERVICES["postgres"]["environment"]["POSTGRES_USER"]  # the image makes it a superuser
    assert database_user(service) == SERVICES["migrate"]["environment"]["DATABASE_APP_ROLE"] == "portal_app"
    assert database_user(service) != owner
    assert database_password_variable(service) == "DATABASE_APP_PASSWORD"
    assert "DATABASE_APP_ROLE" not in SERVICES[service]["environment"]  # only migrate grants


@pytest.mark.parametrize("service", ONE_SHOT)
def test_role_set_up_and_migrations_run_as_the_owner(service):
    assert database_user(service) == SERVICES["postgres"]["environment"]["POSTGRES_USER"]
    assert database_password_variable(service) == "POSTGRES_PASSWORD"
    assert SERVICES[service]["restart"] == "no"


def test_the_app_role_is_created_before_migrations_grant_it_privileges():
    assert command_text("db-roles") == "python scripts/db_roles.py --app portal_app"
    env = SERVICES["db-roles"]["environment"]
    # The role's password is the one web and workers connect with.
    assert env["DATABASE_APP_PASSWORD"].startswith("${DATABASE_APP_PASSWORD")
    assert SERVICES["db-roles"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert SERVICES["migrate"]["depends_on"]["db-roles"]["condition"] == "service_completed_successfully"
    for service in LONG_RUNNING:
        assert SERVICES[service]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_image_carries_the_role_script():
    assert re.search(r"^COPY \. \.", DOCKERFILE, re.MULTILINE)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not {"scripts", "scripts/", "scripts/*", "portal", "portal/"} & set(ignored)
    assert (ROOT / "scripts" / "db_roles.py").exists()
