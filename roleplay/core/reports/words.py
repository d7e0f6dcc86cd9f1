"""A score sheet in words: evidence as the trainee's words and the category, states by description, one verdict."""

from __future__ import annotations

import re

from roleplay.core.matching.scored import cue_list_in, is_cue_list
from roleplay.core.content.safetext import strip_controls
from roleplay.core.conversation.results import CheckResult, Evidence, ScoreSheet
from roleplay.core.reports.facts import ScenarioFacts
from roleplay.core.reports.labels import join, label

_PHRASE_KINDS = ("said", "never", "order")
_REACH_KINDS = ("reach", "turn_budget")
# what a stored evidence line of an older sheet looks like: "第 2 句: words ≈ phrase (问候 100)"
_STORED_LINE = re.compile(r"≈ .*? \((?P<name>[^()]*?) [0-9.]+\)")
_QUOTED = re.compile(r'("[^"]*"|“[^”]*”)')  # a quoted phrase: a capturing split keeps it whole


def _num(value: float) -> str:
    return f"{value:g}"


def outcome_words(sheet: ScoreSheet, lang: str) -> str:
    key = f"outcome.{sheet.outcome}" if sheet.outcome else "outcome.none"
    try:
        return label(key, lang)
    except KeyError:
        return strip_controls(sheet.outcome or "")


def verdict_sentence(sheet: ScoreSheet, facts: ScenarioFacts, lang: str) -> str:
    """How the conversation ended and whether that passes, in one sentence (a failed goal can still pass)."""
    if getattr(sheet, "abandoned", False):
        return label("verdict.abandoned", lang)
    state = facts.state_name(sheet.scenario, sheet.final_state) if sheet.ended or sheet.outcome else None
    shown = "" if not state else (f"（{state}）" if lang != "en" else f" ({state})")
    values = {"outcome": outcome_words(sheet, lang), "state": shown, "percent": _num(sheet.percent),
              "pass_mark": _num(_pass_percent(sheet))}
    goal = sheet.outcome == "success"
    if sheet.passed:
        return label("verdict.pass_goal" if goal else "verdict.pass_no_goal", lang, **values)
    if sheet.hard_failed and sheet.percent >= _pass_percent(sheet):
        names = join((c.description for c in sheet.checks if c.id in sheet.hard_failed), lang) or str(len(sheet.hard_failed))
        return label("verdict.fail_hard", lang, checks=names, **values)
    return label("verdict.fail_score" if goal else "verdict.fail_both", lang, **values)


def _pass_percent(sheet: ScoreSheet) -> float:
    """The pass mark as a percentage of the maximum (sheets store it in points)."""
    return round(100.0 * sheet.pass_mark / sheet.max, 1) if sheet.max else sheet.pass_mark


def evidence_lines(check: CheckResult, sheet: ScoreSheet, facts: ScenarioFacts, lang: str) -> list[str]:
    """What earned or cost the check's points, in words: `第 2 句：“您这办公室真气派” ≈ 赞美 · 例：…`."""
    cats = set(facts(sheet.scenario).get(check.id, []))
    if check.kind in _PHRASE_KINDS and cats and check.turns:
        lines = []
        for n in check.turns:
            turn = sheet.turns[n - 1] if 0 < n <= len(sheet.turns) else None
            hits = [e for e in (turn.evidence + turn.taboo if turn else []) if e.category in cats]
            if hits:
                lines.append(_evidence_line(n, hits[0], facts, lang))
        if lines:
            return lines
    if check.kind == "did" and check.turns:
        lines = []
        for n in check.turns:
            turn = sheet.turns[n - 1] if 0 < n <= len(sheet.turns) else None
            name = facts.action_label(sheet.scenario, turn.action if turn else None)
            if name:
                lines.append(label("evidence.action", lang, turn=label("evidence.turn", lang, n=n), action=name))
        if lines:
            return lines
    if check.kind in _REACH_KINDS:
        return [_with_state_names(line, facts.state_names(sheet.scenario, lang)) for line in check.evidence]
    return [_stored_line(line) for line in check.evidence]


def suggestion_words(check: CheckResult, sheet: ScoreSheet, facts: ScenarioFacts, lang: str) -> str:
    """The check's suggestion with states named in words (older sheets may name a state by its id)."""
    if not check.suggestion:
        return ""
    if check.kind in _REACH_KINDS:
        return _with_state_names(check.suggestion, facts.state_names(sheet.scenario, lang))
    return strip_controls(check.suggestion)


def _evidence_line(turn: int, ev: Evidence, facts: ScenarioFacts, lang: str) -> str:
    name = facts.name(ev.category, lang)
    words = strip_controls(ev.text).strip()
    line = label("evidence.line", lang, turn=label("evidence.turn", lang, n=turn), words=words, category=name)
    if is_cue_list(ev.phrase):  # a trained scorer's decision: its cues are the why, not an example to copy
        return line + " · " + strip_controls(cue_list_in(ev.phrase, lang))
    example = ev.phrase if ev.phrase and "{" not in ev.phrase else facts.example(ev.category, lang)
    if example and example != words:
        line += " · " + label("evidence.example", lang, phrase=strip_controls(example))
    return line


def _stored_line(line: str) -> str:
    """An evidence line stored by an older roleplay, without its raw phrasebook phrase (it may be a template)."""
    return _STORED_LINE.sub(lambda m: f"≈ {m['name']}", strip_controls(line))


def _with_state_names(line: str, names: dict[str, str]) -> str:
    """State ids named in words, outside quoted phrases: a phrase to say is quoted as written (a state called
    `question` must not turn "I have noted your question…" into "…your An out-of-scope question…")."""
    parts = _QUOTED.split(line)
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        for sid, description in sorted(names.items(), key=lambda kv: -len(kv[0])):
            parts[i] = re.sub(rf"(?<![\w]){re.escape(sid)}(?![\w])", description, parts[i])
    return strip_controls("".join(parts))


def turn_labels(evidence: list[Evidence], facts: ScenarioFacts, lang: str) -> str:
    """The categories recognised in one reply, by name (`问候、自我介绍`)."""
    names = list(dict.fromkeys(facts.name(e.category, lang) for e in evidence))
    return join(names, lang)


def state_words(facts: ScenarioFacts, scenario_id: str, state_id: str | None) -> str:
    """A state as a trainee can read it: the description, or nothing."""
    return facts.state_name(scenario_id, state_id) or ""


def over_time(turn: object) -> bool:
    """Whether the reply came after the session's time limit (stored per turn by the attempt)."""
    return bool(getattr(turn, "over_time", False))
