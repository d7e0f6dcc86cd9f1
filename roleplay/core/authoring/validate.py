"""Validate content files (phrasebooks now; scenarios register a checker too) into located problems."""

from __future__ import annotations

from pathlib import Path

from roleplay.core.phrasebook.book import Phrasebook, load_phrasebook, merge_parsed, parse_phrasebook_doc
from roleplay.core.content.files import expand
from roleplay.core.content.problems import ContentError, Problem
from roleplay.core.content.yamlsafe import YamlDoc, load_yaml

PHRASEBOOK_KEYS = {"language", "categories", "phrases", "templates", "slots"}




def kind_of(doc: YamlDoc) -> str:
    """'phrasebook' or 'scenario', guessed from the top-level keys."""
    if isinstance(doc.data, dict) and "states" in doc.data:
        return "scenario"
    if isinstance(doc.data, dict) and set(doc.data) <= PHRASEBOOK_KEYS:
        return "phrasebook"
    return "scenario" if isinstance(doc.data, dict) and "id" in doc.data else "phrasebook"


def validate_phrasebook_docs(docs: list[YamlDoc]) -> list[Problem]:
    """Check phrasebook files together, on top of the shipped categories (files may reference them)."""
    problems: list[Problem] = []
    try:
        base = load_phrasebook()
    except ContentError:
        base = Phrasebook()
    book = base.copy()
    parsed = []
    for doc in docs:
        try:
            parsed.append((doc, parse_phrasebook_doc(doc)))
        except ContentError as exc:
            problems.extend(exc.problems)
    problems.extend(merge_parsed(book, parsed))  # templates are checked there, slots over the merged book
    return problems


def validate_paths(paths: list[str | Path], warnings: bool = False) -> list[Problem]:
    """Every problem in the given files and folders; an empty list means all valid.

    `warnings`: also the `warning: …` notes (likely repeats, misplaced silence lines), which are not errors.
    """
    files, problems = expand(paths)
    phrasebooks: list[YamlDoc] = []
    scenarios: list[YamlDoc] = []
    for f in files:
        try:
            doc = load_yaml(f)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        (scenarios if kind_of(doc) == "scenario" else phrasebooks).append(doc)
    problems.extend(validate_phrasebook_docs(phrasebooks))
    if scenarios:
        problems.extend(_validate_scenarios(scenarios, _categories_defined_in(phrasebooks), warnings))
    return sorted(set(problems))


def _categories_defined_in(docs: list[YamlDoc]) -> set[str]:
    """Category ids defined by the phrasebook files being validated (scenarios may use them)."""
    found: set[str] = set()
    for doc in docs:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("categories"), dict):
            found.update(k for k in doc.data["categories"] if isinstance(k, str))
    return found


def _validate_scenarios(docs: list[YamlDoc], extra_categories: set[str], warnings: bool = False) -> list[Problem]:
    from roleplay.core.scenario.loader import validate_scenario_docs

    return validate_scenario_docs(docs, extra_categories=extra_categories, warnings=warnings)


def is_warning(problem: Problem) -> bool:
    """A finding that does not make a file invalid (`roleplay validate --strict` counts it)."""
    return not problem.is_error
