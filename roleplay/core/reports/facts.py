"""What a sheet needs to know about scenarios and the phrasebook to speak in words, read once per export."""

from __future__ import annotations

from pathlib import Path


class ScenarioFacts:
    """Per scenario: which phrase categories each rubric check concerns and the states' descriptions; from the
    phrasebook: category names, which categories are taboo-like, and a plain example phrase for each.

    Scenarios are discovered once (not once per sheet); a scenario that is gone or broken gives no facts, and
    the sheet then falls back to the words stored with the attempt."""

    def __init__(self, scenario_paths: list[str | Path] | None = None):
        self.paths = scenario_paths
        self._scenarios: dict | None = None
        self._book = None
        self._checks: dict[str, dict[str, list[str]]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._discovered = False

    @classmethod
    def of(cls, scenario, phrasebook=None) -> ScenarioFacts:
        """Facts about one scenario already loaded (no discovery: `play` and the TUI have it in hand)."""
        facts = cls()
        facts._scenarios, facts._discovered = {scenario.id: scenario}, True
        facts._book = phrasebook
        return facts

    # -- scenarios ------------------------------------------------------------------------

    def scenario(self, scenario_id: str):
        if self._scenarios is None:
            self._scenarios = {}
        if scenario_id not in self._scenarios and not self._discovered:
            found = self._by_file_name(scenario_id)
            if found is None:
                self._discover()
            else:
                self._scenarios[scenario_id] = found
        return self._scenarios.get(scenario_id)

    def _by_file_name(self, scenario_id: str):
        """The shipped scenario `<id>.yaml` alone: a report over 3 scenarios parses 3 files, not all 28."""
        from roleplay.core.content.problems import ContentError
        from roleplay.core.scenario.model import load_scenario
        from roleplay.core.settings import scenarios_dir

        if self.paths is not None or not scenario_id.replace("_", "").replace("-", "").isalnum():
            return None
        path = scenarios_dir() / f"{scenario_id}.yaml"
        try:
            scenario = load_scenario(path) if path.is_file() else None
        except (ContentError, OSError, ValueError):
            return None
        return scenario if scenario is not None and scenario.id == scenario_id else None

    def _discover(self) -> None:
        from roleplay.core.scenario.model import discover_scenarios

        self._discovered = True
        try:
            found = {s.id: s for s in discover_scenarios(self.paths)}
        except (OSError, ValueError):
            found = {}
        self._scenarios = {**found, **(self._scenarios or {})}

    def __call__(self, scenario_id: str) -> dict[str, list[str]]:
        """Rubric check id -> the phrase categories it concerns."""
        if scenario_id not in self._checks:
            scenario = self.scenario(scenario_id)
            mapping: dict[str, list[str]] = {}
            for check in (scenario.checks if scenario else []):
                cats = list(check.said or []) + list(check.never or [])
                if check.order is not None:
                    cats += list(check.order.first) + list(check.order.then)
                mapping[check.id] = list(dict.fromkeys(cats))
            self._checks[scenario_id] = mapping
        return self._checks[scenario_id]

    def state_name(self, scenario_id: str, state_id: str | None) -> str | None:
        """The coach's description of a state, or None when it has none (an id is never shown)."""
        scenario = self.scenario(scenario_id)
        spec = scenario.states.get(state_id) if scenario and state_id else None
        return (getattr(spec, "description", "") or None) if spec else None

    def action_label(self, scenario_id: str, action_id: str | None) -> str | None:
        """What an /action is called in the scenario (递名片), never its id."""
        scenario = self.scenario(scenario_id)
        action = scenario.action(action_id) if scenario and action_id else None
        return action.label if action else None

    def state_names(self, scenario_id: str, lang: str) -> dict[str, str]:
        """Every state of the scenario in words: its description, else how a final state ends, else "a later
        stage" (a state id is never shown)."""
        from roleplay.core.reports.labels import label

        scenario = self.scenario(scenario_id)
        if scenario is None:
            return {}
        names = {}
        for sid, spec in scenario.states.items():
            words = getattr(spec, "description", "")
            if not words and spec.final and spec.outcome:
                try:
                    words = label(f"outcome.{spec.outcome}", lang)
                except KeyError:
                    words = ""
            names[sid] = words or label("later_stage", lang)
        return names

    # -- phrase categories ----------------------------------------------------------------

    def book(self):
        if self._book is None:
            from roleplay.core.content.problems import ContentError
            from roleplay.core.phrasebook.book import Phrasebook, load_phrasebook

            try:
                self._book = load_phrasebook()
            except ContentError:
                self._book = Phrasebook()
        return self._book

    def _local(self, lang: str | None = None):
        for scenario in (self._scenarios or {}).values():
            if lang is None or scenario.language == lang:
                yield from scenario.categories.items()

    def names(self, lang: str) -> dict[str, str]:
        if lang not in self._names:
            local = {cid: cat.name for cid, cat in self._local() if cat.name}  # any language, then this one's
            local.update({cid: cat.name for cid, cat in self._local(lang) if cat.name})
            self._names[lang] = {**local, **{cid: cat.name(lang) for cid, cat in self.book().categories.items()}}
        return self._names[lang]

    def name(self, category: str, lang: str) -> str:
        return self.names(lang).get(category) or category.replace("_", " ")

    def negative(self) -> set[str]:
        """Taboo-like categories: a sheet counts who stayed clear of them, never a percentage."""
        found = {cid for cid, cat in self.book().categories.items() if cat.negative}
        return found | {cid for cid, cat in self._local() if cat.negative}

    def example(self, category: str, lang: str) -> str | None:
        """A plain phrase of the category (never template syntax) to show beside the trainee's words."""
        for phrase in self.book().phrases(category, lang):
            if "{" not in phrase:
                return phrase
        for cid, cat in self._local(lang):
            if cid == category:
                return next((p for p in cat.phrases if "{" not in p), None)
        return None


CheckCategories = ScenarioFacts  # the name earlier callers use
