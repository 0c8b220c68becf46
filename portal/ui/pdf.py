"""PDFs from our own Jinja templates with WeasyPrint.

WeasyPrint fetches every URL a page names (stylesheets, images). Our pages hold text patients and
staff typed, so the fetcher serves only our own static files and refuses everything else: no
network (no SSRF to 169.254.169.254), no local files (no file:///etc/passwd). Templates link their
print stylesheet with `static(...)`; with base_url "file:///" that arrives as file:///static/...
(STACK-NOTES 9). Free text is escaped by Jinja's autoescape before WeasyPrint sees it."""

import mimetypes
import os
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "file:///"


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of our static files."""


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint 70 URL fetcher that serves file:///static/... from our static files only."""

    def fetch(self, url, headers=None):
        path = static_file_for(url)
        if path is None:
            # Keep the message short: the URL may come from typed text.
            raise RefusedURL(f"refused: {url[:100]}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def static_file_for(url: str) -> str | None:
    """The file on disk behind file:///<STATIC_URL path>/<name>, or None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc or parts.query or parts.fragment:
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not prefix.startswith("/") or not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    segments = PurePosixPath(name).parts
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or ".." in segments:
        return None
    # Development and tests read the source folders; production the collected (hashed) files.
    found = finders.find(name)
    if not found:
        try:
            found = staticfiles_storage.path(name)
        except (NotImplementedError, ValueError):
            found = None
    return found if found and os.path.isfile(found) else None


def render_pdf(template_name: str, context: dict, *, strict: bool = False) -> bytes:
    """Render a Jinja template (autoescaped) and turn it into PDF bytes. A refused URL is logged and
    skipped; `strict` makes it raise FatalURLFetchingError instead (tests use it to prove a template
    names nothing but our static files)."""
    html = render_to_string(template_name, context)
    fetcher = StaticOnlyFetcher(fail_on_errors=strict)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A download. `filename` must not hold personal data: it shows in download folders."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
