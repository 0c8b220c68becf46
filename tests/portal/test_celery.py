"""Celery: the broker follows REDIS_URL, and a real worker runs our tasks through Redis."""

import os
import subprocess
import sys

from django.core.cache.backends.redis import RedisCache

from tests.portal.test_settings import ROOT
from tests.workers import celery_worker


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


def test_a_real_worker_runs_the_heartbeat_through_redis(redis_url):
    from portal.celery import app

    cache = RedisCache(redis_url, {})
    cache.delete("celery:heartbeat")
    with celery_worker(DJANGO_SETTINGS_MODULE="portal.settings.local", REDIS_URL=redis_url) as worker:
        with app.connection_for_write(redis_url) as conn:
            app.send_task("portal.tasks.heartbeat", queue=worker.queue, connection=conn)
        assert worker.wait_for(lambda: cache.get("celery:heartbeat") is not None), worker.output()
