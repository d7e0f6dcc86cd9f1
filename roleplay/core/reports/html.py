"""Shared pieces of the HTML sheets: A4 print styles with an embedded Chinese font, escaping, an SVG category chart."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from roleplay.core.content.safetext import strip_controls
from roleplay.core.lang.profile import profile
from roleplay.core.reports.fonts import FAMILY, font_face
from roleplay.core.reports.labels import label

if TYPE_CHECKING:
    from roleplay.core.reports.model import CategoryResult

# The embedded subset first; then fonts found on Windows, macOS and Linux desktops in banks (no web fonts:
# sheets work offline).
CJK_FONTS = (f'"{FAMILY}", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
             '"Microsoft YaHei", "WenQuanYi Micro Hei", "SimSun", sans-serif')
FONT_MARK = "/*roleplay-font*/"

STYLE = f"""
@page {{ size: A4 portrait; margin: 14mm 12mm 16mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {CJK_FONTS}; color: #1a1a1a; font-size: 10.5pt; line-height: 1.45; margin: 0 auto;
       max-width: 186mm; padding: 8mm 0; overflow-wrap: anywhere; }}
h1 {{ font-size: 17pt; margin: 0 0 3mm; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2.5mm; border-bottom: 1px solid #999; break-after: avoid; }}
h3 {{ font-size: 11.5pt; margin: 4mm 0 2mm; break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; table-layout: fixed; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th, td {{ border: 1px solid #bbb; padding: 1mm 1.6mm; text-align: left; vertical-align: top; }}
th {{ background: #eef1f5; font-weight: bold; word-break: keep-all; overflow-wrap: normal; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.word, th.word {{ white-space: nowrap; }}
.pass {{ color: #11652b; font-weight: bold; }}
.fail {{ color: #a1121b; font-weight: bold; }}
.meta {{ table-layout: auto; width: auto; }}
.meta td {{ border: none; padding: 0.4mm 4mm 0.4mm 0; }}
.meta td:first-child {{ white-space: nowrap; color: #444; }}
.verdict {{ margin: 2mm 0 3mm; padding: 2mm 3mm; border-left: 3px solid #2e6da4; background: #f5f7fa; }}
.page {{ break-before: page; }}
.attempt + .attempt {{ margin-top: 6mm; }}
.note {{ color: #555; font-size: 8.5pt; margin-top: 5mm; }}
.tie {{ color: #6b4f00; font-size: 8.5pt; }}
svg {{ display: block; width: 100%; height: auto; }}
figure {{ margin: 0; }}
.chart td {{ padding-top: 0.6mm; padding-bottom: 0.6mm; vertical-align: middle; }}
svg text {{ font-family: {CJK_FONTS}; font-size: 12px; }}
@media screen {{ .page {{ border-top: 2px dashed #ccc; padding-top: 6mm; margin-top: 10mm; }} }}
@media print {{ body {{ padding: 0; max-width: none; }} a {{ color: inherit; text-decoration: none; }} }}
"""


def page(title: str, body: str, lang: str, embed_font: bool = True) -> str:
    """A complete HTML document. The font is embedded from the sheet's own characters unless `embed_font` is
    False (a batch export embeds one shared subset with `with_font`)."""
    html_lang = profile(lang).tag
    document = (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{text(title)}</title>\n<style>{FONT_MARK}{STYLE}</style>\n</head>\n<body>\n{body}\n"
                f"</body>\n</html>\n")
    return with_font(document, font_face(title + body)) if embed_font else document


def with_font(document: str, face: str) -> str:
    return document.replace(FONT_MARK, face + "\n", 1)


def text(value: object) -> str:
    """Untrusted text for HTML: control characters dropped, markup escaped."""
    return escape(strip_controls("" if value is None else str(value)))


def cell(value: object, cls: str | None = None, tag: str = "td") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>{text(value)}</{tag}>"


def result_cell(passed: bool | None, words: str) -> str:
    return cell(words, "word" if passed is None else ("word pass" if passed else "word fail"))


def table(headers: list[tuple[str, str | None, int]], rows: list[str], cls: str = "", ident: str = "") -> str:
    """A table whose header repeats on every printed page; headers are (words, class, width in %)."""
    cols = "".join(f'<col style="width:{w}%">' for _, _, w in headers)
    head = "".join(cell(h, c, "th") for h, c, _ in headers)
    attrs = (f' class="{cls}"' if cls else "") + (f' id="{ident}"' if ident else "")
    return f"<table{attrs}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>\n" + \
        "\n".join(rows) + "\n</tbody></table>"


def category_chart(items: list[tuple[str, CategoryResult]], highlight: set[str], tied: set[str], lang: str,
                   title: str = "") -> str:
    """One table row per category with an inline SVG bar, so a long list breaks between printed pages with its
    header repeated. Items are (name, CategoryResult). Taboo-like categories show how many stayed clear (✓) and
    how many said it (✗), never a percentage; equal results are marked as a tie, not put in an arbitrary order."""
    rows = []
    for name, result in items:
        bar = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 12" preserveAspectRatio="none" '
               'style="height:3.2mm">', '<rect x="0" y="0" width="200" height="12" fill="#eef1f5"/>']
        if result.negative:
            total = result.clear + result.said
            clear_w = round(200 * result.clear / total, 1) if total else 0
            bar.append(f'<rect class="clear" data-category="{text(name)}" data-clear="{result.clear}" '
                       f'data-said="{result.said}" x="0" y="0" width="{clear_w}" height="12" fill="#3f8f4f"/>')
            if total and result.said:
                bar.append(f'<rect class="said" x="{clear_w}" y="0" width="{round(200 - clear_w, 1)}" height="12" '
                           'fill="#c0392b"/>')
            shown = f"{label('said_never', lang)} {result.clear} · {label('said_some', lang)} {result.said}"
        else:
            percent = result.percent
            if percent is not None:
                colour = "#c0392b" if name in highlight else "#2e6da4"
                width = round(2 * max(0.0, min(percent, 100.0)), 1)
                bar.append(f'<rect class="bar" data-category="{text(name)}" data-percent="{percent}" x="0" y="0" '
                           f'width="{width}" height="12" fill="{colour}"/>')
            shown = "—" if percent is None else f"{percent:g}%"
            if name in tied:
                shown += f" （{label('tie', lang)}）" if lang != "en" else f" ({label('tie', lang)})"
        bar.append("</svg>")
        rows.append(f"<tr>{cell(name)}<td>{''.join(bar)}</td>{cell(shown, 'num')}</tr>")
    headers = [(label("category", lang), None, 26), ("", None, 44),
               (label("percent", lang), "num", 30)]
    return table(headers, rows, cls="chart")


def trend_svg(points: list[tuple[float, bool]], pass_mark: float | None = None) -> str:
    """A small line of one trainee's attempts at one scenario (oldest left), dots green when passed."""
    w, h, pad = 120, 28, 4
    n = len(points)
    if not n:
        return ""
    xs = [pad + (w - 2 * pad) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = [h - pad - (h - 2 * pad) * max(0.0, min(p, 100.0)) / 100.0 for p, _ in points]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 {w} {h}" '
             f'style="width:30mm;display:inline-block;vertical-align:middle">',
             f'<rect x="0" y="0" width="{w}" height="{h}" fill="#f5f7fa"/>']
    if pass_mark is not None:
        y = h - pad - (h - 2 * pad) * pass_mark / 100.0
        parts.append(f'<line x1="0" x2="{w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#999" stroke-dasharray="2,2"/>')
    if n > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=False))
        parts.append(f'<polyline points="{path}" fill="none" stroke="#2e6da4" stroke-width="1.5"/>')
    for x, y, (_, ok) in zip(xs, ys, points, strict=False):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{"#3f8f4f" if ok else "#c0392b"}"/>')
    parts.append("</svg>")
    return "".join(parts)
