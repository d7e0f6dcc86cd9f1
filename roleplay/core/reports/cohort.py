"""A cohort sheet as CSV (UTF-8 with BOM, so Excel shows Chinese), XLSX, or HTML that prints on A4 portrait."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from roleplay.core.content.safetext import strip_controls
from roleplay.core.reports.html import category_chart, cell, page, result_cell, table, text, trend_svg
from roleplay.core.reports.labels import colon, join, label, result_word, sheet_verdict
from roleplay.core.reports.model import CohortReport, CohortRow, ties, weakest_categories

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

# Spreadsheet formula injection: a trainee typing "=HYPERLINK(...)" as a name must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PERCENT = "percent"  # marks a header whose column holds percentages (0-100 on the sheet)
Cell = str | int | float | bool | None  # one value of the cohort table (None = not taken)


def safe_text(value: Cell) -> Cell:
    if isinstance(value, str):
        value = strip_controls(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _cat_name(report: CohortReport, cid: str) -> str:
    return report.category_names.get(cid) or cid.replace("_", " ")


def columns(report: CohortReport, lang: str = "zh") -> list[tuple[str, str | None]]:
    """The header shared by every cohort format: (words, PERCENT when the column holds percentages)."""
    cols: list[tuple[str, str | None]] = [(label("employee_id", lang), None), (label("trainee", lang), None),
                                          (label("attempts", lang), None)]
    for sid in report.scenario_ids:
        name = report.scenario_titles.get(sid, sid)
        cols += [(f"{name} {label('percent', lang)}", PERCENT), (f"{name} {label('result', lang)}", None)]
    cols += [(label("average", lang), PERCENT), (label("all_passed", lang), None)]
    for cid, result in report.categories.items():
        if not result.negative:
            cols.append((f"{_cat_name(report, cid)} {label('percent', lang)}", PERCENT))
        else:
            cols.append((f"{_cat_name(report, cid)} {label('said_some', lang)}", None))
    return cols


def rows(report: CohortReport, lang: str = "zh") -> Iterator[list[Cell]]:
    """One list per trainee (numbers stay numbers; None = not taken), streamed into the writers."""
    cats = list(report.categories.items())
    for row in report.rows:
        values: list[Cell] = [row.employee_id or None, row.trainee, row.attempts]
        for sid in report.scenario_ids:
            sheet = row.results.get(sid)
            values += [None if sheet is None or sheet.abandoned else sheet.percent,
                       result_word(None, lang) if sheet is None else sheet_verdict(sheet, lang)]
        values += [row.average, result_word(row.all_passed, lang)]
        for cid, cohort_result in cats:
            mine = row.categories.get(cid)
            if cohort_result.negative:
                values.append(None if mine is None else mine.said)
            else:
                values.append(None if mine is None else mine.percent)
        yield values


def summary(report: CohortReport, lang: str = "zh") -> list[tuple[str, str]]:
    weakest = join((_cat_name(report, c) for c in report.weakest), lang) or label("none", lang)
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


def to_csv(report: CohortReport, lang: str = "zh") -> bytes:
    """The table only (the stamp is in NAME.csv.sig), starting with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h, _ in columns(report, lang)])
    for values in rows(report, lang):
        writer.writerow(["" if v is None else safe_text(v) for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: CohortReport, lang: str = "zh") -> bytes:
    """A workbook written row by row with XlsxWriter: the cohort table with percent cells, an autofilter and a
    frozen header; the categories; the summary. Every text is written as text (never a formula or a link)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    head_fmt = workbook.add_format({"bold": True, "bg_color": "#EEF1F5", "text_wrap": True, "valign": "top",
                                    "border": 1, "border_color": "#BBBBBB"})
    pct_fmt = workbook.add_format({"num_format": "0.0%"})

    def write(sheet: Worksheet, r: int, values: list[Cell], kinds: list[str | None]) -> None:
        for c, (value, kind) in enumerate(zip(values, kinds, strict=False)):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                if kind == PERCENT:
                    sheet.write_number(r, c, value / 100.0, pct_fmt)
                else:
                    sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, strip_controls(str(value)))

    def header(sheet: Worksheet, words: list[str], widths: list[float]) -> None:
        for c, (w, width) in enumerate(zip(words, widths, strict=False)):
            sheet.write_string(0, c, strip_controls(w), head_fmt)
            sheet.set_column(c, c, width)

    cols = columns(report, lang)
    kinds = [k for _, k in cols]
    main = workbook.add_worksheet(_sheet_name(label("cohort_sheet", lang)))
    header(main, [w for w, _ in cols], [max(9.0, min(24.0, 1.6 * len(w) + 2)) for w, _ in cols])
    count = 0
    for count, values in enumerate(rows(report, lang), 1):
        write(main, count, values, kinds)
    main.freeze_panes(1, 2)  # header row and the employee id + name stay in view
    main.autofilter(0, 0, max(count, 1), len(cols) - 1)

    cats = workbook.add_worksheet(_sheet_name(label("categories", lang)))
    header(cats, [label("category", lang), label("percent", lang), label("said_never", lang),
                  label("said_some", lang), label("weakest", lang)], [20, 14, 14, 14, 14])
    for r, (cid, result) in enumerate(report.categories.items(), 1):
        write(cats, r, [_cat_name(report, cid), result.percent, result.clear if result.negative else None,
                        result.said if result.negative else None, "✔" if cid in report.weakest else None],
              [None, PERCENT, None, None, None])
    cats.freeze_panes(1, 0)
    cats.autofilter(0, 0, max(len(report.categories), 1), 4)

    info = workbook.add_worksheet(_sheet_name(label("summary", lang)))
    info.set_column(0, 0, 20)
    info.set_column(1, 1, 50)
    numbers = {label("pass_rate", lang): report.pass_rate, label("pass_mark", lang): report.pass_mark}
    for r, (key, value) in enumerate(summary(report, lang)):
        number = numbers.get(key)
        write(info, r, [key, value if number is None else number], [None, PERCENT])
    workbook.close()
    return buffer.getvalue()


def _sheet_name(words: str) -> str:
    return "".join(c for c in words if c not in "[]:*?/\\")[:31]


def to_html(report: CohortReport, lang: str = "zh") -> str:
    """First page(s): summary, scenarios as rows, categories as rows (chart); then the trainee list; then one
    page per trainee with their attempts' trend. Columns never grow with the number of scenarios."""
    title = label("cohort_sheet", lang)
    if report.session_code:
        title += f" — {report.session_code} {report.session_title or ''}".rstrip()
    body = [f"<h1>{text(title)}</h1>", '<table class="meta">']
    body += [f"<tr><td>{text(k)}</td>{cell(v)}</tr>" for k, v in summary(report, lang)]
    body.append("</table>")
    body += _scenario_table(report, lang)
    body += _category_section(report, lang)
    body += _trainee_table(report, lang)
    for row in report.rows:
        body += _trainee_page(report, row, lang)
    body.append(f'<p class="note">{text(label("integrity", lang))}</p>')
    return page(title, "\n".join(body), lang)


def _scenario_table(report: CohortReport, lang: str) -> list[str]:
    lines = []
    for sid in report.scenario_ids:
        sheets = [r.results.get(sid) for r in report.rows]
        taken = [s for s in sheets if s is not None]
        rate = round(100.0 * sum(s.passed for s in taken) / len(taken), 1) if taken else None
        mean = round(sum(s.percent for s in taken) / len(taken), 1) if taken else None
        lines.append(f"<tr>{cell(report.scenario_titles.get(sid, sid))}{cell(len(taken), 'num')}"
                     f"{cell('—' if rate is None else f'{rate:g}%', 'num')}"
                     f"{cell('—' if mean is None else f'{mean:g}%', 'num')}</tr>")
    headers = [(label("scenario", lang), None, 52), (label("taken", lang), "num", 14),
               (label("pass_rate", lang), "num", 17), (label("average", lang), "num", 17)]
    return [f"<h2>{text(label('scenarios', lang))}</h2>", table(headers, lines, ident="scenarios")]


def _category_section(report: CohortReport, lang: str) -> list[str]:
    items = [(_cat_name(report, c), r) for c, r in report.categories.items()]
    if not items:
        return []
    weakest = {_cat_name(report, c) for c in report.weakest}
    tied = {_cat_name(report, c) for c in ties(report.categories)}
    out = [f"<h2>{text(label('categories', lang))}</h2>",
           f'<figure id="category-chart">{category_chart(items, weakest, tied, lang, label("categories", lang))}'
           "</figure>"]
    notes = [label("category_note", lang)]
    if tied:
        notes.append(label("tie_note", lang))
    if any(r.negative for _, r in items):
        notes.append(label("negative_note", lang))
    if notes:
        out.append(f'<p class="note">{text(" ".join(notes))}</p>')
    return out


def _trainee_table(report: CohortReport, lang: str) -> list[str]:
    lines = [f"<tr>{cell(r.employee_id)}{cell(r.trainee)}{cell(r.attempts, 'num')}"
             f"{cell('—' if r.average is None else f'{r.average:g}%', 'num')}"
             f"{result_cell(r.all_passed, result_word(r.all_passed, lang))}</tr>" for r in report.rows]
    headers = [(label("employee_id", lang), None, 16), (label("trainee", lang), None, 36),
               (label("attempts", lang), "num", 12), (label("average", lang), "num", 18),
               (label("all_passed", lang), "word", 18)]
    return [f'<h2 class="page">{text(label("trainee", lang))}</h2>', table(headers, lines, ident="cohort")]


def _trainee_page(report: CohortReport, row: CohortRow, lang: str) -> list[str]:
    who = row.trainee + (f"（{label('employee_id', lang)} {row.employee_id}）" if row.employee_id else "")
    lines = []
    # a session's trainee page lists every scenario of the session; a report over the whole store lists the
    # scenarios this trainee took (not dozens of "not taken" rows)
    shown = report.scenario_ids if report.session_code else [sid for sid in report.scenario_ids if sid in row.history]
    for sid in shown:
        best = row.results.get(sid)
        history = row.history.get(sid, [])
        trend = " → ".join(f"{p:g}%" for p, _ in history) or "—"
        lines.append(f"<tr>{cell(report.scenario_titles.get(sid, sid))}"
                     f"{cell('—' if best is None else f'{best.percent:g}%', 'num')}"
                     f"{result_cell(None if best is None else best.passed, result_word(None if best is None else best.passed, lang))}"
                     f"<td>{trend_svg(history, report.pass_mark)} {text(trend)}</td></tr>")
    headers = [(label("scenario", lang), None, 34), (label("best", lang), "num", 12),
               (label("result", lang), "word", 12), (label("trend", lang), None, 42)]
    weakest = weakest_categories(row.categories, 3)
    focus = (f'<p class="verdict">{text(label("weakest", lang))}{colon(lang)}'
             f'{text(join((_cat_name(report, c) for c in weakest), lang))}</p>') if weakest else ""
    return [f'<section class="page trainee" data-trainee="{text(row.trainee)}">',
            f"<h2>{text(who)}</h2>", table(headers, lines), focus, "</section>"]
