"""Shared scenario moves in a scenario: which ones it turns on, and local categories that reuse them.

A shared move is a phrasebook category with `move: true` (call_purpose, offer_calculation, ...). A
scenario turns one on by naming it in its rules or rubric, or reuses its phrases and templates in a
local category with `moves: [offer_calculation]` (one kind of a category: `compliance.discount`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roleplay.core.phrasebook.book import Phrasebook
    from roleplay.core.scenario.model import ScenarioFile


def used_categories(spec: ScenarioFile) -> set[str]:
    """Every category id the scenario's rules and rubric refer to (which shared moves to turn on)."""
    used: set[str] = set()
    for state in spec.states.values():
        for rule in state.rules:
            used.update(rule.when.all, rule.when.any, rule.when.none)
    for answer in spec.answers:
        used.update(answer.when.all, answer.when.any, answer.when.none)
    for check in spec.rubric.checks:
        used.update(check.said or [], check.never or [])
        if check.order:
            used.update(check.order.first, check.order.then)
    return used


def add_moves(book: Phrasebook, cid: str, moves: list[str], lang: str) -> None:
    """A local category recognises the phrases and templates of the shared moves it lists, kinds included."""
    target = book.categories.get(cid)
    if target is None:
        return
    for ref in moves:
        mid, _, only = ref.partition(".")  # compliance.discount: one kind of a shared negative
        shared = book.categories.get(mid)
        if shared is None or shared is target:
            continue
        kinds = shared.kind_of.get(lang, {})
        for section in ("phrases", "templates"):
            items = getattr(target, section).setdefault(lang, [])
            items.extend(x for x in getattr(shared, section).get(lang, [])
                         if x not in items and (not only or kinds.get(x) == only))
        target.kind_of.setdefault(lang, {}).update(
            {k: v for k, v in kinds.items() if k not in target.kind_of.get(lang, {}) and (not only or v == only)})
        for kind, names in shared.kind_names.items():
            target.kind_names.setdefault(kind, dict(names))
        if target.negative and shared.negative and shared.keeps_polite:
            # a local rash promise standing on a compliance move is a compliance fault too: no rudeness (the
            # reply's polite labels stay) and a refusal or an open outcome ("whether it'll be approved") drops it
            target.keeps_polite = True


def move_problem(ref: str, book: Phrasebook, did_you_mean: Callable[[str, Iterable[str]], str]) -> str | None:
    """What is wrong with a `moves:` entry (an unknown move, or a kind its category lacks), or None."""
    mid, _, kind = ref.partition(".")
    shared = book.categories.get(mid)
    if shared is None:
        return f"shared move {mid!r} is not in the phrasebook{did_you_mean(mid, book.categories)}"
    if kind and kind not in shared.kind_names:
        return f"{mid!r} has no kind {kind!r} (known: {', '.join(sorted(shared.kind_names)) or 'none'})"
    return None
