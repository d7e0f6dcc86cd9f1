"""What the TUI's hint and coach debug panels show about a Session (read only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.core.conversation.conditions import describe_when

if TYPE_CHECKING:
    from roleplay.core.conversation.engine import Session


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


def debug(session: Session) -> dict:
    """State, mood, which rules of the current state the last reply would fire, its raw scores."""
    rules = []
    last = session._last
    for i, rule in enumerate(session.current.rules if not session.ended else []):
        rules.append({"id": rule.id or f"{session.state}_{i + 1}", "when": describe_when(rule.when),
                      "goto": rule.goto, "would_fire": bool(last) and session.rule_holds(rule.when, last)})
    scores = []
    if last is not None and last.match is not None:
        scores = [{"category": m.category, "score": m.score, "phrase": m.phrase,
                   "threshold": session.matcher.threshold(m.category)} for m in last.match.candidates]
    return {"state": session.state, "mood": session.mood, "turn": len(session.turns), "ended": session.ended,
            "rules": rules, "scores": scores, "memory": session.memory.summary(),
            "miss": session.turns[-1].miss if session.turns else None}
