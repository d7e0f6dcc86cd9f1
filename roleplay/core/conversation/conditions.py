"""Rule conditions in words, bounds, and the memory pieces a Session needs from its scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.core.conversation.memory import Capture, compile_capture
from roleplay.core.scenario.model import SAID, Range, Scenario, When, placeholder_fields

if TYPE_CHECKING:
    from roleplay.core.phrasebook.book import Phrasebook


def said_names(text: str) -> list[str]:
    try:
        return [n for n in placeholder_fields(text) if n.startswith(SAID)]
    except ValueError:
        return []


def scenario_captures(scenario: Scenario, phrasebook: Phrasebook) -> list[Capture]:
    """The scenario's own `memory:` facts, templates compiled against the phrasebook's slots."""
    slots = phrasebook.slots.get(scenario.language, {})
    return [compile_capture(name, spec.values, spec.templates, slots, scenario.language)
            for name, spec in scenario.spec.memory.items()]


def within(bounds: Range | None, value: int) -> bool:
    if bounds is None:
        return True
    return (bounds.min is None or value >= bounds.min) and (bounds.max is None or value <= bounds.max)


def describe_when(when: When) -> str:
    """A rule's conditions in one readable line (debug view, graphs)."""
    parts = []
    if when.all:
        parts.append("all " + "+".join(when.all))
    if when.any:
        parts.append("any " + "/".join(when.any))
    if when.none:
        parts.append("none " + ",".join(when.none))
    if when.action:
        parts.append("/" + when.action)
    if when.known:
        parts.append("knows " + ",".join(when.known))
    if when.not_known:
        parts.append("not yet " + ",".join(when.not_known))
    if when.silent is not None:
        parts.append("silent" if when.silent else "not silent")
    for key in ("mood", "turn", "state_turn"):
        bounds = getattr(when, key)
        if bounds is not None:
            lo = "" if bounds.min is None else f"{bounds.min}<="
            hi = "" if bounds.max is None else f"<={bounds.max}"
            parts.append(f"{lo}{key}{hi}")
    return ", ".join(parts) or "always"
