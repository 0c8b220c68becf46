"""The benchmark harness: a database of its own, gunicorn serving the bench settings, a small
load generator and the report. Every number a report gives is a ratio of two pages measured in
the same run on the same machine, so reports compare code, not machines.

Tuning by environment: BENCH_SECONDS (measured seconds per page, default 10), BENCH_CONCURRENCY
(client threads, default 4), BENCH_WORKERS (gunicorn workers, default 2), BENCH_RESULTS_DIR."""

import datetime
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import django
import psycopg2
from psycopg2 import sql

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR") or REPO / "bench-results")
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROUNDS = 2  # each page is measured in alternating rounds, so drift during the run hits both
SETTINGS = "tests.bench.settings"
HOST = "127.0.0.1"  # the load generator talks to nothing else


# --- the database ------------------------------------------------------------------------------


def bench_database_url(base_url: str) -> str:
    """A database next to DATABASE_URL's, named after it with `_bench` (say helper_bench_bench)."""
    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") or "portal"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def _admin_connection(base_url: str):
    db = dj_database_url.parse(base_url)
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    params.update(db.get("OPTIONS", {}))  # the embedded server's socket folder comes as ?host=
    conn = psycopg2.connect(**params)
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    return conn


def recreate_database(base_url: str, url: str) -> None:
    name = dj_database_url.parse(url)["NAME"]
    conn = _admin_connection(base_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def drop_database(base_url: str, url: str) -> None:
    name = dj_database_url.parse(url)["NAME"]
    conn = _admin_connection(base_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        conn.close()


def server_env(database_url: str) -> dict:
    """The environment of every process that touches the bench database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url}
    env.pop("MFA_WAIVED", None)  # the bench user has an authenticator app: nothing is waived
    return env


def run_seed(database_url: str, *args: str) -> dict:
    """Run tests/bench/seed.py in its own process against the bench database; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.seed", *args],
        cwd=REPO,
        env=server_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seed {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn as production runs it (sync workers), on a free local port, bench settings."""

    def __init__(self, database_url: str, log_path: Path, workers: int = WORKERS):
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.port = free_port()
        self.process = None

    def __enter__(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=server_env(self.database_url),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/bench/bare/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:g} s: {self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        self._log.flush()
        return self.log_path.read_text()[-chars:]

    def __exit__(self, *exc_info):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # the master stops its workers gracefully
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


# --- the load generator ------------------------------------------------------------------------


@dataclass
class Measurement:
    name: str
    path: str
    latencies_ms: list = field(default_factory=list)
    seconds: float = 0.0
    failures: dict = field(default_factory=dict)  # status code or exception name -> count

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + sum(self.failures.values())

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)
        cuts = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
        return {
            "path": self.path,
            "requests": self.requests,
            "ok": len(lat),
            "failures": self.failures,
            "seconds": round(self.seconds, 2),
            "rps": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(cuts[49], 2) if lat else None,
            "p95_ms": round(cuts[94], 2) if lat else None,
            "p99_ms": round(cuts[98], 2) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 2) if lat else None,
        }


def _worker(port, path, headers, stop, barrier, latencies, failures, lock, max_requests):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    barrier.wait()
    done = 0
    while not stop.is_set() and (max_requests is None or done < max_requests):
        done += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()  # the whole body: a page is not served until it is sent
            elapsed = (time.perf_counter() - started) * 1000
            outcome = response.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()  # http.client reconnects on the next request
            outcome = type(exc).__name__
        with lock:
            if outcome == 200:
                latencies.append(elapsed)
            else:
                failures[str(outcome)] = failures.get(str(outcome), 0) + 1
    conn.close()


def load(
    port: int,
    measurement: Measurement,
    cookie: str,
    *,
    seconds: float | None = None,
    concurrency: int = CONCURRENCY,
    max_requests: int | None = None,
) -> Measurement:
    """`concurrency` keep-alive clients send GETs as fast as answers come, for `seconds` or until
    each has sent `max_requests`; adds to `measurement`. gunicorn's sync workers close each
    connection after the response, so every request pays for a new local TCP connection."""
    assert (seconds is None) != (max_requests is None), "give seconds or max_requests"
    headers = {"Cookie": cookie, "User-Agent": "portal-bench", "Connection": "keep-alive"}
    barrier = threading.Barrier(concurrency + 1)
    stop = threading.Event()
    lock = threading.Lock()
    latencies, failures = [], {}
    threads = [
        threading.Thread(
            target=_worker,
            daemon=True,
            args=(port, measurement.path, headers, stop, barrier, latencies, failures, lock, max_requests),
        )
        for _ in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    if seconds is not None:
        time.sleep(seconds)
        stop.set()
    for thread in threads:
        thread.join()
    measurement.seconds += time.perf_counter() - started
    measurement.latencies_ms.extend(latencies)
    for key, count in failures.items():
        measurement.failures[key] = measurement.failures.get(key, 0) + count
    return measurement


# --- the report --------------------------------------------------------------------------------


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip()


class Report:
    """Comparisons measured in this run, written as bench-results/report.json and report.md."""

    def __init__(self):
        self.comparisons = []
        self.notes = []
        self.run = {
            "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "commit": _git_commit(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "cpus": os.cpu_count(),
            "gunicorn_workers": WORKERS,
            "gunicorn_worker_class": "sync",
            "client_threads": CONCURRENCY,
            "seconds_per_page": SECONDS,
            "rounds": ROUNDS,
            "db_conn_max_age": os.environ.get("DB_CONN_MAX_AGE", "0"),
        }

    def add(self, name: str, description: str, subject: Measurement, baseline: Measurement) -> dict:
        s, b = subject.summary(), baseline.summary()
        comparison = {
            "name": name,
            "description": description,
            "subject": {"name": subject.name, **s},
            "baseline": {"name": baseline.name, **b},
            # rps: the fraction of the bare view's throughput the page keeps (lower is costlier);
            # p95: how many times slower its slow requests are.
            "ratios": {
                "rps": round(s["rps"] / b["rps"], 3) if b["rps"] else None,
                "p95": round(s["p95_ms"] / b["p95_ms"], 2) if s["p95_ms"] and b["p95_ms"] else None,
            },
        }
        self.comparisons.append(comparison)
        return comparison

    def write(self, directory: Path = RESULTS_DIR) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        data = {"run": self.run, "comparisons": self.comparisons, "notes": self.notes}
        (directory / "report.json").write_text(json.dumps(data, indent=2) + "\n")
        (directory / "report.md").write_text(self.markdown())
        return directory

    def markdown(self) -> str:
        run = self.run
        lines = [
            "# Benchmark report",
            "",
            f"Run {run['started_at']} at commit `{run['commit'] or 'unknown'}`: Python {run['python']}, "
            f"Django {run['django']}, {run['cpus']} CPUs shared by client, server and database. "
            f"gunicorn {run['gunicorn_workers']} {run['gunicorn_worker_class']} workers; {run['client_threads']} "
            f"client threads; {run['seconds_per_page']:g} s per page in {run['rounds']} alternating rounds.",
            "",
            "Ratios compare pages measured in this run; absolute numbers depend on the machine.",
            "",
            "| Comparison | Page | Requests | Req/s | p50 ms | p95 ms | Req/s ratio | p95 ratio |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for c in self.comparisons:
            for role in ("subject", "baseline"):
                m = c[role]
                ratios = (f"{c['ratios']['rps']}", f"{c['ratios']['p95']}") if role == "subject" else ("", "")
                lines.append(
                    f"| {c['name'] if role == 'subject' else ''} | {m['name']} (`{m['path']}`) | {m['requests']} | "
                    f"{m['rps']} | {m['p50_ms']} | {m['p95_ms']} | {ratios[0]} | {ratios[1]} |"
                )
        lines += ["", "Req/s ratio = page / bare (lower is costlier); p95 ratio = page / bare (higher is slower).", ""]
        for c in self.comparisons:
            lines += [f"- **{c['name']}**: {c['description']}"]
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"
