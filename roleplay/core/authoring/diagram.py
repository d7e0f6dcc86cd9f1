"""A scenario's state graph as a mermaid diagram, written straight from the scenario model in one pass.

The text is the same as transitions' GraphMachine draws (the layout coaches already know, and a test
compares the two on every shipped scenario), but without building a machine: GraphMachine's markup
walk grows ~3-4x per doubling of states (1,000 states took a minute); this is linear.
"""

from __future__ import annotations

import json
from collections import defaultdict

from roleplay.core.conversation.conditions import describe_when
from roleplay.core.scenario.model import Scenario

# transitions' default mermaid styles, kept so diagrams look as they always did
_HEADER = ("stateDiagram-v2", "  direction LR", "  classDef s_default fill:white,color:black",
           "  classDef s_inactive fill:white,color:black", "  classDef s_parallel color:black,fill:white",
           "  classDef s_active color:red,fill:darksalmon", "  classDef s_previous color:blue,fill:azure", "  ")


def scenario_mermaid(scenario: Scenario, *, show_fallbacks: bool = False) -> str:
    """Mermaid stateDiagram-v2 text: one edge per rule (`rule_id [conditions]`), reaction, exhaustion and walk-out edges."""
    states = scenario.states
    # edges grouped by name first (as a state machine lists its events), then by source state
    by_name: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))

    def edge(name: str, source: str, dest: str | None, condition: str | None = None) -> None:
        label = name + (" [internal]" if dest is None else "") + (f" [{condition}]" if condition else "")
        by_name[name][source].append((source if dest is None else dest, label))

    for sid, st in states.items():
        for i, rule in enumerate(st.rules):
            if rule.goto is None and not show_fallbacks:
                continue
            edge(rule.id or f"{sid}_{i + 1}", sid, rule.goto, describe_when(rule.when))
        if st.on_exhausted is not None:
            edge(f"retries_{st.retries}_exhausted", sid, st.on_exhausted.goto)
        for key in ("on_taboo", "on_silence", "on_off_track", "on_closing", "on_rash"):
            react = None if st.final else getattr(st, key) or getattr(scenario.spec, key)
            if react is not None and react.goto:
                edge(key, sid, react.goto)
        if st.below_mood:
            edge(f"mood_below_{scenario.success_mood if st.min_mood is None else st.min_mood}",
                 sid, st.below_mood)
        if show_fallbacks and not st.final:
            edge("fallback", sid, None)
    patience = scenario.patience
    if patience:
        for sid, st in states.items():
            if not st.final and sid != patience.goto:
                edge(f"mood_below_{patience.mood_below}", sid, patience.goto)
    # one arrow per (source, destination), labels joined in the order the edges were listed
    arrows: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for sources in by_name.values():
        for source, edges in sources.items():
            for dest, label in edges:
                arrows[source][dest].append(label)
    title = f"{scenario.id}: {scenario.title}"
    lines = ["---", "title: " + json.dumps(title, ensure_ascii=False), "---", *_HEADER]
    for sid in states:
        lines += [f'  state "{sid}" as {sid}', f"  Class {sid} s_{'active' if sid == scenario.start else 'default'}"]
    lines.append("  ")
    lines += [f"  {src} --> {dst}: {' | '.join(labels)}" for src, dests in arrows.items()
              for dst, labels in dests.items()]
    lines.append(f"  [*] --> {scenario.start}")
    lines += [f"  {sid} --> [*]" for sid, st in states.items() if st.final]
    return "\n".join(lines) + "\n"
