"""The `transitions` Machine of a Session: each state's rules, reactions, answers and misses as ordered transitions."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from transitions import Machine

from roleplay.core.conversation.misses import CLOSING, OFF_TRACK, RUDE, SILENCE, reaction

if TYPE_CHECKING:
    from roleplay.core.conversation.engine import Session

TRIGGER = "respond"  # not "reply": a trigger named like a Session method would be skipped silently
WALK_OUT = "walk_out"


def build_machine(session: Session) -> Machine:
    """One trigger, tried in order per state: on_rash with a goto, rules, rude/goodbye, answers, exhaustion, misses."""
    states = session.scenario.states
    machine = Machine(model=session, states=list(states), initial=session.scenario.start,
                      auto_transitions=False, ignore_invalid_triggers=True)
    add = machine.add_transition
    for sid, st in states.items():
        if st.final:
            continue
        rash = reaction(session.scenario, st, "on_rash")
        if rash is not None and rash.goto:  # a coach who ends the talk over a rash promise: before any rule
            add(TRIGGER, sid, rash.goto, conditions=[lambda: session._rash is not None],
                after=partial(session._fire_reaction, "on_rash", rash))
        for i, rule in enumerate(st.rules):
            rid = rule.id or f"{sid}_{i + 1}"
            add(TRIGGER, sid, rule.goto, conditions=[partial(session.rule_holds, rule.when)],
                after=partial(session._fire_rule, rid, rule, st))
        for key, kind in (("on_taboo", RUDE), ("on_closing", CLOSING)):
            react = reaction(session.scenario, st, key)
            if react is not None:
                add(TRIGGER, sid, react.goto, conditions=[partial(session._is_kind, kind)],
                    after=partial(session._fire_reaction, key, react))
        for answer in (a for a in session.scenario.spec.answers if not a.states or sid in a.states):
            add(TRIGGER, sid, None, conditions=[partial(session.rule_holds, answer.when), session._may_be_answered],
                after=partial(session._fire_answer, answer, st))
        if st.on_exhausted is not None:
            add(TRIGGER, sid, st.on_exhausted.goto, conditions=[partial(session.retries_exhausted, st)],
                after=partial(session._fire_exhausted, st.on_exhausted))
        for key, kind in (("on_silence", SILENCE), ("on_off_track", OFF_TRACK)):
            react = reaction(session.scenario, st, key)
            if react is not None and react.goto:
                add(TRIGGER, sid, react.goto, conditions=[partial(session._is_kind, kind)],
                    after=partial(session._fire_miss, st))
        add(TRIGGER, sid, None, after=partial(session._fire_miss, st))
    patience = session.scenario.patience
    if patience:
        sources = [sid for sid, st in states.items() if not st.final and sid != patience.goto]
        if sources:
            add(WALK_OUT, sources, patience.goto)
    return machine
