"""`make run` start and stop (ADR 0024): the start-up banner gives the real address and tells staff
about the authenticator app; Ctrl-C stops web, worker and beat cleanly, then the embedded
PostgreSQL, and exits 0.

The whole portal is started as `make run` starts it (scripts/with_services.py around
scripts/run_portal.py, no DATABASE_URL, no REDIS_URL), with its own VAR_DIR and port, so it
shares nothing with a portal a developer has running."""

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(Path(sys.executable))
START_TIMEOUT = 240  # a fresh database: initdb, every migration, demo data (a guard, not a measurement)
STOP_TIMEOUT = 90


def load_run_portal():
    spec = importlib.util.spec_from_file_location("run_portal", ROOT / "scripts" / "run_portal.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_banner_names_the_port_and_the_authenticator_app(monkeypatch):
    monkeypatch.delenv("MFA_WAIVED", raising=False)
    text = load_run_portal().banner("8123")
    assert "http://127.0.0.1:8123 " in text
    assert "Staff need an authenticator app" in text
    assert "MFA_WAIVED=true make run" in text


def test_banner_says_when_mfa_is_waived(monkeypatch):
    monkeypatch.setenv("MFA_WAIVED", "true")
    text = load_run_portal().banner("8000")
    assert "MFA_WAIVED=true: staff sign in without an authenticator app" in text
    assert "local trial only" in text


def wait_for(log: Path, process: subprocess.Popen, *needles: str) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if all(needle in text for needle in needles):
            return text
        if process.poll() is not None:
            pytest.fail(f"make run exited ({process.returncode}) before it was ready:\n{text[-3000:]}")
        time.sleep(0.5)
    pytest.fail(f"make run was not ready within {START_TIMEOUT} s:\n{log.read_text(errors='replace')[-3000:]}")


def postmaster_running(pgdata: Path) -> bool:
    try:
        os.kill(int((pgdata / "postmaster.pid").read_text().split()[0]), 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


@pytest.fixture
def portal_run():
    """Start `make run`'s command in a session of its own; on the way out make sure nothing is left.
    Not under pytest's tmp_path: the embedded PostgreSQL runs as the user pgserver, and any other
    pytest starting on this machine resets /tmp/pytest-of-<user> to mode 700, locking it out."""
    tmp_path = Path(tempfile.mkdtemp(prefix="portal-run-"))
    tmp_path.chmod(0o755)
    var_dir = tmp_path / "var"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_APP_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.local", VAR_DIR=str(var_dir), WEB_PORT=str(port), MFA_WAIVED="false"
    )
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PYTHON, "scripts/with_services.py", PYTHON, "scripts/run_portal.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
    try:
        yield process, log, port, var_dir / "pgdata"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if postmaster_running(var_dir / "pgdata"):
            subprocess.run(
                [PYTHON, "-c", "from portal import embedded; embedded.stop()"], cwd=ROOT, env=env, check=False
            )
        shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.long(seconds=30)
def test_ctrl_c_stops_web_worker_and_beat_then_the_database_and_exits_0(portal_run):
    process, log, port, pgdata = portal_run
    # Ready: gunicorn listens (the banner), and the worker with its beat is up.
    wait_for(log, process, f"The portal is ready at http://127.0.0.1:{port} ", "celery@", " ready.", "beat: Starting")
    assert postmaster_running(pgdata)

    # Ctrl-C: SIGINT to the whole foreground process group, as a terminal sends it.
    os.killpg(process.pid, signal.SIGINT)
    returncode = process.wait(timeout=STOP_TIMEOUT)
    text = log.read_text(errors="replace")

    assert returncode == 0, text[-3000:]
    order = [
        "web stopped (rc=0)",
        "worker stopped (rc=0)",
        "Web server, worker and beat stopped",
        "Embedded PostgreSQL stopped",
    ]
    positions = [text.find(line) for line in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert max(positions[:2]) < positions[2] < positions[3]
    # Each process shut itself down: nothing was killed, and Celery's pool children were not
    # signalled behind their parent's back.
    assert "SIGKILL" not in text
    assert "exited with 'signal" not in text
    assert "Traceback" not in text
    assert not postmaster_running(pgdata)
