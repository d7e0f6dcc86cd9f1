"""Rubric scoring: every check becomes a CheckResult with its points, evidence and, when missed, a suggestion.

Evidence always names the turn, the trainee's words and the phrasebook phrase with its score, so
every point on a score sheet can be explained; a missed check suggests a phrasebook phrase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.core.lang.profile import profile
from roleplay.core.phrasebook.grammar import display, parse
from roleplay.core.conversation.outcomes import outcome_words, remembered, state_in_words, verdict_note
from roleplay.core.conversation.results import CheckResult, Evidence, ScoreSheet, TurnResult
from roleplay.core.conversation.version import content_version
from roleplay.core.scenario.rubric import Check

if TYPE_CHECKING:
    from roleplay.core.conversation.engine import Session
    from roleplay.core.scenario.model import Rule

_T = {
    "zh": {
        "say": "可以说：“{phrase}”", "type": "输入 /{action}（{label}）", "state": "（在“{states}”阶段）",
        "first": "（前 {n} 句之内）", "times": "（至少 {n} 次）", "avoid": "第 {turn} 句“{text}”属于{name}，换个说法：",
        "order": "先说“{first}”，再谈{then}", "reach": "到达“{state}”：{how}", "budget": "在 {n} 句之内完成",
        "took": "第 {turn} 句到达“{state}”（上限 {n} 句）", "not_reached": "未到达 {states}",
        "pick": "应准备：{items}", "drop": "不必带：{items}", "picked": "已选：{items}", "wrong": "多选：{items}",
        "mood": "结束时客户心情 {mood}（要求 ≥ {need}）", "warm": "让客户心情更好，",
        "none": "无", "before": "{a}，在 {b} 之前", "missing_first": "始终没有{name}",
        "clean": "{n} 句回答中没有{name}",
        "absent": "没有真正参与对话（没有说出任何考核要点，也没有推进对话），这一项不得分",
        "take_part": "先按任务说明推进对话，这一项才算数",
    },
    "en": {
        "say": "you could say: \"{phrase}\"", "type": "type /{action} ({label})", "state": " (during: {states})",
        "first": " (within the first {n} replies)", "times": " (at least {n} times)",
        "avoid": "turn {turn}: \"{text}\" is {name}; instead, ",
        "order": "say \"{first}\" before getting to {then}", "reach": "to reach {state}: {how}",
        "budget": "finish within {n} replies", "took": "reached {state} at turn {turn} (budget {n})",
        "not_reached": "{states} not reached", "pick": "take: {items}", "drop": "leave out: {items}",
        "picked": "picked: {items}", "wrong": "wrongly picked: {items}",
        "mood": "client's mood at the end {mood} (needed >= {need})", "warm": "warm the client up: ",
        "none": "none", "before": "{a}, before {b}", "missing_first": "never said {name}",
        "clean": "no {name} in {n} replies",
        "absent": "did not really take part (no recognised move, the talk never got past the opening): no points",
        "take_part": "take the conversation forward as the brief says; then this check counts",
    },
}


def suggest_phrase(session: Session, category: str) -> str:
    """A phrase that carries `category`: the scenario's own phrases first, then the phrasebook's."""
    local = session.scenario.categories.get(category)
    if local and local.phrases:
        return local.phrases[0]
    phrases = session.matcher.phrasebook.phrases(category, session.lang)
    return phrases[0] if phrases else ""


def _name(session: Session, cid: str) -> str:
    cat = session.matcher.phrasebook.categories.get(cid)
    return cat.name(session.lang) if cat else cid


def _evidence_line(session: Session, turn: TurnResult, ev: Evidence) -> str:
    phrase = display(parse(ev.phrase), session.matcher.phrasebook.slots.get(session.lang))  # a template, readable
    return f"{profile(session.lang).turn_label.format(n=turn.turn)}: {ev.text} ≈ {phrase} ({_name(session, ev.category)} {ev.score:g})"


def _state_name(session: Session, sid: str) -> str:
    spec = session.scenario.states.get(sid)
    return state_in_words(getattr(spec, "description", None), bool(getattr(spec, "final", False)),
                          getattr(spec, "outcome", None), session.lang)


def _reached_at(session: Session, states: set[str]) -> int | None:
    """The turn at which one of `states` was first reached (0: it is the start state)."""
    if session.scenario.start in states:
        return 0
    for turn in session.turns:
        if turn.next_state in states:
            return turn.turn
    return None


def _suggest_categories(session: Session, cats: list[str]) -> str:
    t = _T[session.lang]
    book = session.matcher.phrasebook.categories
    for cid in cats:
        if cid in book and book[cid].negative:
            continue  # never suggest saying a taboo (or any penalised) phrase
        phrase = suggest_phrase(session, cid)
        if phrase:
            return t["say"].format(phrase=phrase)
    return ""


def _route_to(session: Session, targets: set[str]) -> str:
    """How to get on towards `targets` from where the trainee got stuck: the first rule on a shortest path."""
    states = session.scenario.states
    stuck = session.turns[-1].state if session.turns else session.scenario.start
    first_rule: dict[str, Rule | None] = {stuck: None}
    queue = [stuck]
    while queue:
        sid = queue.pop(0)
        for rule in states[sid].rules:
            if rule.goto and rule.goto not in first_rule:
                first = first_rule[rule.goto] = first_rule[sid] or rule
                if rule.goto in targets:
                    return _rule_hint(session, first)
                queue.append(rule.goto)
    return ""


def _rule_hint(session: Session, rule: Rule) -> str:
    if rule.when.action:
        action = session.scenario.action(rule.when.action)
        return _T[session.lang]["type"].format(action=rule.when.action, label=action.label if action else "")
    return _suggest_categories(session, [*rule.when.all, *rule.when.any])


def evaluate_checks(session: Session) -> list[CheckResult]:
    """Every rubric check of the session's scenario, evaluated on the turns so far."""
    return [_evaluate(session, check) for check in session.scenario.checks]


