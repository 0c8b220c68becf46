"""tests/pdf_text.py, the run-together check every PDF test uses: it must fail on glued items and
on missing ones, and pass on items kept apart however the PDF wrapped them."""

import pytest

from tests.pdf_text import assert_no_run_together, pdf_text

ITEMS = ["Surgery: Wide local excision (12 February 2024)", "Radiotherapy: 40 Gy in 15 fractions"]


@pytest.mark.parametrize(
    "text",
    [
        "Treatments Surgery: Wide local excision (12 February 2024)\nRadiotherapy: 40 Gy in 15 fractions",
        "Surgery: Wide local excision (12 February\n2024)\nRadiotherapy: 40 Gy in 15\nfractions",  # wrapped
        "• Surgery: Wide local excision (12 February 2024)\n• Radiotherapy: 40 Gy in 15 fractions",
    ],
)
def test_items_on_their_own_lines_pass(text):
    assert_no_run_together(text, ITEMS, newline=True)


@pytest.mark.parametrize(
    "text",
    [
        "Surgery: Wide local excision (12 February 2024)Radiotherapy: 40 Gy in 15 fractions",
        "Surgery: Wide local excision (12 February\n2024)Radiotherapy: 40 Gy in 15 fractions",  # glued after a wrap
        "Page 1 Surgery: Wide local excision (12 February 2024) x\n"
        "Surgery: Wide local excision (12 February 2024)Radiotherapy: 40 Gy in 15 fractions",  # glued the 2nd time
    ],
)
def test_items_run_together_fail(text):
    with pytest.raises(AssertionError, match=r"run together \(nothing between them\)"):
        assert_no_run_together(text, ITEMS)


def test_a_space_is_a_separator_but_not_a_line_break():
    text = "Surgery: Wide local excision (12 February 2024) Radiotherapy: 40 Gy in 15 fractions"
    assert_no_run_together(text, ITEMS)
    with pytest.raises(AssertionError, match=r"run together \(no line break between them\)"):
        assert_no_run_together(text, ITEMS, newline=True)


def test_a_separator_keeps_items_apart():
    assert_no_run_together("Low mood;Dry mouth•Hair loss", ["Low mood", "Dry mouth", "Hair loss"])


def test_a_missing_item_fails_rather_than_passing_by_finding_nothing():
    with pytest.raises(AssertionError, match="not in the text: 'Check bone health'"):
        assert_no_run_together("Prescribe letrozole daily for 5 years", ["Prescribe letrozole", "Check bone health"])


def test_fewer_than_two_items_is_a_mistake_in_the_test():
    with pytest.raises(ValueError, match="at least two"):
        assert_no_run_together("Anything", ["Anything"])


def test_pdf_text_keeps_line_breaks():
    from weasyprint import HTML

    content = HTML(string="<p>First line</p><p>Second line</p>").write_pdf()
    assert pdf_text(content).splitlines()[:2] == ["First line", "Second line"]
