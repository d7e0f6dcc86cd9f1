"""Practice and assessment: what each mode allows (tiny: the TUI's first frame asks before content loads)."""

from __future__ import annotations


def coaching_allowed(mode: str) -> bool:
    """Hints, debug view, phrasebook, history and per-turn feedback are for practice; an assessment shows
    its feedback on the score sheet afterwards only."""
    return mode != "assessment"
