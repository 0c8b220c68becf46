"""The benchmark harness: a database of its own, gunicorn serving the bench settings (and a second
gunicorn serving bare Django, the ceiling), a load generator (wrk, or Python threads where wrk is
missing) and the report. Every number a report gives is a ratio of two pages measured in
the same run on the same machine, so reports compare code, not machines.

Tuning by environment: BENCH_SECONDS (measured seconds per page, default 10), BENCH_CONCURRENCY
(client connections, default 4), BENCH_WORKERS (gunicorn workers, default 2), BENCH_RESULTS_DIR,
BENCH_CLIENT=python (the Python client even where wrk is installed).

Three kinds of comparison share the report: pages served by gunicorn against two baselines of the
same run, bare Django and the portal's signed-in bare view, with the goals of issue 16 (req/s, p50,
p99; Report.add_page); pages against the portal's bare view alone (req/s, p50 and p95; Report.add);
and code timed in the pytest process (median and p95 of single calls against a baseline call;
Report.add_timing)."""

import datetime
import gc
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
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import django
import psycopg2
from psycopg2 import sql

from tests.bench import pages, wrk

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR") or REPO / "bench-results")
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROUNDS = 2  # each page is measured in alternating rounds, so drift during the run hits both
SETTINGS = "tests.bench.settings"
BARE_SETTINGS = "tests.bench.settings_bare"  # the ceiling: Django with no middleware and no apps
BARE_PATH = "/bench/bare/"  # the same path on both servers
# Every process of one run (servers, seeds, profiles) shares the cache under this prefix, and no
# run sees another's sessions or rate-limit counters in a Redis that outlives it.
CACHE_PREFIX = os.environ.get("BENCH_CACHE_PREFIX") or f"bench-{uuid.uuid4().hex[:12]}"
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


