"""One trainee's score sheet as Markdown, printable HTML or JSON."""

from __future__ import annotations

from html import escape

from roleplay.core.reports.html import cell, page, result_cell
from roleplay.core.reports.labels import label, result_word
from roleplay.core.reports.model import TraineeReport
from roleplay.core.reports.mdtext import md_escape
from roleplay.core.conversation.results import ScoreSheet


_md = md_escape


def _points(value: float) -> str:
    return f"{value:g}"


def _title(report: TraineeReport, lang: str) -> str:
    return f"{label('score_sheet', lang)} — {report.trainee}"


def _session(report: TraineeReport) -> str:
    if not report.session_code:
        return ""
    return f"{report.session_code} {report.session_title or ''}".strip()


def _category_rows(report: TraineeReport) -> list[tuple[str, float | None]]:
    return [(report.category_names.get(c, c), r.percent) for c, r in sorted(report.categories.items())]


def to_markdown(report: TraineeReport, lang: str = "zh") -> str:
    out = [f"# {_md(_title(report, lang))}", ""]
    out += [f"| {label('trainee', lang)} | {_md(report.trainee)} |", "|---|---|"]
    if report.session_code:
        out.append(f"| {label('session', lang)} | {_md(_session(report))} |")
    out += [f"| {label('generated', lang)} | {report.generated_at} |", ""]
    for n, (info, sheet) in enumerate(report.attempts, 1):
        out += _md_attempt(n, info, sheet, lang)
    if report.categories:
        out += [f"## {label('categories', lang)}", "", f"| {label('category', lang)} | {label('percent', lang)} |",
                "|---|---:|"]
        out += [f"| {_md(name)} | {'—' if p is None else f'{p:g}%'} |" for name, p in _category_rows(report)]
        out.append("")
    out += [f"_{label('integrity', lang)}_", ""]
    return "\n".join(out)


def _md_attempt(n: int, info, sheet: ScoreSheet, lang: str) -> list[str]:
    head = (f"## {n}. {_md(sheet.title)} ({_md(sheet.scenario)}) — {result_word(sheet.passed, lang)} "
            f"{_points(sheet.total)}/{_points(sheet.max)} ({sheet.percent:g}%)")
    out = [head, "",
           f"- {label('pass_mark', lang)}: {_points(sheet.pass_mark)}",
           f"- {label('started', lang)}: {sheet.started_at or info.started_at}; "
           f"{label('finished', lang)}: {sheet.finished_at or info.finished_at}",
           f"- {label('outcome', lang)}: {_md(sheet.outcome_text or sheet.outcome or '—')}"]
    out += [f"- {_md(line)}" for line in (sheet.verdict_note, *sheet.remembered) if line]
    if sheet.hard_failed:
        out.append(f"- {label('hard_fail', lang)}: {_md(', '.join(sheet.hard_failed))}")
    out += ["", f"| {label('check', lang)} | {label('points', lang)} | {label('result', lang)} | "
                f"{label('evidence', lang)} |", "|---|---:|---|---|"]
    for check in sheet.checks:
        why = "; ".join(check.evidence)
        if not check.passed and check.suggestion:
            why = (why + "; " if why else "") + f"{label('suggestion', lang)}: {check.suggestion}"
        out.append(f"| {_md(check.description)} | {_points(check.points)}/{_points(check.max_points)} | "
                   f"{result_word(check.passed, lang)} | {_md(why)} |")
    out += ["", f"### {label('transcript', lang)}", ""]
    for turn in sheet.turns:
        tags = f" `{', '.join(turn.labels)}`" if turn.labels else ""
        out.append(f"{turn.turn}. {label('reply', lang)}：{_md(turn.reply) or '…'}{tags}  ")
        out.append(f"   {label('client', lang)}：{_md(turn.client)}")
    out.append("")
    return out