def _evaluate(session: Session, check: Check) -> CheckResult:
    result = CheckResult(check.id, check.description, 0.0, float(check.points), False, hard_fail=check.hard_fail,
                         kind=check.kind)
    kind = check.kind
    if kind in ("said", "did"):
        _said_or_did(session, check, result)
    elif kind == "never":
        _never(session, check, result)
    elif kind == "order":
        _order(session, check, result)
    elif kind in ("reach", "turn_budget"):
        _reach(session, check, result)
    elif kind == "checklist":
        _checklist(session, check, result)
    elif kind == "final_mood":
        _final_mood(session, check, result)
    if result.passed and kind != "checklist":
        result.points = float(check.points)
    return result


def _said_or_did(session: Session, check: Check, result: CheckResult) -> None:
    t = _T[session.lang]
    wanted = set(check.said or check.did or [])
    for turn in session.turns:
        if check.within_turns and turn.turn > check.within_turns:
            break
        if check.in_state and turn.state not in check.in_state:
            continue
        if check.did:
            if turn.action in wanted:
                result.turns.append(turn.turn)
                result.evidence.append(f"{profile(session.lang).turn_label.format(n=turn.turn)}: /{turn.action}")
            continue
        hits = [ev for ev in turn.evidence if ev.category in wanted]
        if hits:
            result.turns.append(turn.turn)
            result.evidence.append(_evidence_line(session, turn, hits[0]))
    result.passed = len(result.turns) >= check.min_times
    if not result.passed:
        if check.did:
            action = session.scenario.action(check.did[0])
            hint = t["type"].format(action=check.did[0], label=action.label if action else "")
        else:
            hint = _suggest_categories(session, check.said or [])
        if check.in_state:
            states = session.scenario.states
            hint += t["state"].format(states=", ".join(states[s].description or s for s in check.in_state))
        if check.within_turns:
            hint += t["first"].format(n=check.within_turns)
        if check.min_times > 1:
            hint += t["times"].format(n=check.min_times)
        result.suggestion = hint


