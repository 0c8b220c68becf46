"""NHS.UK frontend's files at /static/nhsuk/, from node_modules, with nothing that loads from
another host.

The compiled stylesheets declare the Frutiger web fonts with `@font-face` rules that load from
https://assets.nhs.uk/fonts/; the npm package ships no font files. A server that cannot reach
that host (many on-premises installs) made a third of page loads wait about 5 s for fonts
that never came. So this finder serves the package's `dist/nhsuk/` folder as it is, except its
top-level stylesheets, which it serves as copies with those rules taken out (built under
VAR_DIR/build/ the first time they are asked for). The text then uses the package's own
fallback, Arial or the system sans-serif, at once, and the CSP keeps `font-src 'self'` (ADR 0024).
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import get_files
from django.core import checks
from django.core.files.storage import FileSystemStorage

PREFIX = "nhsuk"
# A url() or @import that leaves our origin: http:, https: or protocol-relative //host.
OUTSIDE_URL = re.compile(r"""(?:url\(\s*|@import\s+)["']?(?:https?:)?//""", re.IGNORECASE)
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
# The package's source maps describe the stylesheets before the rules were removed: the copies
# lose their map comment, and the maps themselves are not served.
SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/\s*$")


def without_outside_fonts(css: str) -> str:
    """The stylesheet without its @font-face rules for fonts on another host (and without its
    source map comment, which no longer matches)."""
    css = FONT_FACE.sub(lambda rule: "" if OUTSIDE_URL.search(rule.group(0)) else rule.group(0), css)
    return SOURCE_MAP.sub("", css)


def _stale_map(path: str, stylesheets: set[str]) -> bool:
    return path.endswith(".map") and path.removesuffix(".map") in stylesheets


class NHSFrontendFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dist = Path(settings.NHSUK_FRONTEND_DIST)
        self.built = Path(settings.VAR_DIR) / "build" / PREFIX
        self.storage = FileSystemStorage(location=self.dist)
        self.storage.prefix = PREFIX
        self.built_storage = FileSystemStorage(location=self.built)
        self.built_storage.prefix = PREFIX
        self._stylesheets: set[str] | None = None

    def check(self, **kwargs):
        if self.dist.is_dir():
            return []
        return [
            checks.Warning(
                f"NHS.UK frontend is missing: {self.dist} does not exist.",
                hint="Run `make install` (npm ci).",
                id="portal.W001",
            )
        ]

    def _build(self) -> set[str]:
        """Write the stylesheets' copies if they are missing or out of date; their names."""
        if self._stylesheets is None:
            names = set()
            for source in sorted(self.dist.glob("*.css")):
                text = without_outside_fonts(source.read_text(encoding="utf-8"))
                target = self.built / source.name
                if not target.is_file() or target.read_text(encoding="utf-8") != text:
                    self.built.mkdir(parents=True, exist_ok=True)
                    # Written aside and renamed: several processes (gunicorn workers) may build at once.
                    partial = target.with_name(f".{target.name}.{os.getpid()}")
                    partial.write_text(text, encoding="utf-8")
                    partial.replace(target)
                names.add(source.name)
            self._stylesheets = names
        return self._stylesheets

    def find(self, path, find_all=False, **kwargs):
        found = []
        if path.startswith(f"{PREFIX}/"):
            relative = path[len(PREFIX) + 1 :]
            stylesheets = self._build()
            root = self.built if relative in stylesheets else self.dist
            candidate = root / relative
            # The same containment rule as Django's own finders (no ../ out of the folder).
            inside = candidate.resolve().is_relative_to(root.resolve())
            if inside and candidate.is_file() and not _stale_map(relative, stylesheets):
                found.append(str(candidate))
        if find_all:
            return found
        return found[0] if found else None

    def list(self, ignore_patterns):
        if not self.dist.is_dir():
            return
        stylesheets = self._build()
        for path in get_files(self.storage, ignore_patterns):
            if not _stale_map(path, stylesheets):
                yield path, self.built_storage if path in stylesheets else self.storage
