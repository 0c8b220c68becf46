"""Real Celery workers for tests: a worker process on its own queue, against a real Redis."""

import os
import subprocess
import sys
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


def database_url_for(settings_dict) -> str:
    """A URL for the database this test run uses (pytest-django's "test_" copy), for another process."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict["HOST"] or "", safe="")  # a socket folder is percent-encoded
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


class Worker:
    def __init__(self, process: subprocess.Popen, queue: str):
        self.process, self.queue = process, queue

    def wait_for(self, condition, timeout: float = 60) -> bool:
        """Poll `condition()` until it is truthy, the worker dies, or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if condition():
                return True
            time.sleep(0.3)
        return bool(condition())

    def output(self) -> str:
        """The worker's log, for an assertion message (stops the worker first)."""
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.stdout.read()


@contextmanager
def celery_worker(**env):
    """A `celery worker --pool solo` consuming only a fresh queue, so no other worker takes our tasks."""
    queue = f"test-{uuid.uuid4().hex}"
    environment = {**os.environ, **env}
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "-Q", queue, "-l", "info"]
    command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield Worker(process, queue)
    finally:
        process.terminate()
        process.wait(timeout=30)
