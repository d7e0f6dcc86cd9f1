"""The phrasebook: courteous-phrase categories and their phrases, merged from a folder of YAML files.

File format (every section optional; see docs/phrasebook-format.md):

    language: zh                # needed when the file has phrases/templates/slots
    categories:                 # define a category or tune an existing one
      greeting:
        name: {zh: 问候, en: Greeting}
        description: {zh: 相见之初向对方问候致意, en: Greet the client when you meet}
        negative: false         # true for taboo-like categories (penalised, never "earned")
        threshold: {zh: 80, en: 82}   # or one number for both languages
    phrases:
      greeting: [您好, 早上好]
    templates:                  # phrases with {slot} holes, for names, branches, times
      self_intro: ["我是{org}的{name}"]
    slots:
      org: [建行, 移动公司]
    kinds:                      # phrases and templates of one kind (taboo · brush_off, compliance · discount)
      taboo:
        brush_off: {phrases: [这不归我管], templates: ["你自己{any:0-4}去问"]}
    cues:                       # words the meaning rules use (see docs/phrasebook-format.md)
      neutral: [不客气, 不用谢]   # replies to thanks/apologies: no label where they match
      negation: [不用, 没必要]    # right before a polite phrase, cancel it
      fact_check: [是本人吗]      # a question that only checks facts is not an inquiry
      known: [card, loan]       # English words never "corrected" as typos into phrase words
    aliases: {thx: thanks}      # English shorthand -> the word it stands for
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.core.content.problems import ContentError, Problem, errors

if TYPE_CHECKING:  # pydantic and PyYAML load only when files are parsed (a cache hit skips both)
    from roleplay.core.phrasebook.schema import LocalizedText, PhrasebookFile
    from roleplay.core.content.yamlsafe import YamlDoc

LANGUAGES = ("zh", "en")
CUE_KINDS = ("neutral", "negation", "not_negation", "imperative", "fact_check", "known", "refusal", "offer", "terms",
             "party", "bystander", "softener",
             "deference")
_SCHEMA_NAMES = ("CategorySpec", "KindFamily", "PhrasebookFile", "LocalizedText", "CategoryId", "PhraseText", "TemplateText",
                 "SlotId", "CueKind", "Language")


def __getattr__(name: str) -> Any:
    """The pydantic file models live in phrasebook_schema; importing them here stays possible."""
    if name in _SCHEMA_NAMES:
        from roleplay.core.phrasebook import schema as phrasebook_schema

        return getattr(phrasebook_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

CORE_CATEGORIES = (
    "greeting", "request", "thanks", "inquiry", "apology", "closing",
    "self_intro", "compliment", "appointment", "empathy", "callback", "taboo",
)
DEFAULT_THRESHOLD = 80.0

def _localized(value: LocalizedText | str | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return getattr(value, lang) or value.zh or value.en or ""


@dataclass
class Category:
    """A merged category: metadata plus phrases and templates per language."""

    id: str
    names: dict[str, str]
    descriptions: dict[str, str]
    negative: bool = False
    thresholds: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, list[str]] = field(default_factory=lambda: {lang: [] for lang in LANGUAGES})
    templates: dict[str, list[str]] = field(default_factory=lambda: {lang: [] for lang in LANGUAGES})
    yields_to_taboo: bool = False
    yields_to: list[str] = field(default_factory=list)
    yields_to_in_reply: list[str] = field(default_factory=list)
    kind_names: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> lang -> display name
    kind_of: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> phrase or template -> kind
    move: bool = False  # a shared scenario move, matched only where a scenario uses it
    keeps_polite: bool = False  # negative, but no rudeness: polite labels of the reply stay (compliance)

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("zh") or self.id

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get("zh") or ""

    def threshold(self, lang: str) -> float:
        return self.thresholds.get(lang, DEFAULT_THRESHOLD)

    def kind_name(self, kind: str, lang: str) -> str:
        """Display name of one kind (推诿, brush-off); the id only if the phrasebook names none."""
        names = self.kind_names.get(kind, {})
        return names.get(lang) or names.get("zh") or kind.replace("_", " ")


@dataclass
class Phrasebook:
    """All categories, phrases, templates and slots, merged from one or more files."""

    categories: dict[str, Category] = field(default_factory=dict)
    slots: dict[str, dict[str, list[str]]] = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    cues: dict[str, dict[str, list[str]]] = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    aliases: dict[str, dict[str, str]] = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    sources: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # template -> "path:line:col" where it was written

    def phrases(self, category: str, lang: str) -> list[str]:
        cat = self.categories.get(category)
        return list(cat.phrases.get(lang, [])) if cat else []

    def label(self, category: str, kind: str | None, lang: str) -> str:
        """What a trainee reads for a match: the category's name, with its kind when there is one.

        忌语·推诿 / Taboo · brush-off / 合规·擅自承诺折扣. Score sheets, `roleplay match` and the TUI use this.
        """
        cat = self.categories.get(category)
        if cat is None:
            return category
        if not kind:
            return cat.name(lang)
        return f"{cat.name(lang)}·{cat.kind_name(kind, lang)}" if lang == "zh" else \
            f"{cat.name(lang)} · {cat.kind_name(kind, lang)}"

    def cue(self, kind: str, lang: str) -> list[str]:
        """Cue words of one kind (neutral, negation, fact_check) for one language."""
        return list(self.cues.get(lang, {}).get(kind, []))

    def copy(self) -> Phrasebook:
        clone = Phrasebook(sources=list(self.sources))
        for cid, cat in self.categories.items():
            clone.categories[cid] = Category(
                cat.id, dict(cat.names), dict(cat.descriptions), cat.negative, dict(cat.thresholds),
                {k: list(v) for k, v in cat.phrases.items()}, {k: list(v) for k, v in cat.templates.items()},
                cat.yields_to_taboo, list(cat.yields_to), list(cat.yields_to_in_reply),
                {k: dict(v) for k, v in cat.kind_names.items()}, {k: dict(v) for k, v in cat.kind_of.items()},
                cat.move, cat.keeps_polite,
            )
        clone.slots = {lang: {k: list(v) for k, v in slots.items()} for lang, slots in self.slots.items()}
        clone.cues = {lang: {k: list(v) for k, v in cues.items()} for lang, cues in self.cues.items()}
        clone.aliases = {lang: dict(aliases) for lang, aliases in self.aliases.items()}
        clone.origins = dict(self.origins)
        return clone

    def merge(self, doc: YamlDoc, spec: PhrasebookFile) -> list[Problem]:
        """Merge one validated file in; returns problems such as phrases for an undefined category."""
        problems: list[Problem] = []
        for cid, cs in spec.categories.items():
            cat = self.categories.get(cid)
            names = {lang: _localized(cs.name, lang) for lang in LANGUAGES}
            descriptions = {lang: _localized(cs.description, lang) for lang in LANGUAGES}
            if isinstance(cs.threshold, dict):
                thresholds: dict[str, float] = dict(cs.threshold.items())
            elif cs.threshold is not None:
                thresholds = {lang: cs.threshold for lang in LANGUAGES}
            else:
                thresholds = {}
            if cat is None and cs.name is None:
                problems.append(doc.problem(("categories", cid), f"new category {cid!r} needs a `name`", "P201"))
            elif cat is None:
                self.categories[cid] = Category(cid, names, descriptions, bool(cs.negative), thresholds,
                                                yields_to_taboo=bool(cs.yields_to_taboo),
                                                yields_to=list(cs.yields_to or []),
                                                yields_to_in_reply=list(cs.yields_to_in_reply or []),
                                                move=bool(cs.move), keeps_polite=bool(cs.keeps_polite))
                self.categories[cid].kind_names = _kind_names(cs.kinds)
            else:  # a later file tunes an existing category: only what it sets changes
                cat.names.update({k: v for k, v in names.items() if v})
                cat.descriptions.update({k: v for k, v in descriptions.items() if v})
                if cs.negative is not None:
                    cat.negative = cs.negative
                if cs.yields_to_taboo is not None:
                    cat.yields_to_taboo = cs.yields_to_taboo
                if cs.yields_to is not None:
                    cat.yields_to = list(cs.yields_to)
                if cs.yields_to_in_reply is not None:
                    cat.yields_to_in_reply = list(cs.yields_to_in_reply)
                if cs.move is not None:
                    cat.move = cs.move
                if cs.keeps_polite is not None:
                    cat.keeps_polite = cs.keeps_polite
                cat.kind_names.update(_kind_names(cs.kinds))
                cat.thresholds.update(thresholds)
        if (spec.phrases or spec.templates or spec.slots or spec.cues or spec.aliases or spec.kinds) \
                and spec.language is None:
            problems.append(doc.problem(("phrases",), "add `language: zh` or `language: en` to a file with phrases",
                                        "P202"))
            return problems
        lang = spec.language or "zh"
        for section in ("phrases", "templates"):
            for cid, items in getattr(spec, section).items():
                cat = self.categories.get(cid)
                if cat is None:
                    problems.append(doc.problem((section, cid), (
                        f"category {cid!r} is not defined: define it under `categories:` "
                        f"(known: {', '.join(sorted(self.categories)) or 'none'})"), "P204"))
                    continue
                target = getattr(cat, section).setdefault(lang, [])
                seen = set(target)
                for i, item in enumerate(items):
                    if section == "templates":
                        problems.extend(template_problems(doc, (section, cid, i), item))
                        if doc.marks:
                            line, col = doc.where((section, cid, i))
                            self.origins.setdefault(item, f"{doc.path}:{line}:{col}")
                    if item not in seen:
                        target.append(item)
                        seen.add(item)
        for cid, families in spec.kinds.items():
            cat = self.categories.get(cid)
            if cat is None:
                problems.append(doc.problem(("kinds", cid), f"category {cid!r} is not defined: define it under "
                                            f"`categories:` (known: {', '.join(sorted(self.categories)) or 'none'})",
                                            "P204"))
                continue
            kind_of = cat.kind_of.setdefault(lang, {})
            for kind, family in families.items():
                if cat.kind_names and kind not in cat.kind_names:
                    problems.append(doc.problem(("kinds", cid, kind), (
                        f"{cid!r} has no kind {kind!r} (known: {', '.join(sorted(cat.kind_names))}); "
                        f"name it under `categories: {cid}: kinds:`"), "P205"))
                    continue
                for section in ("phrases", "templates"):
                    target = getattr(cat, section).setdefault(lang, [])
                    for i, item in enumerate(getattr(family, section)):
                        if section == "templates":
                            at = ("kinds", cid, kind, section, i)
                            problems.extend(template_problems(doc, at, item))
                            if doc.marks:
                                line, col = doc.where(at)
                                self.origins.setdefault(item, f"{doc.path}:{line}:{col}")
                        if item not in kind_of:
                            kind_of[item] = kind
                            if item not in target:
                                target.append(item)
        for slot, values in spec.slots.items():
            self.slots.setdefault(lang, {}).setdefault(slot, []).extend(values)
        for kind, values in spec.cues.items():
            target = self.cues.setdefault(lang, {}).setdefault(kind, [])
            target.extend(v for v in values if v not in target)
        self.aliases.setdefault(lang, {}).update(spec.aliases)
        if doc.path not in self.sources:
            self.sources.append(doc.path)
        return problems

    def precedence_problems(self, docs: list[YamlDoc]) -> list[Problem]:
        """A cycle in yields_to / yields_to_in_reply (P203), reported where the first category of it is tuned."""
        from roleplay.core.phrasebook.precedence import find_cycle

        relation = {cid: list(dict.fromkeys(c.yields_to + c.yields_to_in_reply)) for cid, c in self.categories.items()}
        cycle = find_cycle(relation)
        if not cycle or not docs:
            return []
        doc = next((d for d in reversed(docs) if ("categories", cycle[0], "yields_to") in d.marks
                    or ("categories", cycle[0], "yields_to_in_reply") in d.marks), docs[0])
        return [doc.problem(("categories", cycle[0], "yields_to"), (
            f"categories yield to each other in a circle ({' → '.join(cycle)}): remove one of these "
            f"yields_to entries so one category clearly wins"), "P203")]


def template_problems(doc: YamlDoc, loc: tuple[Any, ...], template: str,
                      slots: dict[str, list[str]] | None = None) -> list[Problem]:
    """Syntax and cost problems of one template at `loc` (and undefined slots, given the slots), located."""
    from roleplay.core.phrasebook.grammar import check_slots, parse

    parsed = parse(template)
    issues = list(parsed.issues) if slots is None else check_slots(parsed, slots)
    return [doc.problem_in(loc, i.at, f"template {template!r}: {i.message}", i.code, i.severity) for i in issues]


def _kind_names(kinds: dict[str, LocalizedText] | None) -> dict[str, dict[str, str]]:
    return {k: {lang: _localized(v, lang) for lang in LANGUAGES} for k, v in (kinds or {}).items()}


def parse_phrasebook_doc(doc: YamlDoc) -> PhrasebookFile:
    """Validate a loaded document as a phrasebook file; raise ContentError with located problems."""
    from pydantic import ValidationError

    from roleplay.core.phrasebook.schema import PhrasebookFile
    from roleplay.core.content.yamlsafe import validation_problems

    if not isinstance(doc.data, dict):
        raise ContentError([doc.problem((), "a phrasebook file must be a mapping (language:, categories:, phrases:)", "P200")])
    try:
        return PhrasebookFile.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError(validation_problems(doc, exc)) from None


def _yaml_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()))
        else:
            files.append(p)
    return files


def load_phrasebook(*paths: str | Path) -> Phrasebook:
    """Load and merge phrasebook files or folders (in sorted order); none: the shipped one. Raises ContentError."""
    if paths:
        return _parse_and_merge(_yaml_files([Path(p) for p in paths]))
    # the shipped phrasebook, the one every start-up reads, comes from a cache when unchanged
    from roleplay.core.phrasebook import cache as phrasebook_cache
    from roleplay.core.settings import phrasebook_dir

    files = _yaml_files([phrasebook_dir()])
    cached = phrasebook_cache.read(files)
    if cached is not None:
        try:
            return _from_dict(cached)
        except (KeyError, TypeError):  # written by another version: parse again
            pass
    book = _parse_and_merge(files)
    phrasebook_cache.write(files, asdict(book))
    return book


def _from_dict(data: dict[str, Any]) -> Phrasebook:
    """A phrasebook from the plain data the cache keeps (dataclasses.asdict of one)."""
    book = Phrasebook(sources=list(data["sources"]))
    book.categories = {cid: Category(**cat) for cid, cat in data["categories"].items()}
    book.slots = data["slots"]
    book.cues = data["cues"]
    book.aliases = data["aliases"]
    book.origins = data["origins"]
    return book


def _parse_and_merge(files: list[Path]) -> Phrasebook:
    from roleplay.core.content.yamlsafe import load_yaml

    book = Phrasebook()
    problems: list[Problem] = []
    docs = []
    for f in files:
        try:
            doc = load_yaml(f)
            docs.append((doc, parse_phrasebook_doc(doc)))
        except ContentError as exc:
            problems.extend(exc.problems)
    problems.extend(merge_parsed(book, docs))
    if errors(problems):  # warnings are for `roleplay validate`; they do not stop a load
        raise ContentError(errors(problems))
    return book


def merge_parsed(book: Phrasebook, docs: list[tuple[YamlDoc, PhrasebookFile]]) -> list[Problem]:
    """Merge parsed (doc, PhrasebookFile) pairs into `book`; returns the problems found.

    Every file's categories go in first, so a phrase file may come before the file defining its category.
    """
    from roleplay.core.phrasebook.schema import PhrasebookFile

    problems: list[Problem] = []
    for doc, spec in docs:
        problems.extend(book.merge(doc, PhrasebookFile(categories=spec.categories)))
    for doc, spec in docs:
        problems.extend(book.merge(doc, spec.model_copy(update={"categories": {}})))
    for doc, spec in docs:  # slots may be defined in any file: checked once all are merged
        slots = book.slots.get(spec.language or "zh", {})
        for cid, items in spec.templates.items():
            for i, template in enumerate(items):
                problems.extend(template_problems(doc, ("templates", cid, i), template, slots))
    problems.extend(book.precedence_problems([doc for doc, _ in docs]))
    return problems
