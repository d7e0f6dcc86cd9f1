"""Finding scenarios: one file by path, one by id, or every scenario under some folders (each file parsed once per version)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from roleplay.core.scenario.model import Scenario

if TYPE_CHECKING:
    from roleplay.core.content.problems import Problem


def load_scenario(path: str | Path) -> Scenario:
    """Load and check one scenario file (at most once per file version). Raises ContentError with every
    located problem."""
    from roleplay.core.scenario.cache import load_cached

    return load_cached(path)


def discover_scenarios(paths: list[str | Path] | None = None) -> list[Scenario]:
    """Valid scenarios under the given files/folders (default: the shipped ones), sorted by id."""
    return discover_with_problems(paths)[0]


def discover_with_problems(paths: list[str | Path] | None = None) -> tuple[list[Scenario], list[Problem]]:
    """Valid scenarios sorted by id, and the problems of the files that were skipped."""
    from roleplay.core.content.problems import ContentError, Problem
    from roleplay.core.content.files import expand

    if paths is None:
        from roleplay.core.settings import scenarios_dir

        paths = [scenarios_dir()]
    files, problems = expand(list(paths))
    found: dict[str, Scenario] = {}
    for f in files:
        try:
            scenario = load_scenario(f)
        except ContentError as exc:
            problems.extend(exc.problems)  # `roleplay validate` reports them in full
            continue
        if scenario.id in found:
            problems.append(Problem(str(f), 1, 1, f"scenario id {scenario.id!r} is already used by {found[scenario.id].path}",
                                    "S307"))
            continue
        found[scenario.id] = scenario
    return [found[k] for k in sorted(found)], problems


def find_scenario(id_or_path: str | Path, paths: list[str | Path] | None = None) -> Scenario:
    """A scenario by id among the discovered ones, or by file path. Raises ContentError."""
    from roleplay.core.content.problems import ContentError, Problem

    candidate = Path(id_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        return load_scenario(candidate)
    named = _named_file(str(id_or_path), paths)
    if named is not None:
        return named
    scenarios = discover_scenarios(paths)
    for scenario in scenarios:
        if scenario.id == str(id_or_path):
            return scenario
    known = ", ".join(s.id for s in scenarios) or "none"
    raise ContentError([Problem(str(id_or_path), 1, 1, f"no scenario with this id (known: {known})", "S308")])


def _named_file(scenario_id: str, paths: list[str | Path] | None) -> Scenario | None:
    """The scenario in `<folder>/<id>.yaml` when that file exists and holds this id (the shipped naming),
    so one lookup parses one file; otherwise None and the caller discovers every file."""
    from roleplay.core.content.problems import ContentError

    if not scenario_id or "/" in scenario_id or "\\" in scenario_id or scenario_id.startswith("."):
        return None
    if paths is None:
        from roleplay.core.settings import scenarios_dir

        paths = [scenarios_dir()]
    for folder in map(Path, paths):
        for suffix in (".yaml", ".yml"):
            path = folder / f"{scenario_id}{suffix}"
            if folder.is_dir() and path.is_file():
                try:
                    scenario = load_scenario(path)
                except ContentError:
                    return None  # discovery reports the files that fail, in order
                if scenario.id == scenario_id:
                    return scenario
    return None