def _never(session: Session, check: Check, result: CheckResult) -> None:
    banned = set(check.never or []) | _compliance_behind(session, check.never or [])
    offending = []
    for turn in session.turns:
        hits = [ev for ev in turn.evidence if ev.category in banned]
        if hits:
            offending.append((turn, hits[0]))
            result.turns.append(turn.turn)
            result.evidence.append(_evidence_line(session, turn, hits[0]))
    result.passed = not offending
    if not offending and not took_part(session):  # staying quiet is not the same as staying polite
        result.passed = False
        result.evidence.append(_T[session.lang]["absent"])
        result.suggestion = _T[session.lang]["take_part"]
        return
    if not offending:
        names = "/".join(_name(session, c) for c in check.never or [])
        result.evidence.append(_T[session.lang]["clean"].format(n=len(session.turns), name=names))
    if offending:
        result.points = -check.penalty * len(offending)
        turn, ev = offending[0]
        polite = [c for r in session.scenario.states[turn.state].rules for c in (*r.when.all, *r.when.any)
                  if c not in banned]
        fix = _suggest_categories(session, polite + ["empathy", "apology"])
        result.suggestion = _T[session.lang]["avoid"].format(
            turn=turn.turn, text=ev.text, name=_name(session, ev.category)) + fix


def _compliance_behind(session: Session, never: list[str]) -> set[str]:
    """{'compliance'} when a banned local category reuses the shared compliance negatives (`moves: [compliance.x]`).

    A rash promise of another kind than the one the scenario named (a guarantee where it named discount) is
    flagged on the turn all the same; the check that exists to catch rash promises must not stay clean.
    """
    categories = session.scenario.spec.categories
    for cid in never:
        local = categories.get(cid)
        if local is not None and local.stands_on("compliance"):
            return {"compliance"}
    return set()


def took_part(session: Session) -> bool:
    """Did the trainee take part: a recognised courteous move or an /action, or a rule moved past the opening?

    "Never said X" checks earn their points only then: a trainee who said nothing useful has not
    shown they can stay polite.
    """
    negative = session.negative
    start = session.scenario.start
    for turn in session.turns:
        if turn.action or any(label not in negative for label in turn.labels):
            return True
        if turn.state == start and turn.next_state != start and turn.rule and turn.rule != "on_exhausted" \
                and turn.miss is None:
            return True
    return False


def _first_position(session: Session, cats: set[str]) -> (tuple[tuple[int, int], TurnResult, Evidence]
                                                           | tuple[None, None, None]):
    for turn in session.turns:
        hits = sorted((ev for ev in turn.evidence if ev.category in cats), key=lambda e: e.start)
        if hits:
            return (turn.turn, hits[0].start), turn, hits[0]
    return None, None, None


def _order(session: Session, check: Check, result: CheckResult) -> None:
    t = _T[session.lang]
    order = check.order
    if order is None:  # only order checks come here: a rubric check has exactly one kind
        raise ValueError(f"check {check.id!r} is not an order check")
    first_cats, then_cats = set(order.first), set(order.then)
    first_at, first_turn, first_ev = _first_position(session, first_cats)
    then_at, then_turn, then_ev = _first_position(session, then_cats)
    if first_turn is not None and first_ev is not None:  # found: first_at is set too
        line = _evidence_line(session, first_turn, first_ev)
        if then_turn is not None and then_ev is not None:
            line = t["before"].format(a=line, b=_evidence_line(session, then_turn, then_ev))
        result.evidence.append(line)
        result.turns.append(first_turn.turn)
    else:
        result.evidence.append(t["missing_first"].format(name="/".join(_name(session, c) for c in order.first)))
    result.passed = first_at is not None and (then_at is None or first_at <= then_at)
    if not result.passed:
        phrase = next((p for p in (suggest_phrase(session, c) for c in order.first) if p), "")
        result.suggestion = t["order"].format(first=phrase, then="/".join(_name(session, c) for c in order.then))


def _success_states(session: Session) -> set[str]:
    return {sid for sid, st in session.scenario.states.items() if st.final and st.outcome == "success"}


