"""The load generator of choice: wrk (a C event loop, so the client takes little of the CPU the
server needs on a 2-core machine), driven with tests/bench/wrk_report.lua, which writes requests,
errors, status counts and the latency quantile curve as JSON. harness.load uses it when `wrk` is on
PATH (`make bench` installs it: scripts/ensure_wrk.sh) and falls back to its own Python threads
otherwise; BENCH_CLIENT=python forces the fallback."""

import json
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk_report.lua")
TIMEOUT_SECONDS = 10  # wrk's per-request timeout; a request slower than this counts as an error


def executable() -> str | None:
    if os.environ.get("BENCH_CLIENT", "").lower() == "python":
        return None
    return shutil.which("wrk")


def version() -> str:
    path = executable()
    if not path:
        return ""
    done = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10, check=False)
    return (done.stdout or done.stderr).split(" [", 1)[0].strip()  # "wrk debian/4.1.0-3+b2"


def run(url: str, *, method: str, body: bytes | None, cookies: list[str], seconds: float, connections: int) -> dict:
    """One wrk run of whole seconds (wrk takes no fractions): its JSON report."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        out = Path(tmp) / "report.json"
        env = {
            **os.environ,
            "BENCH_WRK_METHOD": method,
            "BENCH_WRK_BODY": (body or b"").decode(),
            "BENCH_WRK_COOKIES": "\n".join(cookie for cookie in cookies if cookie),
            "BENCH_WRK_OUT": str(out),
        }
        # One connection per thread, so each client keeps one cookie, as the Python client does.
        command = [
            executable() or "wrk",
            "--threads",
            str(connections),
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, math.ceil(seconds))}s",
            "--timeout",
            f"{TIMEOUT_SECONDS}s",
            "--script",
            str(SCRIPT),
            url,
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
        return json.loads(out.read_text())


def latencies_ms(report: dict) -> list[float]:
    """One latency per answered request, read off wrk's quantile curve (0.5% steps, p99.9 and the
    maximum), so rounds of one page merge into one distribution; its p50 and p99 match wrk's own
    to within the curve's step."""
    curve = [(q, us / 1000) for q, us in report.get("curve_us", ())]
    n = report["requests"]
    if not curve or not n:
        return []
    values = []
    j = 0
    for i in range(n):
        q = (i + 0.5) / n * 100
        while j < len(curve) - 1 and curve[j + 1][0] < q:
            j += 1
        (q0, v0), (q1, v1) = curve[j], curve[min(j + 1, len(curve) - 1)]
        if q <= q0 or q1 == q0:
            values.append(v0)
        else:
            values.append(v0 + (v1 - v0) * (q - q0) / (q1 - q0))
    return values


def failures(report: dict, expect: int) -> dict:
    """Answers other than `expect`, by status, and wrk's socket errors, by kind."""
    found = {status: n for status, n in report["statuses"].items() if int(status) != expect and n}
    for kind in ("connect", "read", "write", "timeout"):
        if report["errors"][kind]:
            found[kind] = report["errors"][kind]
    return found
