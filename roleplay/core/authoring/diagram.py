"""A scenario's state graph as a mermaid diagram, drawn by transitions' GraphMachine (no graphviz needed)."""

from __future__ import annotations

import json

from transitions.extensions import GraphMachine

from roleplay.core.conversation.conditions import describe_when
from roleplay.core.scenario.model import Scenario


class _Canvas:
    """The model the diagram machine decorates; it is drawn, never run."""


def scenario_mermaid(scenario: Scenario, *, show_fallbacks: bool = False) -> str:
    """Mermaid stateDiagram-v2 text: one edge per rule (`rule_id [conditions]`), reaction, exhaustion and walk-out edges."""
    states = scenario.states
    canvas = _Canvas()
    machine = GraphMachine(model=canvas, states=list(states), initial=scenario.start, auto_transitions=False,
                           graph_engine="mermaid", show_conditions=True, title=f"{scenario.id}: {scenario.title}")
    for sid, st in states.items():
        for i, rule in enumerate(st.rules):
            if rule.goto is None and not show_fallbacks:
                continue
            rid = rule.id or f"{sid}_{i + 1}"
            # the condition text is only a label here: this machine is never triggered
            machine.add_transition(rid, sid, rule.goto, conditions=[describe_when(rule.when)])
        if st.on_exhausted is not None:
            machine.add_transition(f"retries_{st.retries}_exhausted", sid, st.on_exhausted.goto)
        for key in ("on_taboo", "on_silence", "on_off_track", "on_closing"):
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
    # transitions writes the bare title as front matter; mermaid reads a `title:` key there
    marker = f"---\n{machine.title}\n---\n"
    if text.startswith(marker):
        text = "---\ntitle: " + json.dumps(machine.title, ensure_ascii=False) + "\n---\n" + text[len(marker):]
    ends = [f"  {sid} --> [*]" for sid, st in states.items() if st.final]
    return text + "\n" + "\n".join(ends) + "\n"
