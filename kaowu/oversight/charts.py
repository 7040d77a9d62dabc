"""Charts drawn on the server as inline SVG (no script, no CDN: exam sites run on closed networks). Plain
functions of (label, value) lists; labels are escaped."""

from __future__ import annotations

from html import escape

PALETTE = ["#1565c0", "#2e7d32", "#ef8f00", "#c62828", "#6a1b9a", "#00838f"]


def bar_chart(
    items: list[tuple[str, float]], *, title: str, unit: str = "", width: int = 440, colour: str = PALETTE[0]
) -> str:
    """Horizontal bars, one row per item, the value written at the end of each bar."""
    row, label_w, pad = 26, 120, 8
    height = pad * 2 + 22 + row * max(1, len(items))
    top = max([v for _, v in items] + [1])
    bar_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" style="max-width:{width}px;font-family:sans-serif">',
        f'<text x="{pad}" y="{pad + 14}" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = pad + 26 + i * row
        w = 0 if not top else round(bar_w * value / top, 1)
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">{escape(str(label)[:12])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 8}" fill="{colour}" rx="2"/>'
            f'<text x="{label_w + w + 4}" y="{y + 14}" font-size="12">{escape(shown)}</text>'
        )
    if not items:
        parts.append(f'<text x="{label_w}" y="{pad + 40}" font-size="12" fill="#777">暂无数据</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(items: list[tuple[str, float]], *, title: str, width: int = 440, colour: str = PALETTE[1]) -> str:
    """Vertical columns (months along the bottom)."""
    height, pad, base = 220, 8, 190
    top = max([v for _, v in items] + [1])
    n = max(1, len(items))
    slot = (width - 2 * pad) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" style="max-width:{width}px;font-family:sans-serif">',
        f'<text x="{pad}" y="{pad + 14}" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#999"/>',
    ]
    for i, (label, value) in enumerate(items):
        h = round((base - 40) * value / top, 1)
        x = pad + i * slot + slot * 0.15
        w = slot * 0.7
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h}" width="{w:.1f}" height="{h}" fill="{colour}" rx="2"/>'
            f'<text x="{x + w / 2:.1f}" y="{base - h - 4}" font-size="11" text-anchor="middle">{value:g}</text>'
            f'<text x="{x + w / 2:.1f}" y="{base + 14}" font-size="11" text-anchor="middle">{escape(str(label))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
