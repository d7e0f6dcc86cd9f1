"""Checks of a scenario's `answers:` (scenario-wide answers to good moves made early or late)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from roleplay.core.scenario.model import AnswerRule

Loc = tuple[Any, ...]


def check_answers(answers: list[AnswerRule], rule_ids: dict[str, Loc], add: Callable[[str, Loc, str], None],
                  category: Callable[[Loc, str], None], action: Callable[[Loc, str], None],
                  state: Callable[[Loc, str], None]) -> None:
    """Unique ids (shared with the rules), known categories, actions and states, and a move to listen for."""
    for i, answer in enumerate(answers):
        at: Loc = ("answers", i)
        if answer.id in rule_ids:
            add("S315", at + ("id",), f"rule id {answer.id!r} is used twice: rule ids must be unique in a scenario")
        rule_ids[answer.id] = at
        for key in ("all", "any", "none"):
            for j, cid in enumerate(getattr(answer.when, key)):
                category(at + ("when", key, j), cid)
        if answer.when.action:
            action(at + ("when", "action"), answer.when.action)
        for j, target in enumerate(answer.states):
            state(at + ("states", j), target)
        if not (answer.when.all or answer.when.any or answer.when.action):
            add("S324", at + ("when",), f"answer {answer.id!r} must listen for a move (categories or an action), "
                "not silence or any reply: answers never take the place of the miss reactions")
