"""Benchmarks run only when asked for by marker (make bench: `-m bench`). Any other run, such as
make test, deselects them here: they are neither run nor reported as skipped."""

import os

import pytest

from tests.bench import harness


def pytest_collection_modifyitems(config, items):
    if config.getoption("markexpr"):
        return  # -m given: pytest's own marker selection decides
    benchmarks = [item for item in items if item.get_closest_marker("bench")]
    if benchmarks:
        config.hook.pytest_deselected(items=benchmarks)
        items[:] = [item for item in items if not item.get_closest_marker("bench")]


REPORT_WRITTEN = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def bench_report(request):
    """The run's report; written to bench-results/ when the run ends, failed or not."""
    report = harness.Report()
    yield report
    if report.comparisons:
        report.write()
        request.config.stash[REPORT_WRITTEN] = True


@pytest.fixture(scope="session")
def bench_database():
    """A database of the benchmark's own next to DATABASE_URL's, migrated; dropped at the end."""
    base_url = os.environ["DATABASE_URL"]
    url = harness.bench_database_url(base_url)
    harness.recreate_database(base_url, url)
    try:
        harness.run_seed(url, "migrate")
        yield url
    finally:
        harness.drop_database(base_url, url)


@pytest.fixture(scope="session")
def bench_server(bench_database):
    """gunicorn serving the bench settings (the portal plus /bench/bare/) from that database."""
    with harness.Gunicorn(bench_database, harness.RESULTS_DIR / "gunicorn.log") as server:
        yield server


@pytest.fixture(scope="session")
def ceiling_server(bench_database):
    """gunicorn serving bare Django (settings_bare: no middleware, no apps), the ceiling every
    page's ratio is taken against (issue 16)."""
    log = harness.RESULTS_DIR / "gunicorn-bare.log"
    with harness.Gunicorn(bench_database, log, settings=harness.BARE_SETTINGS) as server:
        yield server


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(REPORT_WRITTEN, False):
        terminalreporter.write_sep("=", "benchmark report")
        terminalreporter.write((harness.RESULTS_DIR / "report.md").read_text())
        terminalreporter.write_line(f"Written to {harness.RESULTS_DIR}/report.json and report.md")
