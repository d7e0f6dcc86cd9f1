"""A cohort sheet as CSV (UTF-8 with BOM, so Excel shows Chinese), XLSX, or HTML with a category chart."""

from __future__ import annotations

import csv
import io
from html import escape

from roleplay.core.reports.html import bar_chart, cell, page, result_cell
from roleplay.core.reports.labels import label, result_word, sheet_verdict
from roleplay.core.reports.model import CohortReport

# Spreadsheet formula injection: a trainee typing "=HYPERLINK(...)" as a name must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _category_ids(report: CohortReport) -> list[str]:
    return list(report.categories)


def _cat_name(report: CohortReport, cid: str) -> str:
    return report.category_names.get(cid, cid)


def table(report: CohortReport, lang: str = "zh") -> tuple[list[str], list[list]]:
    """Header and rows shared by every cohort format (numbers stay numbers; None = not taken)."""
    header = [label("trainee", lang), label("attempts", lang)]
    for sid in report.scenario_ids:
        name = report.scenario_titles.get(sid, sid)
        header += [f"{name} %", f"{name} {label('result', lang)}"]
    header += [label("average", lang) + " %", label("all_passed", lang)]
    header += [f"{_cat_name(report, c)} %" for c in _category_ids(report)]
    rows = []
    for row in report.rows:
        values: list = [row.trainee, row.attempts]
        for sid in report.scenario_ids:
            sheet = row.results.get(sid)
            values += [None if sheet is None or sheet.abandoned else sheet.percent,
                       result_word(None, lang) if sheet is None else sheet_verdict(sheet, lang)]
        values += [row.average, result_word(row.all_passed, lang)]
        values += [row.categories[c].percent if c in row.categories else None for c in _category_ids(report)]
        rows.append(values)
    return header, rows


def summary(report: CohortReport, lang: str = "zh") -> list[tuple[str, str]]:
    weakest = "、".join(_cat_name(report, c) for c in report.weakest) or label("none", lang)
    lines = []
    if report.session_code:
        lines.append((label("session", lang), f"{report.session_code} {report.session_title or ''}".strip()))
    if report.pass_mark is not None:
        lines.append((label("pass_mark", lang), f"{report.pass_mark:g}%"))
    rate = report.pass_rate
    lines += [(label("pass_rate", lang), "—" if rate is None else f"{rate:g}%"),
              (label("weakest", lang), weakest),
              (label("generated", lang), report.generated_at)]
    return lines


def to_csv(report: CohortReport, lang: str = "zh") -> str:
    """CSV text starting with a BOM: Excel then reads it as UTF-8 instead of the local ANSI code page."""
    header, rows = table(report, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for values in rows:
        writer.writerow(["" if v is None else safe_text(v) for v in values])
    writer.writerow([])
    for key, value in summary(report, lang):
        writer.writerow([key, safe_text(value)])
    return "\ufeff" + buffer.getvalue()


def to_xlsx(report: CohortReport, lang: str = "zh"):
    """An openpyxl Workbook: the cohort table, per-category results and a summary sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = label("cohort_sheet", lang)[:31]
    header, rows = table(report, lang)
    _append(sheet, header)
    for values in rows:
        _append(sheet, values)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
    for c in sheet[1]:
        c.font, c.fill = bold, fill
    sheet.freeze_panes = "B2"
    for i, name in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(30, 2 * len(str(name)) + 2))

    cats = workbook.create_sheet(label("categories", lang)[:31])
    _append(cats, [label("category", lang), "id", label("percent", lang), label("weakest", lang)])
    for cid, result in report.categories.items():
        _append(cats, [_cat_name(report, cid), cid, result.percent, "✔" if cid in report.weakest else None])
    for c in cats[1]:
        c.font, c.fill = bold, fill
    cats.column_dimensions["A"].width = 20

    info = workbook.create_sheet(label("pass_rate", lang)[:31])
    for key, value in summary(report, lang):
        _append(info, [key, value])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 50
    return workbook


def _append(worksheet, values: list) -> None:
    worksheet.append([None if v is None else v for v in values])
    for c in worksheet[worksheet.max_row]:
        if isinstance(c.value, str) and c.value.startswith("="):
            c.data_type = "s"  # openpyxl would otherwise store it as a formula


def to_html(report: CohortReport, lang: str = "zh") -> str:
    title = label("cohort_sheet", lang)
    if report.session_code:
        title += f" — {report.session_code} {report.session_title or ''}".rstrip()
    header, rows = table(report, lang)
    body = [f"<h1>{escape(title)}</h1>", '<table class="meta">']
    body += [f"<tr><td>{escape(k)}</td>{cell(v)}</tr>" for k, v in summary(report, lang)]
    body += ["</table>", f"<h2>{label('categories', lang)}</h2>"]
    items = [(_cat_name(report, c), r.percent) for c, r in report.categories.items()]
    weakest = {_cat_name(report, c) for c in report.weakest}
    body.append(f'<figure id="category-chart">{bar_chart(items, weakest, label("categories", lang))}</figure>')
    body += [f"<h2>{label('trainee', lang)}</h2>", '<table id="cohort">',
             "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"]
    for values in rows:
        cells = []
        for v in values:
            if v == result_word(True, lang) or v == result_word(False, lang):
                cells.append(result_cell(v == result_word(True, lang), v))
            elif isinstance(v, (int, float)):
                cells.append(cell(f"{v:g}", "num"))
            else:
                cells.append(cell("—" if v is None else v))
        body.append("<tr>" + "".join(cells) + "</tr>")
    body += ["</table>", f'<p class="note">{escape(label("integrity", lang))}</p>']
    return page(title, "\n".join(body), lang)
