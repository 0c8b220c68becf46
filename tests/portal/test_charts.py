"""The SVG charts (ADR 0039): an image with a title and a description that says every number drawn;
hidden groups drawn as words, never as a bar; typed text escaped."""

import re

from portal.ui.charts import Bar, bar_chart, describe


def chart(bars, top=100):
    return str(bar_chart(chart_id="c", title="Mean pain by trust", bars=bars, top=top))


def test_the_chart_is_an_image_labelled_by_its_title_and_description():
    svg = chart([Bar("North", 40.25, 30), Bar("South", None)])
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Mean pain by trust</title>' in svg
    assert '<desc id="c-desc">Mean pain by trust. North: 40.2 (reference 30.0); South: fewer than 10.</desc>' in svg
    assert "<script" not in svg


def test_a_hidden_group_has_no_bar_and_a_shown_one_is_drawn_to_scale():
    svg = chart([Bar("North", 50, None), Bar("South", None)])
    assert len(re.findall(r"<rect ", svg)) == 1
    width = float(re.search(r'<rect [^>]*width="([\d.]+)"', svg).group(1))
    assert width == 160.0  # half of the 320 drawn for 100
    assert "fewer than 10" in svg


def test_typed_labels_are_escaped():
    svg = chart([Bar("<b>A&B</b>", 10)])
    assert "<b>" not in svg and "&lt;b&gt;A&amp;B&lt;/b&gt;" in svg


def test_an_index_is_shown_to_two_places_and_an_empty_chart_says_so():
    assert "0.81" in describe("Index", [Bar("All", 0.8123, 0.9)], top=1)
    assert describe("Index", [], top=1) == "Index. No responses yet."
