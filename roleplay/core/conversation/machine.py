"""One `transitions` Machine per scenario, shared by every Session of it: the session is the event's model.

Building a Machine (dozens of transitions with their conditions) cost more than replaying a short attempt,
and rescore replays thousands. transitions lets an Event run on any model passed to `Event.trigger(model)`;
with `send_event=True` every condition and callback receives the EventData, whose `model` is the Session, so
nothing in the machine refers to one session and the machine can be reused (see Session.trigger).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from transitions import EventData, Machine

from roleplay.core.conversation.misses import CLOSING, OFF_TRACK, RUDE, SILENCE, reaction

if TYPE_CHECKING:
    from roleplay.core.conversation.engine import Session
    from roleplay.core.scenario.model import AnswerRule, Exhausted, Reaction, Rule, Scenario, StateSpec, When

TRIGGER = "respond"  # not "reply": a trigger named like a Session method would be skipped silently
WALK_OUT = "walk_out"

# id(scenario) -> (a weak reference to it, its machine); an entry leaves with its scenario
_MACHINES: dict[int, tuple[weakref.ref[Scenario], Machine]] = {}


def scenario_machine(scenario: Scenario) -> Machine:
    """The scenario's machine (built on first use; scenarios are not changed once loaded)."""
    key = id(scenario)
    found = _MACHINES.get(key)
    if found is not None and found[0]() is scenario:
        return found[1]
    machine = _build(scenario)

    def forget(ref: weakref.ref[Scenario]) -> None:
        if _MACHINES.get(key, (None,))[0] is ref:
            del _MACHINES[key]

    _MACHINES[key] = (weakref.ref(scenario, forget), machine)
    return machine


def _build(scenario: Scenario) -> Machine:
    """Each state's on_rash with a goto, its rules as ordered transitions on TRIGGER, then its reactions, answers,
    the retry exhaustion and the miss; WALK_OUT from every other state when the scenario has patience (see the engine's docstring)."""
    states = scenario.states
    machine = Machine(model=None, states=list(states), initial=scenario.start, auto_transitions=False,
                      ignore_invalid_triggers=True, send_event=True)
    add = machine.add_transition
    for sid, st in states.items():
        if st.final:
            continue
        rash = reaction(scenario, st, "on_rash")
        if rash is not None and rash.goto:  # a coach who ends the talk over a rash promise: before any rule
            add(TRIGGER, sid, rash.goto, conditions=[_rash_pending], after=partial(_fire_reaction, "on_rash", rash))
        # a goodbye that ends the reply ends the talk where the state has a closing: a rule that keeps the
        # client talking (no goto) yields to it unless it listens for the goodbye itself (round 6: "…今天打扰您了，
        # 谢谢陈总，再见！" was answered 这几天都排满了 and the trainee had to say goodbye twice)
        closing = reaction(scenario, st, "on_closing")
        for i, rule in enumerate(st.rules):
            rid = rule.id or f"{sid}_{i + 1}"
            conditions: list[str | Callable[..., bool | None]] = [partial(_rule_holds, rule.when)]
            if closing is not None and closing.goto and rule.goto is None and "closing" not in rule.when.all + rule.when.any:
                conditions.append(_not_taking_leave)
            add(TRIGGER, sid, rule.goto, conditions=conditions, after=partial(_fire_rule, rid, rule, st))
        for key, kind in (("on_taboo", RUDE), ("on_closing", CLOSING)):
            react = reaction(scenario, st, key)
            if react is not None:
                add(TRIGGER, sid, react.goto, conditions=[partial(_is_kind, kind)],
                    after=partial(_fire_reaction, key, react))
        for answer in (a for a in scenario.spec.answers if not a.states or sid in a.states):
            add(TRIGGER, sid, None, conditions=[partial(_rule_holds, answer.when), _heard_well],
                after=partial(_fire_answer, answer, st))
        if st.on_exhausted is not None:
            add(TRIGGER, sid, st.on_exhausted.goto, conditions=[partial(_retries_exhausted, st)],
                after=partial(_fire_exhausted, st.on_exhausted))
        for key, kind in (("on_silence", SILENCE), ("on_off_track", OFF_TRACK)):
            react = reaction(scenario, st, key)
            if react is not None and react.goto:
                add(TRIGGER, sid, react.goto, conditions=[partial(_is_kind, kind)], after=partial(_fire_miss, st))
        add(TRIGGER, sid, None, after=partial(_fire_miss, st))
    patience = scenario.patience
    if patience:
        sources = [sid for sid, st in states.items() if not st.final and sid != patience.goto]
        if sources:
            add(WALK_OUT, sources, patience.goto)
    return machine


# Conditions and callbacks: the session is the event's model. -----------------------------------------------
def _session(event: EventData) -> Session:
    return cast("Session", event.model)


def _rule_holds(when: When, event: EventData) -> bool:
    return _session(event).rule_holds(when)


def _not_taking_leave(event: EventData) -> bool:
    last = _session(event)._last
    return last is None or not last.takes_leave


def _is_kind(kind: str, event: EventData) -> bool:
    return _session(event)._is_kind(kind)


def _rash_pending(event: EventData) -> bool:
    return _session(event)._rash is not None


def _heard_well(event: EventData) -> bool:
    return _session(event)._heard_well()


def _fire_answer(answer: AnswerRule, st: StateSpec, event: EventData) -> None:
    _session(event)._fire_answer(answer, st)


def _retries_exhausted(st: StateSpec, event: EventData) -> bool:
    return _session(event).retries_exhausted(st)


def _fire_rule(rid: str, rule: Rule, st: StateSpec, event: EventData) -> None:
    _session(event)._fire_rule(rid, rule, st)


def _fire_reaction(key: str, react: Reaction, event: EventData) -> None:
    _session(event)._fire_reaction(key, react)


def _fire_exhausted(exhausted: Exhausted, event: EventData) -> None:
    _session(event)._fire_exhausted(exhausted)


def _fire_miss(st: StateSpec, event: EventData) -> None:
    _session(event)._fire_miss(st)
