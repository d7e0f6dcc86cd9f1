"""Score sheets and transcripts rendered as plain text, Markdown or JSON (in the scenario's language)."""

from __future__ import annotations

import json

from roleplay.core.reports.mdtext import md_escape
from roleplay.core.conversation.results import ScoreSheet, TurnResult

_L = {
    "zh": {
        "trainee": "学员", "client": "客户", "you": "你", "score": "得分", "pass_mark": "及格线",
        "passed": "通过", "failed": "未通过", "outcome": "结果", "final_state": "结束状态", "none": "（未结束）",
        "checks": "评分项", "turns": "逐句记录", "suggest": "建议", "hard": "一票否决", "seed": "随机种子",
        "labels": "识别", "rule": "规则", "fallback": "未命中规则", "mood": "心情", "taboo": "忌语",
        "check": "评分项", "points": "得分", "evidence": "依据", "turn": "句", "reply": "回答",
        "hard_failed": "一票否决项未通过", "colon": "：",
    },
    "en": {
        "trainee": "Trainee", "client": "Client", "you": "You", "score": "Score", "pass_mark": "pass mark",
        "passed": "PASSED", "failed": "FAILED", "outcome": "Outcome", "final_state": "final state",
        "none": "(not finished)", "checks": "Checks", "turns": "Turns", "suggest": "suggestion",
        "hard": "hard fail", "seed": "seed", "labels": "recognised", "rule": "rule", "fallback": "no rule matched",
        "mood": "mood", "taboo": "taboo", "check": "Check", "points": "Points", "evidence": "Evidence",
        "turn": "Turn", "reply": "Reply", "hard_failed": "hard-fail checks failed", "colon": ": ",
    },
}


def _l(sheet: ScoreSheet) -> dict[str, str]:
    return _L.get(sheet.language, _L["en"])


def _points(value: float) -> str:
    return f"{value:g}"


def transcript_text(opening: str, turns: list[TurnResult], lang: str) -> str:
    """The conversation as lines: `客户：…` / `你：…` (no space after the prefix, see DESIGN.md)."""
    t = _L.get(lang, _L["en"])
    rows = [f"{t['client']}{t['colon']}{opening}"] if opening else []
    for turn in turns:
        rows.append(f"{t['you']}{t['colon']}{turn.reply}")
        if turn.client:
            rows.append(f"{t['client']}{t['colon']}{turn.client}")
    return "\n".join(rows)


def _outcome(sheet: ScoreSheet, t: dict[str, str]) -> str:
    """The outcome in words (older sheets without outcome_text: the outcome id)."""
    return sheet.outcome_text or sheet.outcome or t["none"]


def _labels(turn: TurnResult) -> str:
    return ", ".join(f"{e.category}({e.score:g})" for e in turn.evidence) or "-"


def sheet_text(sheet: ScoreSheet) -> str:
    t = _l(sheet)
    verdict = t["passed"] if sheet.passed else t["failed"]
    rows = [
        f"{sheet.title} ({sheet.scenario})",
        f"{t['trainee']}{t['colon']}{sheet.trainee}   {t['seed']} {sheet.seed}   "
        f"{t['outcome']}{t['colon']}{_outcome(sheet, t)}",
        f"{t['score']}{t['colon']}{_points(sheet.total)}/{_points(sheet.max)} "
        f"({t['pass_mark']} {_points(sheet.pass_mark)}) {verdict}",
    ]
    rows += [line for line in (sheet.verdict_note, *sheet.remembered) if line]
    if sheet.hard_failed:
        rows.append(f"{t['hard_failed']}{t['colon']}{', '.join(sheet.hard_failed)}")
    rows += ["", f"{t['checks']}:"]
    for c in sheet.checks:
        mark = "✓" if c.passed else "✗"
        hard = f" [{t['hard']}]" if c.hard_fail else ""
        rows.append(f"  {mark} {c.id:<14} {_points(c.points):>5}/{_points(c.max_points):<4} {c.description}{hard}")
        rows.extend(f"      {line}" for line in c.evidence)
        if c.suggestion:
            rows.append(f"      → {t['suggest']}{t['colon']}{c.suggestion}")
    rows += ["", f"{t['turns']}:"]
    for turn in sheet.turns:
        rule = turn.rule or t["fallback"]
        rows.append(f"  {turn.turn:>2} [{turn.state}→{turn.next_state}] {t['you']}{t['colon']}{turn.reply}")
        rows.append(f"     {t['labels']}{t['colon']}{_labels(turn)}   {t['rule']}{t['colon']}{rule}   "
                    f"{t['mood']} {turn.mood:+d} ({turn.mood_delta:+d})")
        for remark in turn.feedback:
            rows.append(f"     ! {remark}")
    return "\n".join(rows)


_md_cell = md_escape


def sheet_markdown(sheet: ScoreSheet) -> str:
    t = _l(sheet)
    verdict = t["passed"] if sheet.passed else t["failed"]
    rows = [
        f"# {sheet.title}",
        "",
        f"- {t['trainee']}{t['colon']}{sheet.trainee}",
        f"- {t['score']}{t['colon']}**{_points(sheet.total)}/{_points(sheet.max)}** "
        f"({t['pass_mark']} {_points(sheet.pass_mark)}): **{verdict}**",
        f"- {t['outcome']}{t['colon']}{_md_cell(_outcome(sheet, t))}",
        *(f"- {_md_cell(line)}" for line in (sheet.verdict_note, *sheet.remembered) if line),
        f"- `{sheet.scenario}`, {t['seed']} {sheet.seed}",
        "",
        f"## {t['checks']}",
        "",
        f"| | {t['check']} | {t['points']} | {t['evidence']} | {t['suggest']} |",
        "|---|---|---|---|---|",
    ]
    for c in sheet.checks:
        mark = "✓" if c.passed else "✗"
        hard = f" ({t['hard']})" if c.hard_fail else ""
        rows.append(f"| {mark} | {_md_cell(c.description)}{hard} | {_points(c.points)}/{_points(c.max_points)} | "
                    f"{'<br>'.join(_md_cell(e) for e in c.evidence)} | {_md_cell(c.suggestion or '')} |")
    rows += ["", f"## {t['turns']}", "", f"| {t['turn']} | {t['reply']} | {t['labels']} | {t['client']} | {t['mood']} |",
             "|---|---|---|---|---|"]
    for turn in sheet.turns:
        rows.append(f"| {turn.turn} | {_md_cell(turn.reply)} | {_md_cell(_labels(turn))} | "
                    f"{_md_cell(turn.client)} | {turn.mood:+d} |")
    return "\n".join(rows) + "\n"


def sheet_json(sheet: ScoreSheet, *, indent: int | None = None) -> str:
    return json.dumps(sheet.to_dict(), ensure_ascii=False, indent=indent)


def render_sheet(sheet: ScoreSheet, fmt: str = "text") -> str:
    """`text`, `markdown` (or `md`) or `json`."""
    if fmt == "json":
        return sheet_json(sheet)
    if fmt in ("markdown", "md"):
        return sheet_markdown(sheet)
    return sheet_text(sheet)
