"""How an attempt ended, in words: the outcome, what the client remembered, and why pass/fail may differ."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.core.scenario.model import SAID, placeholder_fields

if TYPE_CHECKING:
    from roleplay.core.conversation.engine import Session
    from roleplay.core.conversation.results import ScoreSheet
    from roleplay.core.scenario.model import Scenario

GOOD, BAD = {"success"}, {"failure", "no_answer", "abandoned", "timeout"}
_T = {
    "zh": {
        "success": "达成目标", "partial": "部分达成", "failure": "没有达成目标", "no_answer": "客户听不到你的声音，挂断了电话",
        "abandoned": "你中途结束了对话", "timeout": "回合用完，对话中止", None: "对话还没有结束",
        "noted": "客户记下：", "sep": "；", "later_stage": "后续阶段",
        "won_failed": "客户这边达成了目标，但考核要点只得了 {total:g}/{max:g} 分（及格 {mark:g} 分），所以未通过。",
        "won_vetoed": "客户这边达成了目标，但有一项一票否决的要求没有做到（{checks}），所以未通过。",
        "lost_passed": "对话没有达成目标，但考核要点得了 {total:g}/{max:g} 分，达到及格线，所以通过。",
        "part_passed": "目标只部分达成，但考核要点得分达到及格线（{total:g}/{max:g}），所以通过。",
    },
    "en": {
        "success": "goal reached", "partial": "goal partly reached", "failure": "goal not reached",
        "no_answer": "the client could not hear you and hung up", "abandoned": "you left the conversation",
        "timeout": "out of turns, the conversation stopped", None: "the conversation has not ended",
        "noted": "The client noted: ", "sep": "; ", "later_stage": "a later stage",
        "won_failed": "The client agreed, but the assessed points came to {total:g}/{max:g} (pass mark {mark:g}), so this is not a pass.",
        "won_vetoed": "The client agreed, but a must-do requirement was missed ({checks}), so this is not a pass.",
        "lost_passed": "The goal was not reached, but the assessed points came to {total:g}/{max:g}, above the pass mark, so this is a pass.",
        "part_passed": "The goal was only partly reached, but the assessed points ({total:g}/{max:g}) reach the pass mark, so this is a pass.",
    },
}


def outcome_name(outcome: str | None, lang: str) -> str:
    """How an outcome reads (达成目标 · goal reached), or "" when there is none."""
    return _T[lang].get(outcome, "") if outcome else ""


def state_in_words(description: str | None, final: bool, outcome: str | None, lang: str) -> str:
    """What a trainee can read for a state: the coach's description, else how a final state ends (达成目标), else
    "a later stage" — never its id (round 9: a sheet said 第 6 句到达“booked”). The sheet, its reports and the
    live score all name states through here."""
    if description:
        return description
    return (outcome_name(outcome, lang) if final else "") or _T[lang]["later_stage"]


def outcome_words(session: Session) -> str:
    """The outcome in the scenario's language, with the final state's description when it has one."""
    t = _T[session.lang]
    words = t.get(session.outcome, session.outcome or t[None])
    if session.ended:
        description = session.scenario.states[session.state].description
        if description and session.outcome not in ("no_answer", "abandoned", "timeout"):
            words += ("（" + description + "）") if session.lang == "zh" else f" ({description})"
    return words


def referenced_facts(scenario: Scenario) -> list[str]:
    """Facts a scenario reacts to (rules' known/not_known, {said.NAME} in lines): the ones that matter."""
    names: list[str] = []
    for answer in scenario.spec.answers:
        names += [*answer.when.known, *answer.when.not_known]
        for line in answer.say:
            try:
                names += [n[len(SAID):] for n in placeholder_fields(line) if n.startswith(SAID)]
            except ValueError:
                continue
    for st in scenario.states.values():
        for rule in st.rules:
            names += [*rule.when.known, *rule.when.not_known]
        reactions = [st, *st.rules, *(r for r in (st.fallback, st.on_exhausted, st.on_taboo, st.on_silence,
                                                  st.on_off_track, st.on_closing, st.on_rash) if r is not None)]
        for item in reactions:
            for line in getattr(item, "say", []) or []:
                try:
                    names += [n[len(SAID):] for n in placeholder_fields(line) if n.startswith(SAID)]
                except ValueError:
                    continue
    return list(dict.fromkeys(names))


def remembered(session: Session) -> list[str]:
    """One line of what the client noted, when the scenario reacts to those facts (else nothing)."""
    names = referenced_facts(session.scenario)
    if "time" in names and "offered_times" not in names:
        names.insert(names.index("time"), "offered_times")  # shown until a time is agreed
    labels = {name: cap.description for name, cap in session.scenario.spec.memory.items() if cap.description}
    items = session.memory.summary(names, labels)
    if not items:
        return []
    t = _T[session.lang]
    return [t["noted"] + t["sep"].join(items)]


def verdict_note(sheet: ScoreSheet, lang: str) -> str | None:
    """One line when how the talk ended and pass/fail point different ways; None when they agree."""
    if not sheet.ended:
        return None
    t = _T[lang]
    values = {"total": sheet.total, "max": sheet.max, "mark": sheet.pass_mark, "outcome": sheet.outcome_text}
    if sheet.outcome in GOOD and not sheet.passed:
        if sheet.hard_failed:
            names = "、" if lang == "zh" else ", "
            shown = names.join(c.description for c in sheet.checks if c.id in sheet.hard_failed)
            return t["won_vetoed"].format(checks=shown)
        return t["won_failed"].format(**values)
    if sheet.outcome in BAD and sheet.passed:
        return t["lost_passed"].format(**values)
    if sheet.outcome == "partial" and sheet.passed:
        return t["part_passed"].format(**values)
    return None

