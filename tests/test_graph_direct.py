"""`roleplay graph` writes mermaid straight from the model: the same text transitions' GraphMachine draws."""

from __future__ import annotations

import json

import pytest

from roleplay.core.authoring.diagram import scenario_mermaid
from roleplay.core.conversation.engine import describe_when
from roleplay.core.scenario.library import discover_scenarios
from tests.conftest import write_scenario


def graph_machine_mermaid(scenario, show_fallbacks: bool) -> str:
    """The previous implementation (via GraphMachine), kept here as the reference the new text must equal."""
    from transitions.extensions import GraphMachine

    class Canvas:
        pass

    canvas = Canvas()
    states = scenario.states
    machine = GraphMachine(model=canvas, states=list(states), initial=scenario.start, auto_transitions=False,
                           graph_engine="mermaid", show_conditions=True, title=f"{scenario.id}: {scenario.title}")
    for sid, st in states.items():
        for i, rule in enumerate(st.rules):
            if rule.goto is None and not show_fallbacks:
                continue
            machine.add_transition(rule.id or f"{sid}_{i + 1}", sid, rule.goto, conditions=[describe_when(rule.when)])
        if st.on_exhausted is not None:
            machine.add_transition(f"retries_{st.retries}_exhausted", sid, st.on_exhausted.goto)
        for key in ("on_taboo", "on_silence", "on_off_track", "on_closing"):  # reactions that move the talk on
            react = None if st.final else getattr(st, key) or getattr(scenario.spec, key)
            if react is not None and react.goto:
                machine.add_transition(key, sid, react.goto)
        if st.below_mood:
            machine.add_transition(f"mood_below_{scenario.success_mood if st.min_mood is None else st.min_mood}",
                                   sid, st.below_mood)
        if show_fallbacks and not st.final:
            machine.add_transition("fallback", sid, None)
    if scenario.patience:
        sources = [sid for sid, st in states.items() if not st.final and sid != scenario.patience.goto]
        if sources:
            machine.add_transition(f"mood_below_{scenario.patience.mood_below}", sources, scenario.patience.goto)
    text = canvas.get_graph().draw(None).rstrip("\n")
    marker = f"---\n{machine.title}\n---\n"
    text = "---\ntitle: " + json.dumps(machine.title, ensure_ascii=False) + "\n---\n" + text[len(marker):]
    ends = [f"  {sid} --> [*]" for sid, st in states.items() if st.final]
    return text + "\n" + "\n".join(ends) + "\n"


SHIPPED = discover_scenarios()


@pytest.mark.parametrize("show_fallbacks", [False, True])
@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_same_text_as_graph_machine_for_every_shipped_scenario(scenario, show_fallbacks):
    assert scenario_mermaid(scenario, show_fallbacks=show_fallbacks) == graph_machine_mermaid(scenario, show_fallbacks)


def test_shared_rule_names_and_stay_rules_group_like_the_machine(tmp_path):
    """Stay-rules, exhaustion, a walk-out and an always-true rule."""
    scenario = write_scenario(tmp_path, """\
        id: probe_graph
        title: 图
        language: zh
        kind: visit
        difficulty: easy
        brief: 试一试
        persona: {name: 陈总, mood: 0}
        start: a
        patience: {mood_below: -30, goto: out}
        states:
          a:
            rules:
              - {id: hello, when: {any: [greeting]}, goto: b}
              - {when: {any: [taboo]}, mood: -40}
            retries: 1
            on_exhausted: {goto: out}
          b:
            rules:
              - {id: hello_back, when: {any: [greeting]}, goto: a}
              - {goto: end}
          end: {final: true, outcome: success}
          out: {final: true, outcome: failure}
        rubric:
          pass_mark: 5
          checks: [{id: reach, description: 到达, points: 10, reach: [end]}]
        """)
    for show in (False, True):
        assert scenario_mermaid(scenario, show_fallbacks=show) == graph_machine_mermaid(scenario, show)
