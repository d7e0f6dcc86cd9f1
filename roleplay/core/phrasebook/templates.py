"""Phrasebook templates (`我是{$org}的{any:1-4}`, `{hi|hello} {$honorific}`) as gated, bounded regexes.

The syntax is parsed once by roleplay.core.phrasebook.grammar; this module builds from its tree the
two things matching needs. Chinese templates run on compact text (one character per unit); English
ones on words, each word followed by one space, so `{any:1-3}` counts words.

Compiling a hundred regexes with long alternations costs more than `roleplay match` may spend
starting up, so each template keeps cheap "gates" (pieces of text that must occur in the clause)
and compiles its regex only the first time a clause gets past them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from roleplay.core.phrasebook.grammar import Anchor, Choice, Gap, Literal, Node, Parsed, Question, Slot, parse

QUESTION_MARK = "？"
GRAM_UNITS = 6  # gate pieces up to this many units are looked up in the clause's set of n-grams


@dataclass
class Template:
    """One template: its text, the gates a clause must pass, and its regex (compiled on first use)."""

    category: str
    text: str
    # each gate: at least one piece occurs in the clause (short pieces as a set, long ones as a tuple)
    gates: list[tuple[frozenset[str], tuple[str, ...]]]
    _build: Callable[[], re.Pattern[str]] = field(repr=False)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    ok: bool = True  # False: the template has syntax errors (no gates, never matches)

    def search(self, clause_text: str, grams: set[str]) -> re.Match[str] | None:
        """The template's match in a clause; `grams` are the clause's n-grams (see clause_grams)."""
        return self.pattern.search(clause_text) if self.passes(clause_text, grams) else None

    def passes(self, clause_text: str, grams: set[str]) -> bool:
        """True when the clause has a piece of every gate (else the regex cannot match)."""
        for short, long in self.gates:
            if short.isdisjoint(grams) and not any(piece in clause_text for piece in long):
                return False
        return True

    @property
    def pattern(self) -> re.Pattern[str]:
        """The regex, compiled on first use."""
        if self._pattern is None:
            self._pattern = self._build()
        return self._pattern


def parse_template(
    category: str,
    template: str,
    slots: dict[str, list[str]],
    literal: Callable[[str], str],
    plain: Callable[[str], str],
    words: bool,
) -> Template:
    """`literal(text)` gives the escaped regex of written text, `plain(text)` its normalised form.

    A template with syntax errors (reported by validation and at load) gets no gates and never matches.
    """
    parsed = parse(template)
    if not parsed.ok:
        return Template(category, template, [], lambda: re.compile("(?!)"), ok=False)
    question = f" {QUESTION_MARK} " if words else QUESTION_MARK  # gates compare in the clause's own form
    gates: list[tuple[str, ...]] = []
    for node in parsed.nodes:
        if isinstance(node, Literal):
            piece = plain(node.text)
            if piece.strip():
                gates.append((piece,))
        elif isinstance(node, Question):
            gates.append((question,))
        elif isinstance(node, (Choice, Slot)):
            options: list[str] = []
            for part in _parts(node):
                if isinstance(part, Question):
                    options.append(question)
                elif isinstance(part, Slot):
                    options.extend(plain(v) for v in slots.get(part.name, []))
                else:
                    options.append(plain(part.text))
            optional = isinstance(node, Choice) and node.optional
            if options and not optional and all(o.strip() for o in options):
                gates.append(tuple(set(options)))
    gates.sort(key=len)  # the most selective (fewest alternatives) first
    split = [(frozenset(p for p in g if _units(p, words) <= GRAM_UNITS),
              tuple(p for p in g if _units(p, words) > GRAM_UNITS)) for g in gates]
    return Template(category, template, split, lambda: compile_parsed(parsed, slots, literal, words))


# Every scenario's matcher parses the same phrase-bank templates with the same slots and normalisation: parse
# (and compile) each once per process, and a whole set once per version (template_cache). Key: `context`.
_SHARED: dict[tuple[object, ...], Template] = {}
_SHARED_LIMIT = 50_000


def shared_templates(
    context: tuple[object, ...],
    items: list[tuple[str, str]],
    slots: dict[str, list[str]],
    literal: Callable[[str], str],
    plain: Callable[[str], str],
    words: bool,
) -> list[Template]:
    """parse_template for each (category, template) of `items`, remembered: `context` must capture everything
    besides the template that shapes the result (the slot values, and how `literal`/`plain` normalise text).
    Templates are shared, so a regex is compiled once however many matchers use it (never changed after)."""
    from roleplay.core.phrasebook import template_cache

    keys = [(context, category, template, words) for category, template in items]
    if len(_SHARED) + len(keys) > _SHARED_LIMIT:
        _SHARED.clear()
    if not any(key in _SHARED for key in keys):  # a first matcher: the whole set may be stored on disk
        stored = template_cache.read(context, items, words)
        if stored is not None:
            for key, (category, template), gates in zip(keys, items, stored, strict=True):
                _SHARED[key] = Template(category, template, gates or [],
                                        partial(_compile_text, template, slots, literal, words, gates is not None),
                                        ok=gates is not None)
            return [_SHARED[key] for key in keys]
        built = [parse_template(category, template, slots, literal, plain, words) for category, template in items]
        template_cache.write(context, items, words, [t.gates if t.ok else None for t in built])
        _SHARED.update(zip(keys, built, strict=True))
    for key, (category, template) in zip(keys, items, strict=True):
        if key not in _SHARED:
            _SHARED[key] = parse_template(category, template, slots, literal, plain, words)
    return [_SHARED[key] for key in keys]


def _compile_text(template: str, slots: dict[str, list[str]], literal: Callable[[str], str], words: bool,
                  ok: bool) -> re.Pattern[str]:
    """The regex of a template whose gates came from the cache (a template that does not parse never matches)."""
    return compile_parsed(parse(template), slots, literal, words) if ok else re.compile("(?!)")


def _parts(node: Choice | Slot) -> tuple[Literal | Slot | Question, ...]:
    return node.options if isinstance(node, Choice) else (node,)


def _units(piece: str, words: bool) -> int:
    return len(piece.split()) if words else len(piece)


def clause_grams(text: str, words: bool) -> set[str]:
    """Every run of 1..GRAM_UNITS units of a clause, in the form gates are written in."""
    if words:
        ws = text.split()
        return {" " + " ".join(ws[i:j]) + " " for i in range(len(ws)) for j in range(i + 1, min(len(ws), i + GRAM_UNITS) + 1)}
    return {text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + GRAM_UNITS) + 1)}


def compile_template(
    template: str, slots: dict[str, list[str]], literal: Callable[[str], str], words: bool
) -> re.Pattern[str]:
    """Compile one template; `literal(text)` turns written text into an escaped regex for the units."""
    parsed = parse(template)
    if not parsed.ok:
        return re.compile("(?!)")
    return compile_parsed(parsed, slots, literal, words)


def compile_parsed(
    parsed: Parsed, slots: dict[str, list[str]], literal: Callable[[str], str], words: bool
) -> re.Pattern[str]:
    """The regex of a parsed template (gaps count characters in Chinese, words in English)."""
    gap_unit = r"\S++ " if words else "."  # possessive: a word is skipped whole, never re-split
    prefix = "(?<= )" if words else ""
    parts: list[str] = []
    for node in parsed.nodes:
        if isinstance(node, Anchor) and node.kind == "start":
            prefix = "(?<=^ )" if words else "^"  # grammar: {start} comes first
        else:
            parts.append(_regex(node, slots, literal, gap_unit))
    return re.compile(prefix + "".join(parts))


def _regex(node: Node, slots: dict[str, list[str]], literal: Callable[[str], str], gap_unit: str) -> str:
    if isinstance(node, Literal):
        return literal(node.text)
    if isinstance(node, Question):  # the clause was a question (ended with ? or ？)
        return "？ "
    if isinstance(node, Anchor):  # {end}: the clause ends here (您这茶真香 but not 您好，专业团队为您服务)
        return "(?:？ )?$"
    if isinstance(node, Gap):
        return f"(?:{gap_unit}){{{node.low},{node.high}}}"
    assert isinstance(node, (Choice, Slot))
    options: list[str] = []
    for part in _parts(node):
        if isinstance(part, Question):
            options.append("？ ")
        elif isinstance(part, Slot):
            options.extend(literal(v) for v in slots.get(part.name, []))
        else:
            options.append(literal(part.text))
    if isinstance(node, Choice) and node.optional:
        options.append("")
    unique = set(options)
    # single characters become one class: far quicker to compile and to run than a long alternation
    singles = sorted(o for o in unique if len(o) == 1 and o not in "\\^-]")
    if len(singles) > 1:
        longer = sorted((o for o in unique if o and o not in singles), key=lambda o: (-len(o), o))
        longer += ["[" + "".join(singles) + "]"] + ([""] if "" in unique else [])
    else:
        longer = sorted(unique, key=lambda o: (-len(o), o))  # longest first: the fullest reading wins
    return "(?:" + "|".join(longer) + ")" if longer else "(?!)"
