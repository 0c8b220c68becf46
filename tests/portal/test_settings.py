"""Settings read the environment strictly; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3928171605f4e3d2c1b0a99887766",
    "DATABASE_URL": "postgres://portal@db.example.internal:5432/portal",
    "REDIS_URL": "redis://redis.example.internal:6379/0",
    "ALLOWED_HOSTS": "portal.example.nhs.uk",
}


def run_manage(*args, env_overrides=None, drop=()):
    # Test-only variables (DJANGO_ALLOW_ASYNC_UNSAFE for Playwright) must not leak into a deploy check.
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(PRODUCTION_ENV)
    environment.update(env_overrides or {})
    for name in drop:
        environment.pop(name, None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_production_settings_is_clean():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret(missing):
    result = run_manage("check", drop=[missing])
    assert result.returncode != 0
    assert f"Set the environment variable {missing}." in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage("check", env_overrides={"SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50" in result.stderr


def test_production_session_cookies_are_secure():
    # check --deploy skips W010-W012 when django.contrib.sessions is swapped (STACK-NOTES 5),
    # so read the values from the settings module itself.
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = run_manage("shell", "--no-imports", "-c", code)
    assert result.stdout.split() == ["True", "True", "False", "True"], result.stderr


@pytest.mark.parametrize(
    ("module", "kept"),
    [("portal.settings.production", "600"), ("portal.settings.local", "600"), ("portal.settings.test", "0")],
)
def test_production_and_make_run_keep_their_database_connections(module, kept):
    """ADR 0056: a connection per gunicorn worker, health-checked, not one per request (tests keep
    one per request: their runner manages connections)."""
    code = "from django.conf import settings as s; d = s.DATABASES['default']; "
    code += "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    overrides = {"DJANGO_SETTINGS_MODULE": module, "DATABASE_URL": PRODUCTION_ENV["DATABASE_URL"]}
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=overrides, drop=["DB_CONN_MAX_AGE"])
    assert result.stdout.split() == [kept, "True"], result.stderr


def test_debug_is_off_by_default(settings):
    assert settings.DEBUG is False


@pytest.mark.parametrize("value", ["ture", "2", "maybe"])
def test_malformed_boolean_is_an_error(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env.env_bool("SOME_FLAG", False)


def test_env_helpers(monkeypatch, tmp_path):
    monkeypatch.setenv("A_BOOL", "FALSE")
    assert env.env_bool("A_BOOL", True) is False
    monkeypatch.setenv("A_LIST", "a, b,,c")
    assert env.env_list("A_LIST", []) == ["a", "b", "c"]
    monkeypatch.setenv("AN_INT", "x")
    with pytest.raises(ImproperlyConfigured, match="AN_INT must be a whole number"):
        env.env_int("AN_INT", 1)
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("A_SECRET_FILE", str(secret))
    assert env.env_str("A_SECRET") == "from-a-file"
    monkeypatch.delenv("MISSING_ONE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the environment variable MISSING_ONE"):
        env.env_str("MISSING_ONE")
