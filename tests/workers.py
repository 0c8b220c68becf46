"""Real Celery processes for tests: a worker on its own queue, and beat, against a real Redis."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis")  # a failure in CI
    return REDIS_URL


@pytest.fixture
def celery_key_prefix(redis_url):
    """A CELERY_KEY_PREFIX of this test's own, so its queues, beat schedule and beat lock are shared
    with no other test, xdist process or run; its keys are deleted afterwards."""
    import redis

    prefix = f"test-{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def database_url_for(settings_dict) -> str:
    """A URL for the database this test run uses (pytest-django's "test_" copy), for another process."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict["HOST"] or "", safe="")  # a socket folder is percent-encoded
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


class CeleryProcess:
    """A `celery -A portal ...` process whose log goes to a file, so it can be read while it runs
    (a pipe nobody reads fills up and stalls the process)."""

    def __init__(self, process: subprocess.Popen, log_path: Path, queue: str = ""):
        self.process, self.log_path, self.queue = process, log_path, queue

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, condition, timeout: float = 60) -> bool:
        """Poll `condition()` until it is truthy, the process dies, or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive():
            if condition():
                return True
            time.sleep(0.3)
        return bool(condition())

    def wait_for_log(self, text: str, timeout: float = 60) -> bool:
        return self.wait_for(lambda: text in self.log(), timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no lock released, no task acknowledged."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        """The process's log, for an assertion message (stops the process first)."""
        self.stop()
        return self.log()


@contextmanager
def celery_process(arguments, queue: str = "", **env):
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    with tempfile.TemporaryDirectory(prefix="celery-test-") as folder:
        log_path = Path(folder) / "celery.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(  # noqa: S603 - our own command line
                [sys.executable, "-m", "celery", "-A", "portal", *arguments],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        celery = CeleryProcess(process, log_path, queue)
        try:
            yield celery
        finally:
            celery.stop()


@contextmanager
def celery_worker(queues: str = "", **env):
    """A `celery worker --pool solo`; by default it consumes only a fresh queue, so no other worker
    takes our tasks and it takes no one else's."""
    queue = queues or f"test-{uuid.uuid4().hex}"
    arguments = ["worker", "--pool", "solo", "-Q", queue, "-l", "info"]
    arguments += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    with celery_process(arguments, queue=queue, **env) as worker:
        yield worker


@contextmanager
def celery_beat(**env):
    """`celery beat`, exactly as a deployment runs it (the scheduler comes from settings)."""
    with celery_process(["beat", "-l", "info"], **env) as beat:
        yield beat


def deliver_twice(task: str, redis_url: str, celery_key_prefix: str) -> str:
    """Send `task` twice (a second beat, a redelivery after a lost worker) to a real worker on its own
    queue, against the test database, and return the worker's log once both runs have succeeded."""
    from django.db import connection

    from portal.celery import app

    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_KEY_PREFIX": celery_key_prefix,
        "NOTIFY_API_KEY": "",
    }
    with celery_worker(**env) as worker:
        options = {"transport_options": {"global_keyprefix": celery_key_prefix}}
        with app.connection_for_write(redis_url, **options) as conn:
            for _ in range(2):
                app.send_task(task, queue=worker.queue, connection=conn)
        assert worker.wait_for(lambda: worker.log().count("succeeded") >= 2, timeout=60), worker.output()
        return worker.log()
