"""Charts drawn on the server as SVG (ADR 0039): readable without JavaScript, and each an image with a
title and a description that says every number it draws, beside a table of the same numbers. Colours
are the NHS palette's; the reference is a line, not a colour, so it reads in greyscale too. Platform
code since ADR 0055: the survey's dashboard and the alliance coverage report both draw with it."""

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW, TOP_MARGIN = 640, 210, 110, 30, 34
BAR_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
BLUE, TEXT, GREY = "#005eb8", "#212b32", "#4c6272"
HIDDEN = "fewer than 10"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not shown (too few people)
    reference: float | None = None


def number(value: float, top: float, whole: bool = False) -> str:
    if whole:
        return str(int(value))
    return f"{value:.2f}" if top <= 1 else f"{value:.1f}"


def describe(title: str, bars: list[Bar], top: float, whole: bool = False, empty: str = "No responses yet") -> str:
    """The chart's numbers in words: its text alternative."""
    parts = []
    for bar in bars:
        if bar.value is None:
            parts.append(f"{bar.label}: {HIDDEN}")
            continue
        compared = f" (reference {number(bar.reference, top, whole)})" if bar.reference is not None else ""
        parts.append(f"{bar.label}: {number(bar.value, top, whole)}{compared}")
    return f"{title}. " + ("; ".join(parts) if parts else empty) + "."


def bar_chart(
    *, chart_id: str, title: str, bars: list[Bar], top: float, whole: bool = False, empty: str = "No responses yet"
) -> Markup:
    """Horizontal bars from 0 to `top`, one per group, each with its reference marked as a line;
    `whole`: the values are counts, written without decimals."""
    height = TOP_MARGIN + ROW * max(len(bars), 1) + 10
    scale = BAR_WIDTH / top if top else 0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qol-chart" role="img" viewBox="0 0 {WIDTH} {height}"'
        f' width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(title, bars, top, whole, empty))}</desc>',
        f'<g font-family="Frutiger W01, Arial, sans-serif" font-size="14" fill="{TEXT}">',
        f'<text x="{LABEL_WIDTH}" y="16" fill="{GREY}">0</text>',
        f'<text x="{LABEL_WIDTH + BAR_WIDTH}" y="16" text-anchor="end" fill="{GREY}">{number(top, top, whole)}</text>',
    ]
    if any(bar.reference is not None for bar in bars) or not bars:
        # The key for the reference line; a chart with no references has nothing to explain.
        x = LABEL_WIDTH + 150
        out.append(f'<line x1="{x}" y1="12" x2="{x}" y2="24" stroke="{TEXT}" stroke-width="3"/>')
        out.append(f'<text x="{LABEL_WIDTH + 156}" y="22" fill="{GREY}">reference</text>')
    for n, bar in enumerate(bars):
        y = TOP_MARGIN + n * ROW
        out.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 19}" text-anchor="end">{escape(_short(bar.label))}</text>')
        if bar.value is None:
            out.append(f'<text x="{LABEL_WIDTH + 4}" y="{y + 19}" fill="{GREY}">{HIDDEN}</text>')
            continue
        length = max(min(bar.value, top), 0) * scale
        out.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" fill="{BLUE}"/>')
        value_x = LABEL_WIDTH + BAR_WIDTH + 8
        out.append(f'<text x="{value_x}" y="{y + 19}">{number(bar.value, top, whole)}</text>')
        if bar.reference is not None:
            x = LABEL_WIDTH + max(min(bar.reference, top), 0) * scale
            line = f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + ROW - 2}"'
            out.append(f'{line} stroke="{TEXT}" stroke-width="3"/>')
    out.append("</g></svg>")
    return Markup("".join(out))  # noqa: S704 - every text in it is escaped above


def _short(label: str, most: int = 28) -> str:
    """A long label is cut in the drawing; the description and the table carry it whole."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"
