"""One trainee's score sheet as Markdown, printable HTML or JSON — in words, with the trend of their attempts."""

from __future__ import annotations

from typing import Any, cast

from roleplay.core.content.safetext import strip_controls
from roleplay.core.conversation.results import CheckResult, ScoreSheet
from roleplay.core.reports.facts import ScenarioFacts
from roleplay.core.reports.html import cell, page, result_cell, table, text, trend_svg
from roleplay.core.reports.labels import label, result_word, sheet_verdict
from roleplay.core.reports.mdtext import md_escape
from roleplay.core.reports.model import TraineeReport
from roleplay.core.store import AttemptInfo
from roleplay.core.reports.words import evidence_lines, over_time, suggestion_words, turn_labels, verdict_sentence


def _md(value: object) -> str:
    return md_escape(strip_controls("" if value is None else str(value)))


def _num(value: float) -> str:
    return f"{value:g}"


def _facts(report: TraineeReport) -> ScenarioFacts:
    return report.facts or ScenarioFacts()


def _title(report: TraineeReport, lang: str) -> str:
    return f"{label('score_sheet', lang)} — {report.trainee}"


def _session(report: TraineeReport) -> str:
    return f"{report.session_code} {report.session_title or ''}".strip() if report.session_code else ""


def _category_rows(report: TraineeReport, lang: str) -> list[tuple[str, str]]:
    out = []
    for cid, r in sorted(report.categories.items()):
        name = report.category_names.get(cid) or cid.replace("_", " ")
        if r.negative:
            shown = f"{label('said_never', lang)} {r.clear} · {label('said_some', lang)} {r.said}"
        else:
            shown = "—" if r.percent is None else f"{r.percent:g}%"
        out.append((name, shown))
    return out


def _why(check: CheckResult, sheet: ScoreSheet, facts: ScenarioFacts, lang: str) -> list[str]:
    lines = evidence_lines(check, sheet, facts, lang) or ([label("no_evidence", lang)] if not check.passed else [])
    if not check.passed and check.suggestion:
        lines.append(f"{label('suggestion', lang)}：{suggestion_words(check, sheet, facts, lang)}" if lang != "en"
                     else f"{label('suggestion', lang)}: {suggestion_words(check, sheet, facts, lang)}")
    return lines


def _trend_words(report: TraineeReport, scenario: str) -> str:
    return " → ".join(f"{p:g}%" for p, _ in report.trend().get(scenario, []))


def to_markdown(report: TraineeReport, lang: str = "zh") -> str:
    facts = _facts(report)
    out = [f"# {_md(_title(report, lang))}", ""]
    out += [f"| {label('trainee', lang)} | {_md(report.name)} |", "|---|---|",
            f"| {label('employee_id', lang)} | {_md(report.employee_id) or '—'} |"]
    if report.session_code:
        out.append(f"| {label('session', lang)} | {_md(_session(report))} |")
    out += [f"| {label('generated', lang)} | {report.generated_at} |", ""]
    for n, (info, sheet) in enumerate(report.attempts, 1):
        out += _md_attempt(n, info, sheet, facts, lang, report)
    if report.categories:
        out += [f"## {label('categories', lang)}", "", f"| {label('category', lang)} | {label('percent', lang)} |",
                "|---|---:|"]
        out += [f"| {_md(name)} | {shown} |" for name, shown in _category_rows(report, lang)]
        out += ["", f"_{label('category_note', lang)}_", ""]
    out += [f"_{label('integrity', lang)}_", ""]
    return "\n".join(out)


def _md_attempt(n: int, info: AttemptInfo, sheet: ScoreSheet, facts: ScenarioFacts, lang: str, report: TraineeReport) -> list[str]:
    score = "" if sheet.abandoned else f" {_num(sheet.total)}/{_num(sheet.max)} ({sheet.percent:g}%)"
    head = f"## {n}. {_md(sheet.title)} — {sheet_verdict(sheet, lang)}{score}"
    out = [head, "", f"> {_md(verdict_sentence(sheet, facts, lang))}", "",
           f"- {label('started', lang)}: {sheet.started_at or info.started_at}; "
           f"{label('finished', lang)}: {sheet.finished_at or info.finished_at}"]
    if len(report.trend().get(sheet.scenario, [])) > 1:
        out.append(f"- {label('trend', lang)}: {_trend_words(report, sheet.scenario)}")
    out += [f"- {_md(line)}" for line in sheet.remembered]
    out += ["", f"| {label('check', lang)} | {label('points', lang)} | {label('result', lang)} | "
                f"{label('evidence', lang)} |", "|---|---:|---|---|"]
    for check in sheet.checks:
        hard = f" ({label('hard_fail', lang)})" if check.hard_fail else ""
        why = "<br>".join(_md(line) for line in _why(check, sheet, facts, lang))
        out.append(f"| {_md(check.description)}{hard} | {_num(check.points)}/{_num(check.max_points)} | "
                   f"{result_word(check.passed, lang)} | {why} |")
    out += ["", f"### {label('transcript', lang)}", ""]
    for turn in sheet.turns:
        tags = turn_labels(turn.evidence, facts, lang)
        late = f" ({label('over_time', lang)})" if over_time(turn) else ""
        said = _md(turn.reply) or label("silence", lang)
        out.append(f"{turn.turn}. {label('reply', lang)}：{said}{f' — {_md(tags)}' if tags else ''}{late}  ")
        if turn.client:
            out.append(f"   {label('client', lang)}：{_md(turn.client)}")
    out.append("")
    return out


