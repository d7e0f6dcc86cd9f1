"""What a Session shows of itself: the turn result, the TUI's hints and the coach debug view (read only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roleplay.core.conversation.conditions import describe_when
from roleplay.core.conversation.results import Evidence, TurnResult
from roleplay.core.lang.profile import profile

if TYPE_CHECKING:
    from roleplay.core.conversation.engine import Session
    from roleplay.core.conversation.turn import Reply


def hints(session: Session) -> list[tuple[str, str]]:
    """(category id, phrase) for the categories the current state's rules listen for (none in assessments)."""
    from roleplay.core.conversation.scoring import suggest_phrase

    if session.ended or session.mode == "assessment":
        return []
    found: list[tuple[str, str]] = []
    book = session.matcher.phrasebook
    for rule in session.current.rules:
        for cid in [*rule.when.all, *rule.when.any]:
            cat = book.categories.get(cid)
            if cat is None or cat.negative or any(cid == c for c, _ in found):
                continue
            phrase = suggest_phrase(session, cid)
            if phrase:
                found.append((cid, phrase))
    return found


def debug(session: Session) -> dict[str, Any]:
    """State, mood, which rules of the current state the last reply would fire, its raw scores."""
    rules = []
    last = session._last
    for i, rule in enumerate(session.current.rules if not session.ended else []):
        rules.append({"id": rule.id or f"{session.state}_{i + 1}", "when": describe_when(rule.when),
                      "goto": rule.goto, "would_fire": bool(last) and session.rule_holds(rule.when, last)})
    for answer in session.scenario.spec.answers if not session.ended else []:  # tried after the state's rules
        if not answer.states or session.state in answer.states:
            rules.append({"id": answer.id, "when": describe_when(answer.when), "goto": None,
                          "would_fire": bool(last) and session.rule_holds(answer.when, last), "answer": True})
    scores = []
    if last is not None and last.match is not None:
        scores = [{"category": m.category, "score": m.score, "phrase": m.phrase,
                   "threshold": session.matcher.threshold(m.category)} for m in last.match.candidates]
    return {"state": session.state, "mood": session.mood, "turn": len(session.turns), "ended": session.ended,
            "rules": rules, "scores": scores, "memory": session.memory.summary(),
            "miss": session.turns[-1].miss if session.turns else None}


def turn_result(session: Session, raw: str, reply: Reply, before: str, mood_before: int) -> TurnResult:
    """The TurnResult of the reply just handled (what the client said, mood, facts noted, miss kind)."""
    negative = {cid for cid, cat in session.matcher.phrasebook.categories.items() if cat.negative}
    evidence = [Evidence(m.category, m.score, m.phrase, m.evidence, m.start, m.end, m.kind)
                for m in (reply.match.matches if reply.match else [])]
    st = session.scenario.states[before]
    retries_left = None
    if st.retries is not None and session.state == before:
        retries_left = max(0, st.retries - session._fallbacks)
    joiner = profile(session.lang).line_joiner
    return TurnResult(
        turn=len(session.turns) + 1, state=before, reply=raw, action=reply.action,
        labels=[e.category for e in evidence], evidence=evidence, rule=session._step.rule,
        client=joiner.join(session._step.lines), mood=session.mood, mood_delta=session.mood - mood_before,
        next_state=session.state, retries_left=retries_left, ended=session.ended,
        outcome=session.outcome if session.ended else None, feedback=list(session._step.feedback),
        taboo=[e for e in evidence if e.category in negative], miss=session._step.miss,
        facts={k: list(v) for k, v in session._facts.items()}, memory=session.memory.summary(),
    )