def to_html(report: TraineeReport, lang: str = "zh") -> str:
    title = _title(report, lang)
    body = [f"<h1>{escape(title)}</h1>", '<table class="meta">',
            f"<tr><td>{label('trainee', lang)}</td>{cell(report.trainee)}</tr>"]
    if report.session_code:
        body.append(f"<tr><td>{label('session', lang)}</td>{cell(_session(report))}</tr>")
    body += [f"<tr><td>{label('generated', lang)}</td>{cell(report.generated_at)}</tr>", "</table>"]
    for n, (info, sheet) in enumerate(report.attempts, 1):
        body += _html_attempt(n, info, sheet, lang)
    if report.categories:
        body += [f"<h2>{label('categories', lang)}</h2>", "<table>",
                 f"<tr><th>{label('category', lang)}</th><th>{label('percent', lang)}</th></tr>"]
        body += [f"<tr>{cell(name)}{cell('—' if p is None else f'{p:g}%', 'num')}</tr>"
                 for name, p in _category_rows(report)]
        body.append("</table>")
    body.append(f'<p class="note">{escape(label("integrity", lang))}</p>')
    return page(title, "\n".join(body), lang)


def _html_attempt(n: int, info, sheet: ScoreSheet, lang: str) -> list[str]:
    verdict = "pass" if sheet.passed else "fail"
    out = [f'<section class="attempt" data-scenario="{escape(sheet.scenario)}">',
           f"<h2>{n}. {escape(sheet.title)} <small>({escape(sheet.scenario)})</small></h2>",
           '<table class="meta">',
           f"<tr><td>{label('score', lang)}</td><td><span class=\"{verdict}\">{result_word(sheet.passed, lang)}"
           f"</span> {_points(sheet.total)}/{_points(sheet.max)} ({sheet.percent:g}%)</td></tr>",
           f"<tr><td>{label('pass_mark', lang)}</td>{cell(_points(sheet.pass_mark))}</tr>",
           f"<tr><td>{label('started', lang)}</td>{cell(sheet.started_at or info.started_at)}</tr>",
           f"<tr><td>{label('outcome', lang)}</td>{cell(sheet.outcome_text or sheet.outcome or '—')}</tr>"]
    out += [f"<tr><td></td>{cell(line)}</tr>" for line in (sheet.verdict_note, *sheet.remembered) if line]
    if sheet.hard_failed:
        out.append(f"<tr><td>{label('hard_fail', lang)}</td>{cell(', '.join(sheet.hard_failed), 'fail')}</tr>")
    out += ["</table>", "<table>",
            f"<tr><th>{label('check', lang)}</th><th>{label('points', lang)}</th><th>{label('result', lang)}</th>"
            f"<th>{label('evidence', lang)}</th></tr>"]
    for check in sheet.checks:
        why = "; ".join(check.evidence)
        if not check.passed and check.suggestion:
            why = (why + "; " if why else "") + f"{label('suggestion', lang)}: {check.suggestion}"
        out.append(f"<tr>{cell(check.description)}{cell(f'{_points(check.points)}/{_points(check.max_points)}', 'num')}"
                   f"{result_cell(check.passed, result_word(check.passed, lang))}{cell(why)}</tr>")
    out += ["</table>", f"<h3>{label('transcript', lang)}</h3>", "<table>",
            f"<tr><th>{label('turn', lang)}</th><th>{label('reply', lang)}</th><th>{label('client', lang)}</th>"
            f"<th>{label('labels', lang)}</th></tr>"]
    for turn in sheet.turns:
        out.append(f"<tr>{cell(turn.turn, 'num')}{cell(turn.reply or '…')}{cell(turn.client)}"
                   f"{cell(', '.join(turn.labels))}</tr>")
    out += ["</table>", "</section>"]
    return out


def to_json(report: TraineeReport) -> dict:
    return {
        "kind": "trainee-score-sheet",
        "trainee": report.trainee,
        "session": report.session_code,
        "session_title": report.session_title,
        "generated_at": report.generated_at,
        "attempts": [{"attempt_id": info.id, **sheet.to_dict()} for info, sheet in report.attempts],
        "categories": {c: {"won": r.won, "possible": r.possible, "percent": r.percent}
                       for c, r in sorted(report.categories.items())},
    }
