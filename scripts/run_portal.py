"""`make run`: migrate, seed demo data the first time, print the demo sign-ins, then start
web + Celery worker + beat together under honcho. Runs inside scripts/with_services.py."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = os.environ.get("WEB_PORT", "8000")


def manage(*args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, check=True)  # noqa: S603


def main() -> int:
    manage("migrate", "--noinput")
    manage("createcachetable")  # the shared cache for sign-in rate limits when REDIS_URL is unset
    manage("seed_demo", "--if-empty", "--list")
    print(f"\nThe portal is starting on http://127.0.0.1:{PORT}  (Ctrl-C stops everything)\n", flush=True)
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "WEB_PORT": PORT}
    return subprocess.call([str(BIN / "honcho"), "start", "-f", "Procfile"], cwd=ROOT, env=env)  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
