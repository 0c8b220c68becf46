"""Reading rendered pages as a person sees them: the rows of NHS.UK summary lists, and the text
a screen reader or a browser shows (escaped markup left in it is a bug)."""

import re
from html.parser import HTMLParser

KEY, VALUE = "nhsuk-summary-list__key", "nhsuk-summary-list__value"
VOID = {"br", "hr", "img", "input", "wbr"}  # no end tag: they do not nest


class _SummaryRows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self._cell, self._depth, self._text, self._key = None, 0, [], None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._cell is not None:
            self._depth += tag not in VOID
            if tag in ("li", "p", "br"):
                self._text.append("\n")
        elif KEY in classes or VALUE in classes:
            self._cell, self._depth, self._text = (KEY if KEY in classes else VALUE), 0, []

    def handle_endtag(self, tag):
        if self._cell is None:
            return
        if self._depth:
            self._depth -= 1
            return
        text = "\n".join(" ".join(line.split()) for line in "".join(self._text).splitlines() if line.strip())
        if self._cell == KEY:
            self._key = text
        else:
            self.rows.append((self._key, text))
        self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._text.append(data)


def summary_rows(html: str) -> list[tuple[str, str]]:
    """(key, value) of every summary-list row on the page, in order; a value's list items and
    paragraphs one per line."""
    parser = _SummaryRows()
    parser.feed(html)
    return parser.rows


def row(html: str, key: str) -> str:
    """The value of the one row with this key (fails if there is none or more than one)."""
    values = [value for k, value in summary_rows(html) if k == key]
    assert len(values) == 1, f"{len(values)} rows named {key!r}: {summary_rows(html)}"
    return values[0]


ESCAPED_MARKUP = re.compile(r"&lt;/?[a-zA-Z]")


def assert_no_escaped_markup(html: str, where: str = "") -> None:
    """Fail when the page shows markup as text (`&lt;span …`): a template escaped its own HTML."""
    found = ESCAPED_MARKUP.search(html)
    if found:
        start = max(found.start() - 120, 0)
        raise AssertionError(
            f"escaped markup shown as text on {where or 'the page'}: …{html[start : found.end() + 80]}…"
        )
