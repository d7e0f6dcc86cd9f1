"""The template compiler as it was before the grammar (kept to prove tools/migrate_templates.py exact).

Old syntax: phrasebook templates with slots (`我是{org}的{any:1-4}`, `{hi|hello} {honorific}`) as bounded regexes.

A template is data written by a coach, never a regex: literals are escaped, `{any:a-b}` is a
bounded gap (`{any:2}` exactly two), `{start}`/`{end}` the clause's start/end, `{q}` a question
mark ending the clause, `{slot}` is one of the slot's values and `{a|b|}` lists alternatives in
place (an alternative that names a slot stands for that slot's values; an empty one makes the part
optional; `q` among them is the question mark). Chinese templates run on compact text (one
character per unit); English ones on words, each word followed by one space, so `{any:1-3}`
counts words.

Compiling a hundred regexes with long alternations costs more than `roleplay match` may spend
starting up, so each template keeps cheap "gates" (pieces of text that must occur in the clause)
and compiles its regex only the first time a clause gets past them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_PART = re.compile(r"\{([^{}]*)\}")
_ANY = re.compile(r"^any(?::(\d+)(?:-(\d+))?)?$")
_SLOT = re.compile(r"^[a-z][a-z0-9_]*$")
QUESTION_MARK = "？"
_START = "\x00start"  # marker replaced by an anchor when `{start}` opens a template
MAX_GAP = 16  # no template may skip more than this many units at once (keeps matching linear)
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

    def search(self, clause_text: str, grams: set[str]) -> re.Match[str] | None:
        """The template's match in a clause; `grams` are the clause's n-grams (see clause_grams)."""
        for short, long in self.gates:
            if short.isdisjoint(grams) and not any(piece in clause_text for piece in long):
                return None
        if self._pattern is None:
            self._pattern = self._build()
        return self._pattern.search(clause_text)


def parse_template(
    category: str,
    template: str,
    slots: dict[str, list[str]],
    literal: Callable[[str], str],
    plain: Callable[[str], str],
    words: bool,
) -> Template:
    """`literal(text)` gives the escaped regex of written text, `plain(text)` its normalised form."""
    gates: list[tuple[str, ...]] = []
    pos = 0
    for m in _PART.finditer(template):
        _literal_gate(template[pos:m.start()], plain, gates)
        body = m.group(1)
        if body == "q":  # gates are compared in the clause's own form: " ？ " is one more word in English
            gates.append((f" {QUESTION_MARK} " if words else QUESTION_MARK,))
        elif body not in ("start", "end") and not _ANY.match(body):
            options: list[str] = []
            for alternative in (a.strip() for a in body.split("|")):
                if alternative == "q":  # {吗|呢|q}: a particle or a question mark
                    options.append(f" {QUESTION_MARK} " if words else QUESTION_MARK)
                    continue
                values = slots[alternative] if _SLOT.match(alternative) and alternative in slots else [alternative]
                options.extend(plain(v) for v in values)
            if options and all(o.strip() for o in options):
                gates.append(tuple(set(options)))
        pos = m.end()
    _literal_gate(template[pos:], plain, gates)
    gates.sort(key=len)  # the most selective (fewest alternatives) first
    split = [(frozenset(p for p in g if _units(p, words) <= GRAM_UNITS),
              tuple(p for p in g if _units(p, words) > GRAM_UNITS)) for g in gates]
    return Template(category, template, split, lambda: compile_template(template, slots, literal, words))


def _units(piece: str, words: bool) -> int:
    return len(piece.split()) if words else len(piece)


def clause_grams(text: str, words: bool) -> set[str]:
    """Every run of 1..GRAM_UNITS units of a clause, in the form gates are written in."""
    if words:
        ws = text.split()
        return {" " + " ".join(ws[i:j]) + " " for i in range(len(ws)) for j in range(i + 1, min(len(ws), i + GRAM_UNITS) + 1)}
    return {text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + GRAM_UNITS) + 1)}


def _literal_gate(text: str, plain: Callable[[str], str], gates: list[tuple[str, ...]]) -> None:
    piece = plain(text) if text else ""
    if piece.strip():
        gates.append((piece,))


def compile_template(
    template: str, slots: dict[str, list[str]], literal: Callable[[str], str], words: bool
) -> re.Pattern[str]:
    """Compile one template; `literal(text)` turns written text into an escaped regex for the units."""
    # possessive, as the grammar now compiles it: the same matches (a word is followed by a space, so
    # \S+ can only take it whole), without re-splitting words when a match fails
    gap_unit = r"\S++ " if words else "."
    parts: list[str] = []
    pos = 0
    for m in _PART.finditer(template):
        if m.start() > pos:
            parts.append(literal(template[pos:m.start()]))
        parts.append(_hole(m.group(1), slots, literal, gap_unit))
        pos = m.end()
    if pos < len(template):
        parts.append(literal(template[pos:]))
    prefix = "(?<= )" if words else ""
    if parts and parts[0] == _START:
        prefix, parts = ("(?<=^ )" if words else "^"), parts[1:]
    return re.compile(prefix + "".join(parts))


def _hole(body: str, slots: dict[str, list[str]], literal: Callable[[str], str], gap_unit: str) -> str:
    if body == "start":
        return _START
    if body == "q":  # the clause was a question (ended with ? or ？)
        return "？ "
    if body == "end":  # the clause ends here (您这茶真香 but not 您好，专业团队为您服务)
        return "(?:？ )?$"
    any_gap = _ANY.match(body)
    if any_gap:
        low = int(any_gap.group(1) or 1)
        high = min(int(any_gap.group(2) or any_gap.group(1) or 6), MAX_GAP)
        return f"(?:{gap_unit}){{{min(low, high)},{high}}}"
    options: list[str] = []
    for alternative in body.split("|"):
        alternative = alternative.strip()
        if alternative == "q":
            options.append("？ ")
        elif _SLOT.match(alternative) and alternative in slots:
            options.extend(literal(v) for v in slots[alternative])
        else:
            options.append(literal(alternative) if alternative else "")
    unique = set(options)
    # single characters become one class: far quicker to compile and to run than a long alternation
    singles = sorted(o for o in unique if len(o) == 1 and o not in "\\^-]")
    if len(singles) > 1:
        longer = sorted((o for o in unique if o and o not in singles), key=lambda o: (-len(o), o))
        longer += ["[" + "".join(singles) + "]"] + ([""] if "" in unique else [])
    else:
        longer = sorted(unique, key=lambda o: (-len(o), o))  # longest first: the fullest reading wins
    return "(?:" + "|".join(longer) + ")" if longer else "(?!)"
