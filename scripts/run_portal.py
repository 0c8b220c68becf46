"""`make run`: migrate as the database owner, seed demo data the first time, print the demo
sign-ins, then start web + Celery worker + beat together under honcho, connected as the app role
(DATABASE_APP_URL: it may only INSERT and SELECT the access log, ADR 0016). Runs inside
scripts/with_services.py, which sets DATABASE_APP_URL for the embedded PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = os.environ.get("WEB_PORT", "8000")


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, check=True, env=env)  # noqa: S603


def main() -> int:
    # As the owner (DATABASE_URL). The cache table first, so migrate's grants to the app role cover it.
    manage("createcachetable")  # the shared cache for sign-in rate limits when REDIS_URL is unset
    manage("migrate", "--noinput")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "WEB_PORT": PORT}
    if os.environ.get("DATABASE_APP_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_APP_URL"]
    else:
        print("DATABASE_APP_URL is unset: web and workers connect as the owner (DATABASE_URL)", flush=True)
    manage("seed_demo", "--if-empty", "--list", env=env)
    print(f"\nThe portal is starting on http://127.0.0.1:{PORT}  (Ctrl-C stops everything)\n", flush=True)
    return subprocess.call([str(BIN / "honcho"), "start", "-f", "Procfile"], cwd=ROOT, env=env)  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
