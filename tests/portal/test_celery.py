"""Celery: the broker follows REDIS_URL, and a real worker runs our tasks through Redis."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from tests.portal.test_settings import ROOT

REDIS_URL = os.environ.get("REDIS_URL", "")


def settings_value(expression, **env):
    code = f"from django.conf import settings as s; print({expression})"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.local", **env}
    environment = {k: v for k, v in environment.items() if v is not None}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_redis_url_selects_redis_broker_and_redbeat():
    out = settings_value("s.CELERY_BROKER_URL, s.CELERY_BEAT_SCHEDULER", REDIS_URL="redis://127.0.0.1:6379/3")
    assert out == "redis://127.0.0.1:6379/3 redbeat.RedBeatScheduler"


def test_without_redis_url_the_filesystem_broker_folders_exist():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; import os; o = s.CELERY_BROKER_TRANSPORT_OPTIONS; "
            "print(s.CELERY_BROKER_URL, os.path.isdir(o['data_folder_in']), "
            "o['data_folder_in'] == o['data_folder_out'])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert out == "filesystem:// True True"


def test_beat_schedule_names_real_tasks():
    from django.conf import settings

    from portal.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis")
    return REDIS_URL


def test_a_real_worker_runs_the_heartbeat_through_redis(redis_url):
    from portal.celery import app

    queue = f"test-{uuid.uuid4().hex}"  # our own queue, so no other worker takes the task
    cache = RedisCache(redis_url, {})
    cache.delete("celery:heartbeat")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.local", "REDIS_URL": redis_url}
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with app.connection_for_write(redis_url) as conn:
            app.send_task("portal.tasks.heartbeat", queue=queue, connection=conn)
        deadline = time.monotonic() + 60
        value = None
        while value is None and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.3)
            value = cache.get("celery:heartbeat")
        assert value is not None, worker.stdout.read() if worker.poll() is not None else "worker never ran the task"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
