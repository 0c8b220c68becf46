"""Reading a PDF's text as a reader (or a GP system importing it) gets it, and checking that list
items did not run together on the way: "…(12 February 2024)Radiotherapy: 40 Gy…" is two treatments
printed as one. Shared by the tests of every PDF kind (treatment summaries, care plans, letters).

pypdf joins what is drawn on one line and puts a newline where the text moves down, so an item
that wraps keeps a newline inside it and two items printed with nothing between them come out
glued. The checks here therefore match an item's words across any whitespace."""

import io
import re

from pypdf import PdfReader

# What may stand between two items besides whitespace: a list marker or a separator a reader sees.
SEPARATORS = "•·;|"


def pdf_text(content: bytes) -> str:
    """Every page's extracted text, pages separated by a newline; line breaks kept."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def item_pattern(item: str) -> str:
    """A regex for the item's words with any whitespace between them (an item may wrap)."""
    words = item.split()
    if not words:
        raise ValueError("an empty list item cannot be found in a text")
    return r"\s+".join(re.escape(word) for word in words)


def assert_no_run_together(text: str, items, *, newline: bool = False) -> None:
    """Fail unless every item is in `text` and no two consecutive items touch: between the end of
    one and the start of the next there must be whitespace or a separator (with `newline=True`, a
    line break). Items that are not next to each other in the text are not checked against each
    other; each item must appear, or the check would pass by finding nothing."""
    items = list(items)
    if len(items) < 2:
        raise ValueError("give at least two list items: one item cannot run into another")
    for item in items:
        if not re.search(item_pattern(item), text):
            raise AssertionError(f"list item not in the text: {item!r}\n--- text ---\n{text}")
    for first, second in zip(items, items[1:], strict=False):
        gap = rf"(?P<gap>[\s{re.escape(SEPARATORS)}]*)"
        for found in re.finditer(item_pattern(first) + gap + item_pattern(second), text):
            between = found["gap"]
            if not between or (newline and "\n" not in between):
                missing = "no line break" if between else "nothing"
                raise AssertionError(
                    f"list items run together ({missing} between them): {found[0]!r}\n--- text ---\n{text}"
                )
