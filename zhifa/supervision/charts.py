"""Charts as plain SVG (no script, no external request): drawn on the evaluation page and in its PDF report, each
with a title and the table of its numbers beside it as its text alternative."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = 18
GAP = 8
LABEL = 230
VALUE = 44


def bar_chart(
    title: str, rows: list[tuple[str, int]], *, width: int = 640, colour: str = "#2f5d9a"
) -> SafeString:
    """Horizontal bars, one per (label, value) row, scaled to the largest value."""
    top = max((value for _label, value in rows), default=0) or 1
    span = width - LABEL - VALUE
    height = len(rows) * (BAR + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        length = round(span * value / top)
        text = label if len(label) <= 18 else label[:17] + "…"
        parts.append(f'<text x="{LABEL - 6}" y="{y + BAR - 5}" text-anchor="end">{escape(text)}</text>')
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{length}" height="{BAR}" fill="{colour}"/>')
        parts.append(f'<text x="{LABEL + length + 4}" y="{y + BAR - 5}">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it escaped above
