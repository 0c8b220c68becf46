"""Embedded services for a machine with nothing running: PostgreSQL from pgserver, and
kombu's filesystem broker. Used only when DATABASE_URL / REDIS_URL are unset and never by
production settings, so there is one database engine everywhere (no SQLite code paths).
"""

import os
import warnings
from pathlib import Path
from urllib.parse import quote

from portal.audit.roles import create_roles_sql

BASE_DIR = Path(__file__).resolve().parent.parent
# Where make run keeps what it makes at run time (embedded database, file broker, built and
# collected static files). VAR_DIR moves it, so a test can start a whole portal of its own.
VAR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var").resolve()
PGDATA = VAR / "pgdata"
DB_NAME = "portal"
APP_ROLE = "portal_app"  # the default of settings.DATABASE_APP_ROLE


def _server():
    VAR.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        # pgserver warns that XDG_RUNTIME_DIR is unset; harmless (see STACK-NOTES 2).
        warnings.simplefilter("ignore")
        import pgserver
    # cleanup_mode=None: the server outlives this process; `make db-stop` (or the
    # scripts/embedded wrapper used by make run / make test) stops it.
    return pgserver.get_server(PGDATA, cleanup_mode=None)


def _url(srv, user: str) -> str:
    socket_dir = srv.get_postmaster_info().socket_dir
    # Host may not be pgdata: pgserver moves long socket paths elsewhere (STACK-NOTES 2).
    # Host as a percent-encoded path, so it lands in HOST (not OPTIONS) and code that rebuilds
    # a URL from settings (tests starting a worker on the test database) keeps it.
    return f"postgres://{user}@{quote(str(socket_dir), safe='')}/{DB_NAME}"


def database_url() -> str:
    """Start (or reuse) the embedded server, make sure the app database and the app role exist,
    and return the owner's URL. The owner is the embedded cluster's own superuser `postgres`: it
    runs migrations and the test suite (which creates test databases). Web and workers connect
    as APP_ROLE instead (app_database_url, ADR 0016)."""
    srv = _server()
    exists = srv.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608 - constant
    if "1 row" not in exists:
        srv.psql(f"CREATE DATABASE {DB_NAME};")
    # Trust authentication over the unix socket: the local roles need no password.
    srv.psql(f"\\set ON_ERROR_STOP on\n\\connect {DB_NAME}\n{create_roles_sql(DB_NAME, APP_ROLE)}")
    return _url(srv, "postgres")


def app_database_url() -> str:
    """The URL `make run` gives web, worker and beat: the app role, which may only INSERT and
    SELECT the access log. Call database_url() first (it creates the role)."""
    return _url(_server(), APP_ROLE)


def is_running() -> bool:
    """True if a postmaster for our pgdata is alive (its pid file names a live process)."""
    pid_file = PGDATA / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def stop() -> bool:
    """Stop the embedded server if it is running; True if it was."""
    if not is_running():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    pgserver.pg_ctl(["-w", "stop"], pgdata=PGDATA.resolve(), user="pgserver")
    return True


def filesystem_broker_options() -> dict:
    """kombu filesystem transport folders; they must exist before a worker starts."""
    queue = VAR / "celery" / "queue"
    control = VAR / "celery" / "control"
    for folder in (queue, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "store_processed": False,
    }
