"""What a sheet needs to know about scenarios and the phrasebook to speak in words, read once per export.

Per scenario only a little is needed (which phrase categories each rubric check concerns, the states'
descriptions, the actions' labels, scenario-local categories), so it is kept as plain data and cached in the
user's cache folder keyed by the file's path, size and modification time (like the phrasebook): a report over
a session reads a few small JSON files instead of parsing and validating YAML scenarios.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roleplay.core.phrasebook.book import Phrasebook
    from roleplay.core.scenario.model import Scenario

FORMAT = 1  # bump when the cached facts change shape


def scenario_facts(scenario: Scenario) -> dict[str, Any]:
    """The plain facts of a loaded Scenario."""
    checks: dict[str, list[str]] = {}
    for check in scenario.checks:
        cats = list(check.said or []) + list(check.never or [])
        if check.order is not None:
            cats += list(check.order.first) + list(check.order.then)
        checks[check.id] = list(dict.fromkeys(cats))
    return {
        "id": scenario.id, "language": scenario.language, "checks": checks,
        "states": {sid: {"description": getattr(spec, "description", "") or "", "final": bool(spec.final),
                         "outcome": spec.outcome} for sid, spec in scenario.states.items()},
        "actions": {a.id: a.label for a in scenario.actions},
        "local": {cid: {"name": cat.name, "negative": bool(cat.negative),
                        "phrases": [p for p in cat.phrases if "{" not in p]}
                  for cid, cat in scenario.categories.items()},
    }


class ScenarioFacts:
    """Scenario facts by id and, from the phrasebook, category names, which categories are taboo-like, and a
    plain example phrase for each. A scenario that is gone or broken gives no facts; the sheet then falls back
    to the words stored with the attempt."""

    def __init__(self, scenario_paths: list[str | Path] | None = None):
        self.paths = scenario_paths
        self._facts: dict[str, dict[str, Any]] = {}
        self._book: Phrasebook | None = None
        self._names: dict[str, dict[str, str]] = {}
        self._discovered = False

    @classmethod
    def of(cls, scenario: Scenario, phrasebook: Phrasebook | None = None) -> ScenarioFacts:
        """Facts about one scenario already loaded (no discovery: `play` and the TUI have it in hand)."""
        facts = cls()
        facts._facts, facts._discovered = {scenario.id: scenario_facts(scenario)}, True
        facts._book = phrasebook
        return facts

    # -- scenarios ------------------------------------------------------------------------

    def scenario(self, scenario_id: str) -> dict[str, Any] | None:
        if scenario_id not in self._facts and not self._discovered:
            found = self._by_file_name(scenario_id)
            if found is None:
                self._discover()
            else:
                self._facts[scenario_id] = found
        return self._facts.get(scenario_id)

    def _by_file_name(self, scenario_id: str) -> dict[str, Any] | None:
        """The shipped scenario `<id>.yaml` alone: a report over 3 scenarios reads 3 files, not all of them."""
        from roleplay.core.settings import scenarios_dir

        if self.paths is not None or not scenario_id.replace("_", "").replace("-", "").isalnum():
            return None
        path = scenarios_dir() / f"{scenario_id}.yaml"
        found = _cached(path) if path.is_file() else None
        return found if found is not None and found["id"] == scenario_id else None

    def _discover(self) -> None:
        from roleplay.core.scenario.library import discover_scenarios

        self._discovered = True
        try:
            found = {s.id: scenario_facts(s) for s in discover_scenarios(self.paths)}
        except (OSError, ValueError):
            found = {}
        self._facts = {**found, **self._facts}

    def __call__(self, scenario_id: str) -> dict[str, list[str]]:
        """Rubric check id -> the phrase categories it concerns."""
        found = self.scenario(scenario_id)
        return found["checks"] if found else {}

    def state_name(self, scenario_id: str, state_id: str | None) -> str | None:
        """The coach's description of a state, or None when it has none (an id is never shown)."""
        found = self.scenario(scenario_id)
        state = found["states"].get(state_id) if found and state_id else None
        return (state["description"] or None) if state else None

    def action_label(self, scenario_id: str, action_id: str | None) -> str | None:
        """What an /action is called in the scenario (递名片), never its id."""
        found = self.scenario(scenario_id)
        return found["actions"].get(action_id) if found and action_id else None

    def state_names(self, scenario_id: str, lang: str) -> dict[str, str]:
        """Every state of the scenario in words, as the live score names it (a state id is never shown)."""
        from roleplay.core.conversation.outcomes import state_in_words

        found = self.scenario(scenario_id)
        return {sid: state_in_words(state["description"], bool(state["final"]), state["outcome"], lang)
                for sid, state in (found["states"].items() if found else ())}

    # -- phrase categories ----------------------------------------------------------------

    def book(self) -> Phrasebook:
        if self._book is None:
            from roleplay.core.content.problems import ContentError
            from roleplay.core.phrasebook.book import Phrasebook, load_phrasebook

            try:
                self._book = load_phrasebook()
            except ContentError:
                self._book = Phrasebook()
        return self._book

    def _local(self, lang: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        for found in self._facts.values():
            if lang is None or found["language"] == lang:
                yield from found["local"].items()

    def names(self, lang: str) -> dict[str, str]:
        if lang not in self._names:
            local = {cid: cat["name"] for cid, cat in self._local() if cat["name"]}  # any language, then this one's
            local.update({cid: cat["name"] for cid, cat in self._local(lang) if cat["name"]})
            self._names[lang] = {**local, **{cid: cat.name(lang) for cid, cat in self.book().categories.items()}}
        return self._names[lang]

    def name(self, category: str, lang: str) -> str:
        return self.names(lang).get(category) or category.replace("_", " ")

    def negative(self) -> set[str]:
        """Taboo-like categories: a sheet counts who stayed clear of them, never a percentage."""
        found = {cid for cid, cat in self.book().categories.items() if cat.negative}
        return found | {cid for cid, cat in self._local() if cat["negative"]}

    def example(self, category: str, lang: str) -> str | None:
        """A plain phrase of the category (never template syntax) to show beside the trainee's words."""
        for phrase in self.book().phrases(category, lang):
            if "{" not in phrase:
                return phrase
        for cid, cat in self._local(lang):
            if cid == category and cat["phrases"]:
                first: str = cat["phrases"][0]
                return first
        return None


CheckCategories = ScenarioFacts  # the name earlier callers use


def _cache_file(path: Path) -> Path | None:
    from roleplay import __version__
    from roleplay.core.settings import cache_dir

    base = cache_dir()  # follows $ROLEPLAY_CACHE_DIR / $ROLEPLAY_HOME; None with ROLEPLAY_NO_CACHE
    if base is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    key = hashlib.sha256(f"{FORMAT}|{__version__}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return base / "sheet-facts" / f"{key.hexdigest()[:32]}.json"


def _cached(path: Path) -> dict[str, Any] | None:
    """The facts of one scenario file: from the cache when the file is unchanged, else parsed (and cached)."""
    from roleplay.core.content.problems import ContentError

    cache = _cache_file(path)
    if cache is not None:
        try:
            cached: dict[str, Any] = json.loads(cache.read_text(encoding="utf-8"))
            return cached
        except (OSError, ValueError):
            pass
    from roleplay.core.scenario.library import load_scenario

    try:
        found = scenario_facts(load_scenario(path))
    except (ContentError, OSError, ValueError):
        return None
    if cache is not None:
        try:  # a read-only home simply means no cache
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass
    return found
