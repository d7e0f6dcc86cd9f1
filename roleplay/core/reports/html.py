"""Shared pieces of the HTML sheets: printable A4 styles with a CJK font stack, escaping, an SVG bar chart."""

from __future__ import annotations

from html import escape

from roleplay.core.lang.profile import profile

# Fonts found on Windows, macOS and Linux desktops in banks; no web fonts (sheets work offline).
CJK_FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
             '"Microsoft YaHei", "WenQuanYi Micro Hei", "SimSun", sans-serif')

STYLE = f"""
@page {{ size: A4; margin: 16mm 14mm; }}
body {{ font-family: {CJK_FONTS}; color: #1a1a1a; font-size: 11pt; line-height: 1.5; margin: 0 auto;
       max-width: 190mm; padding: 8mm 0; }}
h1 {{ font-size: 18pt; margin: 0 0 4mm; }}
h2 {{ font-size: 14pt; margin: 8mm 0 3mm; border-bottom: 1px solid #999; page-break-after: avoid; }}
h3 {{ font-size: 12pt; margin: 5mm 0 2mm; page-break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; page-break-inside: auto; }}
tr {{ page-break-inside: avoid; }}
th, td {{ border: 1px solid #bbb; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }}
th {{ background: #eef1f5; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.pass {{ color: #11652b; font-weight: bold; }}
.fail {{ color: #a1121b; font-weight: bold; }}
.meta td {{ border: none; padding: 0.5mm 4mm 0.5mm 0; }}
.attempt {{ page-break-before: auto; }}
.note {{ color: #555; font-size: 9pt; margin-top: 8mm; }}
svg text {{ font-family: {CJK_FONTS}; font-size: 12px; }}
@media print {{ body {{ padding: 0; }} a {{ color: inherit; text-decoration: none; }} }}
"""


def page(title: str, body: str, lang: str) -> str:
    html_lang = profile(lang).tag
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def cell(value, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape('' if value is None else str(value))}</td>"


def result_cell(passed: bool | None, text: str) -> str:
    return cell(text, None if passed is None else ("pass" if passed else "fail"))


def bar_chart(items: list[tuple[str, float | None]], highlight: set[str] | frozenset = frozenset(),
              title: str = "") -> str:
    """Horizontal bars (0-100 %) as inline SVG; highlighted labels are drawn in red."""
    row, label_w, bar_w = 26, 150, 380
    height = row * len(items) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 70}" '
             f'height="{height}" viewBox="0 0 {label_w + bar_w + 70} {height}">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for i, (name, percent) in enumerate(items):
        y = 5 + i * row
        colour = "#c0392b" if name in highlight else "#2e6da4"
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="18" fill="#eef1f5"/>')
        if percent is not None:
            width = round(bar_w * max(0.0, min(percent, 100.0)) / 100.0, 1)
            parts.append(f'<rect class="bar" data-category="{escape(name)}" data-percent="{percent}" '
                         f'x="{label_w}" y="{y + 3}" width="{width}" height="18" fill="{colour}"/>')
        shown = "—" if percent is None else f"{percent:g}%"
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 17}">{shown}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
