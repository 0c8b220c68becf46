"""Where a page's time goes, for the report of a page short of its goal: run in its own process
against the bench database with the bench settings (harness.profile_page), it requests the page
with Django's test client and the session cookie the load used, first timed plainly (wall time,
queries and their time), then under cProfile (the share of templates and the project's functions,
scaled to the plain timing, since the profiler slows Python calls down). Prints JSON on its last
line, as the seeds do.

python -m tests.bench.profile_page --path /worklist/ --cookie 'sessionid=...' [--requests 30]"""

import argparse
import cProfile
import json
import pstats
import sysconfig
import time
from http.cookies import SimpleCookie
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[2]
WARMUP = 5
TOP = 8
HOTTEST = 6
# The template backends' Template.render: a page's whole rendering, Jinja2 or Django's.
TEMPLATE_RENDER = ("django/template/backends/jinja2.py", "django/template/backends/django.py")


def _client(cookie: str):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="portal-bench")
    jar = SimpleCookie()
    jar.load(cookie)
    for name, morsel in jar.items():
        client.cookies[name] = morsel.value
    return client


def _requester(client, method: str, path: str, body: str, expect: int):
    def request():
        if method == "POST":
            response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
        else:
            response = client.get(path)
        assert response.status_code == expect, f"{method} {path} answered {response.status_code}"

    return request


def _label(filename: str, line: int, name: str) -> str:
    path = Path(filename)
    for root in (REPO, *(p for p in path.parents if p.name == "site-packages"), Path(sysconfig.get_path("stdlib"))):
        if path.is_relative_to(root):
            return f"{path.relative_to(root)}:{line} {name}"
    return f"{filename}:{line} {name}" if line else name  # built-ins: "<method 'execute' ...>"


def _own(filename: str) -> bool:
    path = Path(filename)
    return path.is_relative_to(REPO) and ".venv" not in path.parts and path.name != "profile_page.py"


def profile(method: str, path: str, cookie: str, body: str, expect: int, requests: int) -> dict:
    from django.db import connection

    request = _requester(_client(cookie), method, path, body, expect)
    for _ in range(WARMUP):
        request()

    sql = {"queries": 0, "seconds": 0.0}

    def timed_sql(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql["queries"] += 1
            sql["seconds"] += time.perf_counter() - started

    with connection.execute_wrapper(timed_sql):
        started = time.perf_counter()
        for _ in range(requests):
            request()
        plain = (time.perf_counter() - started) / requests

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        request()
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # (file, line, name) -> (calls, prim, tottime, cumtime, callers)
    profiled = sum(tt for _, _, tt, _, _ in stats.values()) / requests
    scale = plain / profiled if profiled else 1.0  # cProfile's overhead, taken out pro rata

    template = sum(
        ct for (f, _, name), (_, _, _, ct, _) in stats.items() if name == "render" and f.endswith(TEMPLATE_RENDER)
    )
    # The project's functions by cumulative time, leaving out the middleware's __call__ wrappers:
    # each holds the rest of the request, so they say nothing about where the time goes.
    own = sorted(
        (
            (ct, f"{Path(f).relative_to(REPO)}:{line} {name}")
            for (f, line, name), (_, _, _, ct, _) in stats.items()
            if _own(f) and name != "__call__"
        ),
        reverse=True,
    )
    # And the hottest functions anywhere by their own time (library code included: SQL, templates).
    hottest = sorted(((tt, _label(f, line, name)) for (f, line, name), (_, _, tt, _, _) in stats.items()), reverse=True)
    per_request = 1000 / requests * scale
    sql_ms = sql["seconds"] / requests * 1000
    template_ms = template * per_request
    return {
        "method": method,
        "path": path,
        "requests": requests,
        "ms_per_request": round(plain * 1000, 2),
        "queries_per_request": round(sql["queries"] / requests, 1),
        "sql_ms_per_request": round(sql_ms, 2),
        "template_ms_per_request": round(template_ms, 2),
        "other_ms_per_request": round(max(0.0, plain * 1000 - sql_ms - template_ms), 2),
        "top": [{"function": name, "ms": round(ct * per_request, 2)} for ct, name in own[:TOP]],
        "hottest": [{"function": name, "ms": round(tt * per_request, 2)} for tt, name in hottest[:HOTTEST]],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default="")
    parser.add_argument("--expect", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    django.setup()
    result = profile(args.method, args.path, args.cookie, args.body, args.expect, args.requests)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
