"""A scenario's own phrasebook: the shared one plus its local categories, with the shared moves it uses turned on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roleplay.core.content.yamlsafe import YamlDoc
from roleplay.core.phrasebook.book import Phrasebook
from roleplay.core.phrasebook.schema import CategorySpec, Language, PhrasebookFile
from roleplay.core.scenario.moves import add_moves, used_categories

if TYPE_CHECKING:
    from roleplay.core.scenario.model import LocalCategory, Scenario


def scenario_phrasebook(scenario: Scenario, phrasebook: Phrasebook) -> Phrasebook:
    """A copy of `phrasebook` with the scenario's local categories and phrases merged in."""
    return merge_local_categories(phrasebook, scenario.categories, scenario.language, scenario.path, scenario.marks,
                                  used_categories(scenario.spec))


def merge_local_categories(phrasebook: Phrasebook, local: dict[str, LocalCategory], language: Language, path: str,
                           marks: dict[tuple[Any, ...], tuple[int, int]],
                           used: set[str] | None = None) -> Phrasebook:
    """The phrasebook plus a scenario's local categories; shared moves it uses (by id or `moves:`) turned on."""
    book = phrasebook.copy()
    for cid in used or ():
        if cid in book.categories:
            book.categories[cid].move = False
    categories: dict[str, CategorySpec] = {}
    for cid, cat in local.items():
        existing = book.categories.get(cid)
        if existing is None:
            categories[cid] = CategorySpec(name=cat.name or cid, description=cat.description,
                                           negative=cat.negative, threshold=cat.threshold)
        elif cat.threshold is not None:  # tune only; keep the phrasebook's polarity
            categories[cid] = CategorySpec(negative=existing.negative, threshold=cat.threshold)
    extra = PhrasebookFile(
        language=language, categories=categories,
        phrases={cid: c.phrases for cid, c in local.items() if c.phrases},
        templates={cid: c.templates for cid, c in local.items() if c.templates},
    )
    book.merge(YamlDoc(path, {}), extra)
    for key, (line, col) in marks.items():  # where each local template was written
        if len(key) == 4 and key[0] == "categories" and key[2] == "templates" and key[1] in local:
            book.origins.setdefault(local[key[1]].templates[key[3]], f"{path}:{line}:{col}")
    for cid, cat in local.items():
        add_moves(book, cid, cat.moves, language)
    return book
