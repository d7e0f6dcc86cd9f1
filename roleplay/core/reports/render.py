"""A score sheet and transcript as plain text, Markdown or JSON (in the scenario's language, in words)."""

from __future__ import annotations

import json

from roleplay.core.content.safetext import strip_controls
from roleplay.core.conversation.results import ScoreSheet, TurnResult
from roleplay.core.reports.facts import ScenarioFacts
from roleplay.core.reports.labels import colon, label, sheet_verdict
from roleplay.core.reports.mdtext import md_escape
from roleplay.core.reports.words import (evidence_lines, over_time, state_words, suggestion_words, turn_labels,
                                         verdict_sentence)


def _num(value: float) -> str:
    return f"{value:g}"


def transcript_text(opening: str, turns: list[TurnResult], lang: str) -> str:
    """The conversation as lines: `客户：…` / `你：…` (no space after the prefix, see DESIGN.md)."""
    c = colon(lang)
    rows = [f"{label('client', lang)}{c}{strip_controls(opening)}"] if opening else []
    for turn in turns:
        rows.append(f"{label('you', lang)}{c}{strip_controls(turn.reply)}")
        if turn.client:
            rows.append(f"{label('client', lang)}{c}{strip_controls(turn.client)}")
    return "\n".join(rows)


def _score(sheet: ScoreSheet) -> str:
    """`48.3/100 (48.3%) ` — nothing for an abandoned attempt, which has no meaningful score."""
    return "" if sheet.abandoned else f"{_num(sheet.total)}/{_num(sheet.max)} ({sheet.percent:g}%) "


def _facts(sheet: ScoreSheet, facts: ScenarioFacts | None) -> ScenarioFacts:
    return facts if facts is not None else ScenarioFacts()


def sheet_text(sheet: ScoreSheet, facts: ScenarioFacts | None = None) -> str:
    lang, facts = sheet.language, _facts(sheet, facts)
    c = colon(lang)
    rows = [
        strip_controls(sheet.title),
        f"{label('trainee', lang)}{c}{strip_controls(sheet.trainee)}",
        f"{label('score', lang)}{c}{_score(sheet)}{sheet_verdict(sheet, lang)}",
        verdict_sentence(sheet, facts, lang),
        *(strip_controls(line) for line in sheet.remembered),
        "", f"{label('checks', lang)}{c}",
    ]
    for check in sheet.checks:
        mark = "✓" if check.passed else "✗"
        hard = f" [{label('hard_fail', lang)}]" if check.hard_fail else ""
        rows.append(f"  {mark} {_num(check.points):>5}/{_num(check.max_points):<4} {strip_controls(check.description)}{hard}")
        rows.extend(f"      {line}" for line in evidence_lines(check, sheet, facts, lang))
        if not check.passed and check.suggestion:
            rows.append(f"      → {label('suggestion', lang)}{c}{suggestion_words(check, sheet, facts, lang)}")
    rows += ["", f"{label('transcript', lang)}{c}"]
    for turn in sheet.turns:
        where = state_words(facts, sheet.scenario, turn.state)
        late = f"   ⏱ {label('over_time', lang)}" if over_time(turn) else ""
        rows.append(f"  {turn.turn:>2} {label('you', lang)}{c}{strip_controls(turn.reply) or label('silence', lang)}"
                    + late + (f"   [{where}]" if where else ""))
        tags = turn_labels(turn.evidence, facts, lang) or "—"
        rows.append(f"     {label('labels', lang)}{c}{tags}   {label('mood', lang)} {turn.mood:+d} ({turn.mood_delta:+d})")
        for remark in turn.feedback:
            rows.append(f"     ! {strip_controls(remark)}")
    return "\n".join(rows)


def sheet_markdown(sheet: ScoreSheet, facts: ScenarioFacts | None = None) -> str:
    lang, facts = sheet.language, _facts(sheet, facts)
    c = colon(lang)

    def md(value: str) -> str:
        return md_escape(strip_controls(value))

    rows = [
        f"# {md(sheet.title)}", "",
        f"- {label('trainee', lang)}{c}{md(sheet.trainee)}",
        f"- {label('score', lang)}{c}{_score(sheet)}**{sheet_verdict(sheet, lang)}**",
        f"- {md(verdict_sentence(sheet, facts, lang))}",
        *(f"- {md(line)}" for line in sheet.remembered), "",
        f"## {label('checks', lang)}", "",
        f"| | {label('check', lang)} | {label('points', lang)} | {label('evidence', lang)} | {label('suggestion', lang)} |",
        "|---|---|---|---|---|",
    ]
    for check in sheet.checks:
        mark = "✓" if check.passed else "✗"
        hard = f" ({label('hard_fail', lang)})" if check.hard_fail else ""
        evidence = "<br>".join(md(e) for e in evidence_lines(check, sheet, facts, lang))
        rows.append(f"| {mark} | {md(check.description)}{hard} | {_num(check.points)}/{_num(check.max_points)} | "
                    f"{evidence} | {md(suggestion_words(check, sheet, facts, lang))} |")
    rows += ["", f"## {label('transcript', lang)}", "",
             f"| {label('turn', lang)} | {label('reply', lang)} | {label('labels', lang)} | {label('client', lang)} | "
             f"{label('mood', lang)} |", "|---|---|---|---|---|"]
    for turn in sheet.turns:
        late = f" ⏱ {label('over_time', lang)}" if over_time(turn) else ""
        rows.append(f"| {turn.turn} | {md(turn.reply)}{late} | {md(turn_labels(turn.evidence, facts, lang))} | "
                    f"{md(turn.client)} | {turn.mood:+d} |")
    return "\n".join(rows) + "\n"


def sheet_json(sheet: ScoreSheet, *, indent: int | None = None) -> str:
    return json.dumps(sheet.to_dict(), ensure_ascii=False, indent=indent)


def render_sheet(sheet: ScoreSheet, fmt: str = "text", facts: ScenarioFacts | None = None) -> str:
    """`text`, `markdown` (or `md`) or `json`."""
    if fmt == "json":
        return sheet_json(sheet)
    if fmt in ("markdown", "md"):
        return sheet_markdown(sheet, facts)
    return sheet_text(sheet, facts)
