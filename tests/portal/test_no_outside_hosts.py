"""No page waits on another host (ADR 0024): no stylesheet the portal serves, and no template it
renders, loads anything (a font above all) from outside the portal's own origin, and the CSP
allows fonts from 'self' only. tests/system/test_same_origin.py proves the same in Chromium."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.test import override_settings
from django.urls import URLResolver, get_resolver

from portal.ui.finders import NHSFrontendFinder, without_outside_fonts

# A load from another host: url(https://…), url(//…), @import "https://…" in CSS; in HTML a
# stylesheet, script, image, frame or media source with an absolute or protocol-relative URL.
CSS_OUTSIDE = re.compile(r"""(?:url\(\s*|@import\s+(?:url\(\s*)?)["']?(?:[a-z]+:)?//""", re.IGNORECASE)
HTML_OUTSIDE = re.compile(
    r"""<(?:link|script|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:href|src|srcset|data)\s*=\s*["']?"""
    r"""(?:https?:)?//""",
    re.IGNORECASE,
)
FONT_HOSTS = ("assets.nhs.uk", "fonts.googleapis.com", "fonts.gstatic.com", "use.typekit.net")


def served_stylesheets():
    for finder in finders.get_finders():
        for path, storage in finder.list(None):
            if path.endswith(".css"):
                prefix = getattr(storage, "prefix", None)
                with storage.open(path) as handle:
                    yield (f"{prefix}/{path}" if prefix else path), handle.read().decode("utf-8", "replace")


# drf-spectacular's Swagger UI and Redoc pages load from CDNs; the portal routes neither
# (portal/api/docs.py renders its own page), which test_no_cdn_api_docs_are_routed keeps true.
UNROUTED_TEMPLATE_DIRS = ("drf_spectacular",)


def template_sources():
    jinja = engines["jinja2"].env
    for name in jinja.list_templates(extensions=["jinja", "html", "njk"]):
        yield f"jinja2:{name}", jinja.loader.get_source(jinja, name)[0]
    for directory in engines["django"].template_dirs:
        for path in Path(directory).rglob("*.html"):
            if not any(part in UNROUTED_TEMPLATE_DIRS for part in path.relative_to(directory).parts):
                yield f"django:{path}", path.read_text(errors="replace")


def routed_views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routed_views(pattern.url_patterns)
        else:
            yield getattr(pattern.callback, "view_class", pattern.callback)


def test_every_served_stylesheet_loads_only_from_our_origin():
    checked = dict(served_stylesheets())
    assert "nhsuk/nhsuk-frontend.min.css" in checked and "css/portal.css" in checked
    offenders = {
        path: sorted({host for host in FONT_HOSTS if host in text} | set(CSS_OUTSIDE.findall(text)))
        for path, text in checked.items()
        if CSS_OUTSIDE.search(text) or any(host in text for host in FONT_HOSTS)
    }
    assert offenders == {}


def test_the_nhs_stylesheet_is_still_the_whole_stylesheet_with_its_system_font_fallback(client):
    response = client.get("/static/nhsuk/nhsuk-frontend.min.css")
    assert response.status_code == 200
    css = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    original = (settings.NHSUK_FRONTEND_DIST / "nhsuk-frontend.min.css").read_text()
    assert "@font-face" in original and "@font-face" not in css
    assert "assets.nhs.uk" not in css
    # Only the two font rules went (about 500 characters of 278,000); the design system is intact,
    # and its text falls back to Arial, then the system's sans-serif, at once.
    assert len(original) - len(css) < 1000
    assert ".nhsuk-header{" in css and ".nhsuk-button{" in css
    assert "font-family:Frutiger W01,arial,sans-serif" in css


def test_no_template_loads_anything_from_another_host():
    sources = dict(template_sources())
    assert "jinja2:layout.jinja" in sources and "jinja2:nhsuk/template.jinja" in sources
    assert any(name.endswith("allauth/layouts/base.html") for name in sources)
    offenders = {
        name: HTML_OUTSIDE.findall(text) + CSS_OUTSIDE.findall(text) + [h for h in FONT_HOSTS if h in text]
        for name, text in sources.items()
        if HTML_OUTSIDE.search(text) or CSS_OUTSIDE.search(text) or any(h in text for h in FONT_HOSTS)
    }
    assert offenders == {}


def test_no_cdn_api_docs_are_routed():
    # Imported here: at collection time drf-spectacular's views import the API settings too early.
    from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView, SpectacularSwaggerView

    cdn_pages = {SpectacularRedocView, SpectacularSwaggerView, SpectacularSwaggerSplitView}
    assert not cdn_pages & set(routed_views(get_resolver().url_patterns))


@pytest.mark.django_db
def test_the_csp_allows_fonts_from_our_origin_only(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["font-src"] == "'self'"


def test_only_outside_font_rules_are_removed():
    css = (
        "@font-face{font-family:A;src:url(https://fonts.example/a.woff2)}"
        "@font-face{font-family:B;src:url(//cdn.example/b.woff2)}"
        '@font-face{font-family:C;src:url("/static/fonts/c.woff2")}'
        "body{font-family:A,arial,sans-serif}\n/*# sourceMappingURL=x.css.map */"
    )
    assert without_outside_fonts(css) == (
        '@font-face{font-family:C;src:url("/static/fonts/c.woff2")}body{font-family:A,arial,sans-serif}\n'
    )


def test_the_finder_serves_nothing_outside_the_package_and_no_stale_source_map(tmp_path):
    with override_settings(VAR_DIR=tmp_path):
        finder = NHSFrontendFinder()
        assert finder.find("nhsuk/nhsuk-frontend.min.css") == str(tmp_path / "build/nhsuk/nhsuk-frontend.min.css")
        assert finder.find("nhsuk/nhsuk-frontend.min.js").endswith("dist/nhsuk/nhsuk-frontend.min.js")
        assert finder.find("nhsuk/../../package.json") is None
        assert finder.find("css/portal.css") is None  # not ours: the other finders serve it
        # The package's map describes the stylesheet with its font rules: it is not served.
        assert finder.find("nhsuk/nhsuk-frontend.min.css.map") is None
        assert finder.find("nhsuk/nhsuk-frontend.min.js.map") is not None
        listed = {path for path, _ in finder.list(None)}
        assert "nhsuk-frontend.min.css" in listed and "nhsuk-frontend.min.css.map" not in listed
