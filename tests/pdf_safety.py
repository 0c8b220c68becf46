"""Fixtures that prove a PDF fetched nothing it should not: registered for every test through
`pytest_plugins` in tests/conftest.py."""

from urllib.request import OpenerDirector

import pytest

from portal.ui.pdf import StaticOnlyFetcher

METADATA = "http://169.254.169.254/"
PASSWD = "file:///etc/passwd"


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a URL the urllib way."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a URL was opened: {args}")

    monkeypatch.setattr(OpenerDirector, "open", refuse)


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asked our fetcher for."""
    urls = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    return urls
