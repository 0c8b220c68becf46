"""Pages against two baselines of the same run (issue 16): bare Django with no middleware (the
ceiling, tests/bench/settings_bare.py) and the portal's own bare view signed in (the platform's
fixed cost), with issue 16's goals. Report.add_page builds the comparison here; Report.markdown
lays out the table, the profiles of the pages short of a goal and the closing note."""

# Issue 16, item 5: the least fraction of bare Django's requests per second each page keeps.
GOALS = {
    "signed-in-bare": 0.25,
    "sign-in-page": 0.25,
    "worklist-50": 0.10,
    "gp-inbox-200": 0.10,
    "hna-question-get": 0.10,
    "followup-caseload-500": 0.10,
    "care-reviews-due-400": 0.10,
}
TAIL_LIMIT = 4.0  # p99 at most this many times p50, for every page with a goal


def _ratio(a, b, digits=3):
    return round(a / b, digits) if a and b else None


def comparison(name, description, page: dict, ceiling: dict, platform: dict | None, notes) -> dict:
    """The comparison of one page (summaries of harness.Measurement) and whether it meets its goals.
    `platform` is None when the page is the platform baseline itself."""
    goal = GOALS.get(name)
    to_ceiling = _ratio(page["rps"], ceiling["rps"])
    tail = _ratio(page["p99_ms"], page["p50_ms"], 2)
    checks = {}
    if goal is not None:
        checks["ratio"] = to_ceiling is not None and to_ceiling >= goal
        checks["tail"] = tail is not None and tail <= TAIL_LIMIT
    return {
        "kind": "page",
        "name": name,
        "description": description,
        "subject": page,
        "ceiling": ceiling,
        "platform": platform,
        "ratios": {
            "to_ceiling": to_ceiling,
            "to_platform": _ratio(page["rps"], platform["rps"]) if platform else None,
            "p99_to_p50": tail,
        },
        "goal": goal,
        "checks": checks,
        "met": all(checks.values()) if checks else None,
        "profile": None,
        "notes": list(notes),
    }


def _mark(c) -> str:
    if c["met"] is None:
        return "—"
    missed = [what for what, ok in c["checks"].items() if not ok]
    return "yes" if not missed else "**no** (" + ", ".join("ratio" if m == "ratio" else "p99/p50" for m in missed) + ")"


def markdown(comparisons) -> list[str]:
    lines = [
        "## Pages against bare Django and the platform",
        "",
        "Each page was measured in alternating rounds with both baselines: bare Django (a view returning "
        "2 bytes, no middleware, no apps, the same gunicorn) and the portal's bare view signed in (the whole "
        "middleware stack and session). Goals (issue 16): ratio to bare Django at least the goal; p99 at "
        f"most {TAIL_LIMIT:g}× p50.",
        "",
        "| Page | Req/s | p50 ms | p99 ms | p99/p50 | Bare Django req/s | Platform req/s | "
        "Ratio to bare Django | Ratio to platform | Goal | Met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for c in comparisons:
        s, r = c["subject"], c["ratios"]
        method = "" if s.get("method", "GET") == "GET" else f"{s['method']} "
        platform = c["platform"]["rps"] if c["platform"] else "(itself)"
        lines.append(
            f"| {c['name']} (`{method}{s['path']}`) | {s['rps']} | {s['p50_ms']} | {s['p99_ms']} | "
            f"{r['p99_to_p50']} | {c['ceiling']['rps']} | {platform} | {r['to_ceiling']} | "
            f"{r['to_platform'] if r['to_platform'] is not None else '—'} | "
            f"{'≥ ' + format(c['goal'], 'g') if c['goal'] is not None else '—'} | {_mark(c)} |"
        )
    lines += [""]
    for c in comparisons:
        s = c["subject"]
        lines += [f"- **{c['name']}**: {c['description']} ({s['requests']} requests, {s['client']})"]
        lines += [f"  - {note}" for note in c["notes"]]
    profiled = [c for c in comparisons if c["profile"]]
    if profiled:
        lines += ["", "### Where the time goes, for the pages short of a goal", ""]
        for c in profiled:
            lines += [f"**{c['name']}** (`{c['subject']['path']}`): " + profile_line(c["profile"]), ""]
            lines += ["| Function | ms per request |", "| --- | ---: |"]
            lines += [f"| `{row['function']}` (ours, cumulative) | {row['ms']} |" for row in c["profile"]["top"]]
            lines += [f"| `{row['function']}` (anywhere, own time) | {row['ms']} |" for row in c["profile"]["hottest"]]
            lines += [""]
    return lines


def profile_line(profile: dict) -> str:
    return (
        f"{profile['requests']} requests in process (Django test client, bench settings and database): "
        f"{profile['ms_per_request']} ms each, {profile['queries_per_request']} queries taking "
        f"{profile['sql_ms_per_request']} ms, templates {profile['template_ms_per_request']} ms, "
        f"the rest (Python: middleware, views, services) {profile['other_ms_per_request']} ms."
    )


def _split(profile: dict | None) -> str:
    """Where a profiled page's time goes, biggest first: '; in process 107 ms: SQL 60 (10 queries), ...'."""
    if not profile:
        return ""
    shares = [
        (
            profile["sql_ms_per_request"],
            f"SQL {profile['sql_ms_per_request']:g} ({profile['queries_per_request']:g} queries)",
        ),
        (profile["template_ms_per_request"], f"templates {profile['template_ms_per_request']:g}"),
        (profile["other_ms_per_request"], f"other Python {profile['other_ms_per_request']:g}"),
    ]
    ordered = ", ".join(text for _, text in sorted(shares, key=lambda share: -share[0]))
    return f"; in process {profile['ms_per_request']:g} ms: {ordered}"


def closing_note(comparisons) -> str | None:
    """The report's last word on issue 16's goals."""
    judged = [c for c in comparisons if c["met"] is not None]
    if not judged:
        return None
    missed = [c for c in judged if not c["met"]]
    if not missed:
        return f"Every goal of issue 16 was met: {len(judged)} pages."
    parts = []
    for c in missed:
        why = []
        if not c["checks"]["ratio"]:
            why.append(f"ratio {c['ratios']['to_ceiling']} < {c['goal']:g}")
        if not c["checks"]["tail"]:
            why.append(f"p99/p50 {c['ratios']['p99_to_p50']} > {TAIL_LIMIT:g}")
        parts.append(f"{c['name']} ({', '.join(why)}{_split(c['profile'])})")
    return (
        f"Goals of issue 16 met by {len(judged) - len(missed)} of {len(judged)} pages; not met: "
        + "; ".join(parts)
        + ". The profiles above say where their time goes."
    )