def server_env(database_url: str, settings: str = SETTINGS) -> dict:
    """The environment of every process that touches the bench database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "BENCH_CACHE_PREFIX": CACHE_PREFIX,
    }
    env.pop("MFA_WAIVED", None)  # the bench user has an authenticator app: nothing is waived
    return env


def run_seed(database_url: str, *args: str, module: str = "tests.bench.seed") -> dict:
    """Run a seed module (tests/bench/seed.py unless told) in its own process against the bench
    database; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env=server_env(database_url),
        capture_output=True,
        text=True,
        # The summaries seed sends 250 summaries through the services (about 30 s on a quiet machine,
        # 100 s on a busy one): the limit is for a hung seed, not a slow one.
        timeout=300,
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
    """gunicorn as production runs it (sync workers), on a free local port, bench settings (or
    `settings`, say BARE_SETTINGS for the ceiling)."""

    def __init__(self, database_url: str, log_path: Path, workers: int = WORKERS, *, settings: str = SETTINGS):
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.settings = settings
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
            env=server_env(self.database_url, self.settings),
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
                conn.request("GET", BARE_PATH)
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
    """One page under load. A POST sends `body` (form-encoded) and counts as answered when the
    status is `expect` (302 for a page that redirects after saving: the redirect is not followed).
    `port`: the server to load when not the one the test passes (the ceiling's, say)."""

    name: str
    path: str
    latencies_ms: list = field(default_factory=list)
    seconds: float = 0.0
    failures: dict = field(default_factory=dict)  # status code or exception name -> count
    method: str = "GET"
    body: bytes | None = None
    expect: int = 200
    port: int | None = None
    client: str = ""  # "wrk" or "python", whichever measured it

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + sum(self.failures.values())

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)
        cuts = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
        return {
            "path": self.path,
            "method": self.method,
            "client": self.client,
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


def _worker(port, measurement, headers, stop, barrier, latencies, failures, lock, max_requests):
    method, path, body, expect = measurement.method, measurement.path, measurement.body, measurement.expect
    if body is not None:
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    barrier.wait()
    done = 0
    while not stop.is_set() and (max_requests is None or done < max_requests):
        done += 1
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()  # the whole body: a page is not served until it is sent
            elapsed = (time.perf_counter() - started) * 1000
            outcome = response.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()  # http.client reconnects on the next request
            outcome = type(exc).__name__
        with lock:
            if outcome == expect:
                latencies.append(elapsed)
            else:
                failures[str(outcome)] = failures.get(str(outcome), 0) + 1
    conn.close()


def load(
    port: int,
    measurement: Measurement,
    cookie: str | list[str],
    *,
    seconds: float | None = None,
    concurrency: int = CONCURRENCY,
    max_requests: int | None = None,
) -> Measurement:
    """`concurrency` keep-alive clients send requests as fast as answers come, for `seconds` or
    until each has sent `max_requests`; adds to `measurement`. gunicorn's sync workers close each
    connection after the response, so every request pays for a new local TCP connection.
    `cookie` is one Cookie header for every client, or a list: client i sends cookie[i % len]
    (an empty string: no cookie). A timed load runs wrk when it is installed (tests/bench/wrk.py),
    else Python threads; a counted one (a warm-up) always runs the threads."""
    assert (seconds is None) != (max_requests is None), "give seconds or max_requests"
    cookies = [cookie] if isinstance(cookie, str) else list(cookie)
    assert cookies, "give at least one cookie"
    port = measurement.port or port
    if seconds is not None and wrk.executable():
        return _load_with_wrk(port, measurement, cookies, seconds, concurrency)
    measurement.client = measurement.client or "python"
    barrier = threading.Barrier(concurrency + 1)
    stop = threading.Event()
    lock = threading.Lock()
    latencies, failures = [], {}
    threads = [
        threading.Thread(
            target=_worker,
            daemon=True,
            args=(
                port,
                measurement,
                {"User-Agent": "portal-bench", "Connection": "keep-alive"}
                | ({"Cookie": cookies[i % len(cookies)]} if cookies[i % len(cookies)] else {}),
                stop,
                barrier,
                latencies,
                failures,
                lock,
                max_requests,
            ),
        )
        for i in range(concurrency)
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


def _load_with_wrk(port, measurement: Measurement, cookies: list[str], seconds: float, concurrency: int):
    report = wrk.run(
        f"http://{HOST}:{port}{measurement.path}",
        method=measurement.method,
        body=measurement.body,
        cookies=cookies,
        seconds=seconds,
        connections=concurrency,
    )
    measurement.client = "wrk"
    measurement.seconds += report["duration_us"] / 1e6
    # wrk times every answer alike; only as many as were answered as expected count (with any
    # failure the bench fails anyway, so which ones are dropped does not matter).
    answered = report["statuses"].get(str(measurement.expect), 0)
    measurement.latencies_ms.extend(wrk.latencies_ms(report)[:answered])
    for key, count in wrk.failures(report, measurement.expect).items():
        measurement.failures[key] = measurement.failures.get(key, 0) + count
    return measurement


# --- timing in the pytest process ------------------------------------------------------------


UNITS = {"µs": 1e6, "ms": 1e3}


@dataclass
class Timing:
    """Single calls timed in the pytest process, for code measured without a server."""

    name: str
    samples: list = field(default_factory=list)  # seconds, one per call

    def time(self, fn, *args, **kwargs):
        """Call fn, add how long it took, and return what it returned."""
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        self.samples.append(time.perf_counter() - started)
        return result

    def summary(self, unit: str) -> dict:
        scale = UNITS[unit]
        values = sorted(sample * scale for sample in self.samples)
        cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
        digits = 1 if unit == "µs" else 2
        return {
            "calls": len(values),
            "unit": unit,
            "median": round(statistics.median(values), digits) if values else None,
            "p95": round(cuts[94], digits) if values else None,
            "mean": round(statistics.fmean(values), digits) if values else None,
            "min": round(values[0], digits) if values else None,
        }


def alternate(pairs, calls: int, chunk: int = 1, *, collect: bool = False) -> None:
    """Run each (timing, fn) of `pairs` `calls` times, in turns of `chunk` calls, so drift during
    the run (other processes, CPU frequency, the database's caches) hits them all alike; each turn
    starts one further along (A B C, B C A, C A B), so none always follows the same one and none runs
    twice in a row across turns. `collect`: a full garbage collection before each call, outside the
    timing (for calls that allocate a lot)."""
    pairs = list(pairs)
    for turn, start in enumerate(range(0, calls, chunk)):
        shift = turn % len(pairs)
        for timing, fn in pairs[shift:] + pairs[:shift]:
            for _ in range(min(chunk, calls - start)):
                if collect:
                    gc.collect()
                timing.time(fn)


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
            "client": wrk.version() or "python threads (no wrk, or BENCH_CLIENT=python)",
            "seconds_per_page": SECONDS,
            "rounds": ROUNDS,
            "settings": SETTINGS,
            "ceiling_settings": BARE_SETTINGS,
        }

    def add(self, name: str, description: str, subject: Measurement, baseline: Measurement, *, notes=()) -> dict:
        """Two pages served by gunicorn in this run: the page and the bare view."""
        s, b = subject.summary(), baseline.summary()
        comparison = {
            "kind": "http",
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
            "notes": list(notes),
        }
        self.comparisons.append(comparison)
        return comparison

    def add_page(
        self,
        name: str,
        description: str,
        page: Measurement,
        *,
        ceiling: Measurement,
        platform: Measurement | None,
        profile=None,
        notes=(),
    ) -> dict:
        """A page against both baselines of issue 16 (bare Django, the signed-in bare view; None
        when the page is that view) and its goal (pages.GOALS). `profile`: a function returning
        where the page's time goes (profile_page's answer), called only when a goal is missed."""
        comparison = pages.comparison(
            name,
            description,
            {"name": page.name, **page.summary()},
            {"name": ceiling.name, **ceiling.summary()},
            {"name": platform.name, **platform.summary()} if platform else None,
            notes,
        )
        if comparison["met"] is False and profile is not None:
            comparison["profile"] = profile()
        self.comparisons.append(comparison)
        return comparison

    def add_timing(
        self, name: str, description: str, subject: Timing, baseline: Timing, *, unit: str = "ms", notes=()
    ) -> dict:
        """Two pieces of code timed call by call in the pytest process, in the same run."""
        s, b = subject.summary(unit), baseline.summary(unit)
        comparison = {
            "kind": "in-process",
            "name": name,
            "description": description,
            "subject": {"name": subject.name, **s},
            "baseline": {"name": baseline.name, **b},
            # How many times longer a call takes than the baseline's (higher is costlier).
            "ratios": {
                "median": round(s["median"] / b["median"], 2) if s["median"] and b["median"] else None,
                "p95": round(s["p95"] / b["p95"], 2) if s["p95"] and b["p95"] else None,
            },
            "notes": list(notes),
        }
        self.comparisons.append(comparison)
        return comparison

    def write(self, directory: Path = RESULTS_DIR) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        data = {
            "run": self.run,
            "comparisons": self.comparisons,
            "notes": self.notes,
            "closing_note": pages.closing_note(self._pages()),
        }
        (directory / "report.json").write_text(json.dumps(data, indent=2) + "\n")
        (directory / "report.md").write_text(self.markdown())
        return directory

    def _pages(self) -> list[dict]:
        return [c for c in self.comparisons if c.get("kind") == "page"]

    def markdown(self) -> str:
        run = self.run
        served = [c for c in self.comparisons if c.get("kind", "http") == "http"]
        timed = [c for c in self.comparisons if c.get("kind") == "in-process"]
        lines = [
            "# Benchmark report",
            "",
            f"Run {run['started_at']} at commit `{run['commit'] or 'unknown'}`: Python {run['python']}, "
            f"Django {run['django']}, {run['cpus']} CPUs shared by client, server and database. "
            f"gunicorn {run['gunicorn_workers']} {run['gunicorn_worker_class']} workers ({run['settings']}; bare "
            f"Django: {run['ceiling_settings']}); {run['client_threads']} client connections ({run['client']}); "
            f"{run['seconds_per_page']:g} s per page in {run['rounds']} alternating rounds.",
            "",
            "Ratios compare pages measured in this run; absolute numbers depend on the machine.",
            "",
        ]
        if self._pages():
            lines += pages.markdown(self._pages()) + [""]
        if served:
            lines += ["## Pages against the portal's bare view", ""] + self._served_markdown(served)
        # The run's own notes are about the served pages (server, settings, database): after them.
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {note}" for note in self.notes]
        if timed:
            lines += self._timed_markdown(timed)
        closing = pages.closing_note(self._pages())
        if closing:
            lines += ["", "## Closing note", "", closing]
        return "\n".join(lines) + "\n"

    @staticmethod
    def _descriptions(comparisons) -> list[str]:
        lines = []
        for c in comparisons:
            lines += [f"- **{c['name']}**: {c['description']}"]
            lines += [f"  - {note}" for note in c.get("notes", ())]
        return lines

    def _served_markdown(self, comparisons) -> list[str]:
        lines = [
            "| Comparison | Page | Requests | Req/s | p50 ms | p95 ms | Req/s ratio | p95 ratio |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for c in comparisons:
            for role in ("subject", "baseline"):
                m = c[role]
                ratios = (f"{c['ratios']['rps']}", f"{c['ratios']['p95']}") if role == "subject" else ("", "")
                method = "" if m.get("method", "GET") == "GET" else f"{m['method']} "
                lines.append(
                    f"| {c['name'] if role == 'subject' else ''} | {m['name']} (`{method}{m['path']}`) | "
                    f"{m['requests']} | {m['rps']} | {m['p50_ms']} | {m['p95_ms']} | {ratios[0]} | {ratios[1]} |"
                )
        lines += ["", "Req/s ratio = page / bare (lower is costlier); p95 ratio = page / bare (higher is slower).", ""]
        return lines + self._descriptions(comparisons)

    def _timed_markdown(self, comparisons) -> list[str]:
        lines = [
            "",
            "## Timed in the test process",
            "",
            "Single calls timed one by one in the pytest process (no server), alternating with the "
            "baseline in the same run.",
            "",
            "| Comparison | Code | Calls | Median | p95 | Median ratio | p95 ratio |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for c in comparisons:
            for role in ("subject", "baseline"):
                m = c[role]
                ratios = (f"{c['ratios']['median']}", f"{c['ratios']['p95']}") if role == "subject" else ("", "")
                lines.append(
                    f"| {c['name'] if role == 'subject' else ''} | {m['name']} | {m['calls']} | "
                    f"{m['median']} {m['unit']} | {m['p95']} {m['unit']} | {ratios[0]} | {ratios[1]} |"
                )
        lines += ["", "Ratios = code / baseline (higher is costlier).", ""]
        return lines + self._descriptions(comparisons)


WARMUP_REQUESTS = 10  # per client thread, per page: templates compiled, connections made


def warm_then_alternate(server, cookie: str, *measurements: Measurement) -> None:
    """Warm each page up (a failure there fails the bench), then load them in alternating rounds so
    a slow spell on the machine falls on both sides of a ratio."""
    for measurement in measurements:
        warmup = Measurement(
            "warm-up",
            measurement.path,
            method=measurement.method,
            body=measurement.body,
            expect=measurement.expect,
            port=measurement.port,
        )
        warmup = load(server.port, warmup, cookie, max_requests=WARMUP_REQUESTS)
        assert not warmup.failures, f"{measurement.path} warm-up: {warmup.failures} {server.log_tail()}"
    for _ in range(ROUNDS):
        for measurement in measurements:
            load(server.port, measurement, cookie, seconds=SECONDS / ROUNDS)


def baselines(ceiling_server) -> tuple[Measurement, Measurement]:
    """Fresh measurements of the two baselines of issue 16, to alternate with a page: bare Django
    (on the ceiling server) and the portal's bare view (on the server the test loads)."""
    return (
        Measurement("Bare Django, no middleware", BARE_PATH, port=ceiling_server.port),
        Measurement("Portal's bare view, same session", BARE_PATH),
    )


def profile_page(database_url: str, measurement: Measurement, cookie: str = "", requests: int = 30) -> dict:
    """Where the page's time goes, in its own process (tests/bench/profile_page.py)."""
    args = ["--path", measurement.path, "--cookie", cookie, "--method", measurement.method]
    args += ["--expect", str(measurement.expect), "--requests", str(requests)]
    if measurement.body:
        args += ["--body", measurement.body.decode()]
    return run_seed(database_url, *args, module="tests.bench.profile_page")


def assert_all_answered(server, *measurements: Measurement) -> None:
    for measurement in measurements:
        where = f"{measurement.method} {measurement.path}"
        where += f" on port {measurement.port}" if measurement.port else ""
        assert measurement.latencies_ms, f"no answers from {where}"
        assert not measurement.failures, f"{where}: {measurement.failures} {server.log_tail()}"