def _reach(session: Session, check: Check, result: CheckResult) -> None:
    t = _T[session.lang]
    if check.reach is not None:
        targets, budget = set(check.reach), None
    elif check.turn_budget is not None:
        targets = set(check.turn_budget.reach) or _success_states(session)
        budget = check.turn_budget.max
    else:  # only reach and turn_budget checks come here: a rubric check has exactly one kind
        raise ValueError(f"check {check.id!r} is neither a reach nor a turn_budget check")
    at = _reached_at(session, targets)
    shown = ", ".join(_state_name(session, sid) for sid in sorted(targets))
    if at is None:
        result.evidence.append(t["not_reached"].format(states=shown))
    else:
        state = next(tn.next_state for tn in session.turns if tn.turn == at) if at else session.scenario.start
        result.turns.append(at)
        result.evidence.append(t["took"].format(turn=at, state=_state_name(session, state),
                                                n=budget if budget else len(session.turns)))
    result.passed = at is not None and (budget is None or at <= budget)
    if not result.passed:
        how = _route_to(session, targets)
        if budget is not None and at is not None:
            result.suggestion = t["budget"].format(n=budget) + ("; " + how if how else "")
        else:
            result.suggestion = t["reach"].format(state=shown, how=how)


def _checklist(session: Session, check: Check, result: CheckResult) -> None:
    t = _T[session.lang]
    items = {c.id: c for c in session.scenario.checklist}
    picked = [items[i] for i in session.prepared if i in items]
    good = [c for c in picked if c.correct]
    bad = [c for c in picked if not c.correct]
    needed = [c for c in items.values() if c.correct]
    fraction = max(0.0, (len(good) - len(bad)) / len(needed)) if needed else 0.0
    result.points = round(check.points * fraction, 1)
    result.passed = fraction >= 1.0
    result.evidence.append(t["picked"].format(items="、".join(c.label for c in good) or t["none"]))
    if bad:
        result.evidence.append(t["wrong"].format(items="、".join(c.label for c in bad)))
    if not result.passed:
        missing = [c.label for c in needed if c not in good]
        parts = []
        if missing:
            parts.append(t["pick"].format(items="、".join(missing)))
        if bad:
            parts.append(t["drop"].format(items="、".join(c.label for c in bad)))
        result.suggestion = "; ".join(parts)


def _final_mood(session: Session, check: Check, result: CheckResult) -> None:
    t = _T[session.lang]
    result.evidence.append(t["mood"].format(mood=session.mood, need=check.final_mood))
    result.passed = session.ended and session.mood >= check.final_mood
    if not result.passed:
        # the scenario's own best mood-raiser: the categories of the rule with the largest mood gain
        rules = sorted((r for st in session.scenario.states.values() for r in st.rules if r.mood > 0),
                       key=lambda r: -r.mood)
        cats = [c for r in rules for c in (*r.when.all, *r.when.any)]
        result.suggestion = t["warm"] + _suggest_categories(session, cats + ["compliment", "thanks"])


def score_session(session: Session) -> ScoreSheet:
    """The score sheet of a session so far (final once the session has ended)."""
    scenario = session.scenario
    checks = evaluate_checks(session)
    total = round(max(0.0, sum(c.points for c in checks)), 1)
    # a never-check lost for not taking part is no offence: it costs its points, it does not fail outright
    hard_failed = [c.id for c in checks if c.hard_fail and not c.passed and (c.kind != "never" or c.turns)]
    counts: dict[str, int] = {}
    for turn in session.turns:
        for label in turn.labels:
            counts[label] = counts.get(label, 0) + 1
    sheet = ScoreSheet(
        scenario=scenario.id, title=scenario.title, language=scenario.language, trainee=session.trainee,
        seed=session.seed, total=total, max=scenario.max_points, pass_mark=scenario.pass_mark,
        passed=total >= scenario.pass_mark and not hard_failed, outcome=session.outcome,
        final_state=session.state, checks=checks, turns=list(session.turns), categories=counts,
        hard_failed=hard_failed, started_at=session.started_at, finished_at=session.finished_at,
        mode=session.mode, prepared=list(session.prepared), ended=session.ended,
        content_version=content_version(scenario, session.phrasebook),
        outcome_text=outcome_words(session), remembered=remembered(session),
    )
    sheet.verdict_note = verdict_note(sheet, session.lang)
    return sheet