def to_html(report: TraineeReport, lang: str = "zh", embed_font: bool = True) -> str:
    facts = _facts(report)
    title = _title(report, lang)
    body = [f"<h1>{text(title)}</h1>", '<table class="meta">',
            f"<tr><td>{label('trainee', lang)}</td>{cell(report.name)}</tr>",
            f"<tr><td>{label('employee_id', lang)}</td>{cell(report.employee_id or '—')}</tr>"]
    if report.session_code:
        body.append(f"<tr><td>{label('session', lang)}</td>{cell(_session(report))}</tr>")
    body += [f"<tr><td>{label('generated', lang)}</td>{cell(report.generated_at)}</tr>", "</table>"]
    body += _html_trend(report, lang)
    for n, (info, sheet) in enumerate(report.attempts, 1):
        body += _html_attempt(n, info, sheet, facts, lang)
    if report.categories:
        rows = [f"<tr>{cell(name)}{cell(shown, 'num')}</tr>" for name, shown in _category_rows(report, lang)]
        body += [f"<h2>{label('categories', lang)}</h2>",
                 table([(label("category", lang), None, 50), (label("percent", lang), "num", 50)], rows),
                 f'<p class="note">{text(label("category_note", lang))}</p>']
    body.append(f'<p class="note">{text(label("integrity", lang))}</p>')
    return page(title, "\n".join(body), lang, embed_font)


def _html_trend(report: TraineeReport, lang: str) -> list[str]:
    trend = report.trend()
    if not any(len(points) > 1 for points in trend.values()):
        return []
    titles = {sheet.scenario: sheet.title for _, sheet in report.attempts}
    rows = [f"<tr>{cell(titles[sid])}<td>{trend_svg(points)} {text(_trend_words(report, sid))}</td></tr>"
            for sid, points in trend.items()]
    return [f"<h2>{text(label('trend', lang))}</h2>",
            table([(label("scenario", lang), None, 40), (label("trend", lang), None, 60)], rows)]


def _html_attempt(n: int, info: AttemptInfo, sheet: ScoreSheet, facts: ScenarioFacts, lang: str) -> list[str]:
    verdict = "pass" if sheet.passed else "fail"
    out = [f'<section class="attempt{" page" if n > 1 else ""}" data-scenario="{text(sheet.scenario)}">',
           f"<h2>{n}. {text(sheet.title)}</h2>",
           f'<p class="verdict"><span class="{verdict}">{sheet_verdict(sheet, lang)}</span> '
           + ("" if sheet.abandoned else f"{_num(sheet.total)}/{_num(sheet.max)} ({sheet.percent:g}%) ")
           + f"— {text(verdict_sentence(sheet, facts, lang))}</p>",
           '<table class="meta">',
           f"<tr><td>{label('started', lang)}</td>{cell(sheet.started_at or info.started_at)}</tr>",
           f"<tr><td>{label('finished', lang)}</td>{cell(sheet.finished_at or info.finished_at)}</tr>",
           *(f"<tr><td></td>{cell(line)}</tr>" for line in sheet.remembered), "</table>"]
    rows = []
    for check in sheet.checks:
        hard = f" ({label('hard_fail', lang)})" if check.hard_fail else ""
        why = "<br>".join(text(line) for line in _why(check, sheet, facts, lang))
        rows.append(f"<tr>{cell(check.description + hard)}"
                    f"{cell(f'{_num(check.points)}/{_num(check.max_points)}', 'num')}"
                    f"{result_cell(check.passed, result_word(check.passed, lang))}<td>{why}</td></tr>")
    out.append(table([(label("check", lang), None, 30), (label("points", lang), "num", 10),
                      (label("result", lang), "word", 12), (label("evidence", lang), None, 48)], rows))
    rows = []
    for turn in sheet.turns:
        late = f" ({label('over_time', lang)})" if over_time(turn) else ""
        rows.append(f"<tr>{cell(turn.turn, 'num')}{cell((turn.reply or label('silence', lang)) + late)}"
                    f"{cell(turn.client)}{cell(turn_labels(turn.evidence, facts, lang))}</tr>")
    out += [f"<h3>{label('transcript', lang)}</h3>",
            table([(label("turn", lang), "num", 7), (label("reply", lang), None, 38), (label("client", lang), None, 38),
                   (label("labels", lang), None, 17)], rows), "</section>"]
    return out


def _clean(value: Any) -> Any:
    """Every string of the JSON sheet without control characters (the store keeps what was typed)."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _words(sheet: ScoreSheet, facts: ScenarioFacts, lang: str) -> dict[str, Any]:
    """What the printed sheet says, for tools that show it: the verdict sentence and each check in words."""
    return {"language": lang, "result": sheet_verdict(sheet, lang), "verdict": verdict_sentence(sheet, facts, lang),
            "checks": [{"check": c.description, "result": result_word(c.passed, lang),
                        "evidence": evidence_lines(c, sheet, facts, lang),
                        "suggestion": suggestion_words(c, sheet, facts, lang) if not c.passed else ""}
                       for c in sheet.checks]}


def to_json(report: TraineeReport, lang: str = "zh") -> dict[str, Any]:
    facts = _facts(report)
    return cast("dict[str, Any]", _clean({  # a dict in gives a dict out
        "kind": "trainee-score-sheet",
        "trainee": report.trainee,
        "employee_id": report.employee_id or None,
        "session": report.session_code,
        "session_title": report.session_title,
        "generated_at": report.generated_at,
        "attempts": [{"attempt_id": info.id, **sheet.to_dict(), "words": _words(sheet, facts, lang)}
                     for info, sheet in report.attempts],
        "categories": {c: ({"clear": r.clear, "said": r.said} if r.negative else
                           {"won": r.won, "possible": r.possible, "percent": r.percent})
                       for c, r in sorted(report.categories.items())},
    }))
