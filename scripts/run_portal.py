"""`make run`: migrate as the database owner, seed demo data the first time, print the demo
sign-ins, then start web + Celery worker + beat together under honcho, connected as the app role
(DATABASE_APP_URL: it may only INSERT and SELECT the access log, ADR 0016). Runs inside
scripts/with_services.py, which sets DATABASE_APP_URL for the embedded PostgreSQL and stops it
once this script has returned, so after web, worker and beat (ADR 0024).

Ctrl-C is the normal way to stop: it exits 0 once every process has stopped cleanly."""

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from honcho import manager as honcho_manager
from honcho.environ import parse_procfile
from honcho.printer import Printer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.settings.env import env_bool  # noqa: E402

BIN = Path(sys.executable).parent
PORT = os.environ.get("WEB_PORT", "8000")
# How long web and worker get to stop after Ctrl-C before honcho kills them. honcho's own 5 s
# cut Celery's warm shutdown short (beat alone took 4 s); a task still running past this is
# killed, and acks_late gives it back to the queue (CELERY_TASK_ACKS_LATE).
STOP_WAIT_SECONDS = 30
STOP_REQUESTED = (130, 143)  # honcho's return code once it has had SIGINT or SIGTERM


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, check=True, env=env)  # noqa: S603


def banner(port: str) -> str:
    """What a new user needs once the portal answers: where it is, and how staff get in."""
    url = f"http://127.0.0.1:{port}"
    if env_bool("MFA_WAIVED", False):
        mfa = (
            "MFA_WAIVED=true: staff sign in without an authenticator app. Use this for a local trial only;\n"
            "production settings refuse it."
        )
    else:
        mfa = (
            "Staff need an authenticator app on their phone (for example Microsoft Authenticator or\n"
            "Google Authenticator): the first sign-in sets it up, later ones ask for its code.\n"
            "For a local trial without one, start with MFA_WAIVED=true make run"
        )
    return f"\nThe portal is ready at {url}  (Ctrl-C stops everything)\n{mfa}\n"


class _SignalTheProcess:
    """honcho's process manager sends SIGTERM to a process's whole group, so Celery's pool
    children die of it under their parent (logged as errors) while the parent is still shutting
    down. Here SIGTERM goes to the process itself (the Procfile lines `exec` their program),
    which stops its own children in order; the SIGKILL after STOP_WAIT_SECONDS still goes to
    the group."""

    def terminate(self, pid: int) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def kill(self, pid: int) -> None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class PortalManager(honcho_manager.Manager):
    """honcho's manager, signalling each process rather than its group, with an exit code that
    says whether everything stopped cleanly."""

    def __init__(self, printer):
        super().__init__(printer)
        self._procmgr = _SignalTheProcess()

    def exit_code(self) -> int:
        """0 when every process stopped cleanly, Ctrl-C included (honcho itself would say 130).
        After Ctrl-C or SIGTERM a process that died of the SIGTERM it was sent (one still starting,
        before its handlers are in place) stopped as asked; one killed after STOP_WAIT_SECONDS
        did not. Otherwise the first failure's code, 128 + N for death by signal N, as a shell says."""
        clean = {0, -signal.SIGTERM} if self.returncode in STOP_REQUESTED else {0}
        failed = [process["returncode"] for process in self._processes.values() if process["returncode"] not in clean]
        if not failed:
            return 0
        return 128 - failed[0] if failed[0] < 0 else failed[0]


def _announce_when_listening(port: str, text: str, stop: threading.Event) -> None:
    """Print the banner once gunicorn accepts connections, below the workers' start-up lines."""
    while not stop.wait(0.5):
        try:
            socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
        except OSError:
            continue
        print(text, flush=True)
        return


def serve(env: dict) -> int:
    printer = Printer(sys.stdout)
    manager = PortalManager(printer)
    for name, command in parse_procfile((ROOT / "Procfile").read_text()).processes.items():
        manager.add_process(name, command, env=env, cwd=str(ROOT))
    honcho_manager.KILL_WAIT = STOP_WAIT_SECONDS  # honcho reads this module global in loop()
    stop = threading.Event()
    announcer = threading.Thread(target=_announce_when_listening, args=(PORT, banner(PORT), stop), daemon=True)
    announcer.start()
    try:
        manager.loop()
    finally:
        stop.set()
    code = manager.exit_code()
    print(f"Web server, worker and beat stopped{'' if code == 0 else f' (exit code {code})'}", flush=True)
    return code


def main() -> int:
    # As the owner (DATABASE_URL). The cache table first, so migrate's grants to the app role cover it.
    manage("createcachetable")  # the shared cache for sign-in rate limits when REDIS_URL is unset
    manage("migrate", "--noinput")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "WEB_PORT": PORT, "PYTHONUNBUFFERED": "1"}
    # The links in emails, texts and letters point at this server unless a deployment names its own.
    env.setdefault("PORTAL_BASE_URL", f"http://127.0.0.1:{PORT}")
    if os.environ.get("DATABASE_APP_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_APP_URL"]
    else:
        print("DATABASE_APP_URL is unset: web and workers connect as the owner (DATABASE_URL)", flush=True)
    manage("seed_demo", "--if-empty", "--list", env=env)
    print(f"\nStarting the web server, worker and beat on port {PORT}...\n", flush=True)
    return serve(env)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # Ctrl-C before the web server started (during migrate or seeding): nothing is left running.
        print("\nStopped before the portal started", flush=True)
        sys.exit(130)
