"""Run a command with the embedded services a fresh machine lacks.

If DATABASE_URL is unset, start the embedded PostgreSQL (pgserver, under var/) and export its
owner's URL as DATABASE_URL and the app role's as DATABASE_APP_URL (which scripts/run_portal.py
gives web, worker and beat: ADR 0016); if this run started it, stop it when the command ends,
Ctrl-C included.
REDIS_URL unset needs nothing here: settings fall back to kombu's filesystem broker.

Usage: python scripts/with_services.py COMMAND [ARGS...]"""

import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import embedded  # noqa: E402


def main(argv: list[str]) -> int:
    started_here = False
    if not os.environ.get("DATABASE_URL"):
        started_here = not embedded.is_running()
        os.environ["DATABASE_URL"] = embedded.database_url()
        os.environ["DATABASE_APP_URL"] = embedded.app_database_url()
        state = "started" if started_here else "already running"
        print(f"Embedded PostgreSQL {state} ({embedded.PGDATA})", flush=True)
    child = subprocess.Popen(argv)  # noqa: S603 - our own Makefile's commands
    # Ctrl-C reaches the whole process group: the child shuts down on it and we wait for that.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signal.SIGTERM))
    try:
        return child.wait()
    finally:
        if started_here:
            embedded.stop()
            print("Embedded PostgreSQL stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
