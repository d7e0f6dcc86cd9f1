"""The template mini-language, parsed once into a small tree with located, coded problems.

    template  := item*
    item      := literal | "{" hole "}"
    hole      := "$" slot                      one value of a slot            {$org}
               | "any:" low ["-" high]         a gap of low..high units       {any:0-3}, {any:2}
               | "start" | "end"               the clause's start / end       {start}您好, 好的{end}
               | "q"                           a question mark ends the clause {q}
               | alt ("|" alt)+                alternatives in place          {您|你}, {$req_verb|把|}
    alt       := "" (the part is optional) | "$" slot | "?" (a question mark) | literal words

Slot references always carry the `$` sigil, so a plain word in an alternation is always that word.
Everything that reads templates (gates, regex, checks, vocabulary) walks this tree. Limits keep the
cost of matching one template bounded (see check_limits): gaps are at most MAX_GAP units, never two
in a row, at most MAX_GAPS per template, and the ways it can stretch (gap widths, optional choices)
multiply to at most MAX_STRETCH; braces do not nest, so alternations cannot either.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal as TypingLiteral

MAX_GAP = 16  # no gap may skip more than this many units (keeps matching near linear)
MAX_GAPS = 4  # gaps in one template
MAX_STRETCH = 2_000  # ways a template can stretch: product of gap widths, times 2 per optional choice
SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_GAP = re.compile(r"any:(\d{1,3})(?:-(\d{1,3}))?")


@dataclass(frozen=True)
class Literal:
    """Written words, matched after normalisation."""

    text: str
    at: int  # 0-based offset of the node in the template text


@dataclass(frozen=True)
class Slot:
    """`$name`: any one value of the slot."""

    name: str
    at: int


@dataclass(frozen=True)
class Question:
    """A question mark ending the clause (`{q}`, or `?` in an alternation)."""

    at: int


@dataclass(frozen=True)
class Choice:
    """`{a|b|}`: one of the alternatives; `optional` when one of them is empty."""

    options: tuple[Literal | Slot | Question, ...]
    optional: bool
    at: int


@dataclass(frozen=True)
class Gap:
    """`{any:low-high}`: low..high units of anything."""

    low: int
    high: int
    at: int


@dataclass(frozen=True)
class Anchor:
    """`{start}` or `{end}` of the clause."""

    kind: TypingLiteral["start", "end"]
    at: int


Node = Literal | Slot | Question | Choice | Gap | Anchor


@dataclass(frozen=True)
class Issue:
    """A problem at an offset in the template text; `code` is stable (see docs/phrasebook-format.md)."""

    at: int
    code: str
    message: str
    severity: TypingLiteral["error", "warning"] = "error"


@dataclass(frozen=True)
class Parsed:
    """A template's tree, or the syntax and limit problems that kept it from being one."""

    text: str
    nodes: tuple[Node, ...]
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


@lru_cache(maxsize=8192)
def parse(text: str) -> Parsed:
    """Parse one template; syntax and limit problems are collected, never raised."""
    nodes: list[Node] = []
    issues: list[Issue] = []
    pos = 0
    while pos < len(text):
        opening = _next_brace(text, pos)
        if opening > pos:
            _literal_run(text[pos:opening], pos, nodes, issues)
        if opening == len(text):
            break
        if text[opening] == "}":
            issues.append(Issue(opening, "T101", "`}` without a `{` before it: remove it or open the brace"))
            pos = opening + 1
            continue
        closing = text.find("}", opening + 1)
        nested = text.find("{", opening + 1)
        if closing < 0:
            issues.append(Issue(opening, "T102", "`{` is never closed: add the `}`"))
            break
        if 0 <= nested < closing:
            issues.append(Issue(nested, "T103", "braces do not nest: close the first `{...}` before opening another"))
            pos = closing + 1
            continue
        node = _hole(text[opening + 1:closing], opening, issues)
        if node is not None:
            nodes.append(node)
        pos = closing + 1
    issues.extend(check_placement(nodes))
    issues.extend(check_limits(nodes))
    return Parsed(text, tuple(nodes), tuple(issues))


def _next_brace(text: str, pos: int) -> int:
    hits = [i for i in (text.find("{", pos), text.find("}", pos)) if i >= 0]
    return min(hits) if hits else len(text)


def _literal_run(run: str, at: int, nodes: list[Node], issues: list[Issue]) -> None:
    sigil = re.search(r"\$[a-z]", run)
    if sigil:
        name = SLOT_NAME.match(run, sigil.start() + 1)
        shown = name.group(0) if name else ""
        issues.append(Issue(at + sigil.start(), "T104",
                            f"a slot reference goes in braces: write {{${shown}}} instead of ${shown}"))
    nodes.append(Literal(run, at))


def _hole(body: str, at: int, issues: list[Issue]) -> Node | None:
    stripped = body.strip()
    if stripped in ("start", "end"):
        return Anchor("start" if stripped == "start" else "end", at)
    if stripped == "q":
        return Question(at)
    if "|" not in body and (stripped == "any" or stripped.startswith("any:")):
        return _gap(stripped, at, issues)
    if "|" not in body:
        if stripped.startswith("$"):
            return _slot(stripped, at, issues)
        hint = f"{{${stripped}}} for a slot, " if SLOT_NAME.fullmatch(stripped) else ""
        issues.append(Issue(at, "T105", (
            f"{{{body}}} is neither a slot nor a choice: write {hint}{{{body}|…}} for alternatives, "
            f"or {{{body}|}} to make it optional")))
        return None
    options: list[Literal | Slot | Question] = []
    optional = False
    offset = at + 1
    for raw in body.split("|"):
        alternative = raw.strip()
        where = offset + (len(raw) - len(raw.lstrip()))
        if not alternative:
            optional = True
        elif alternative == "?":
            options.append(Question(where))
        elif alternative.startswith("$"):
            slot = _slot(alternative, where, issues)
            if slot is not None:
                options.append(slot)
        else:
            if "$" in alternative:
                issues.append(Issue(where, "T104", f"`$` starts a slot reference: write {{$name|…}}, not {alternative!r}"))
            options.append(Literal(alternative, where))
        offset += len(raw) + 1
    if not options:
        issues.append(Issue(at, "T106", "every alternative is empty: write at least one"))
        return None
    return Choice(tuple(options), optional, at)


def _slot(text: str, at: int, issues: list[Issue]) -> Slot | None:
    if not SLOT_NAME.fullmatch(text[1:]):
        issues.append(Issue(at, "T107", (
            f"{text!r} is not a slot name: `$` is followed by lower-case letters, digits and _ ({{$org}})")))
        return None
    return Slot(text[1:], at)


def _gap(body: str, at: int, issues: list[Issue]) -> Gap | None:
    m = _GAP.fullmatch(body.replace(" ", ""))
    if not m:
        issues.append(Issue(at, "T108", f"{{{body}}}: write a gap as {{any:LOW-HIGH}} (e.g. {{any:0-3}}) or {{any:N}}"))
        return None
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) is not None else low
    if low > high:
        issues.append(Issue(at, "T109", f"{{{body}}}: the gap's lower bound {low} is above its upper bound {high}"))
        return None
    if high > MAX_GAP:
        issues.append(Issue(at, "T110", f"{{{body}}}: a gap skips at most {MAX_GAP} units; split the template"))
        return None
    if high == 0:
        issues.append(Issue(at, "T111", f"{{{body}}} skips nothing: remove it"))
        return None
    return Gap(low, high, at)


def check_placement(nodes: list[Node]) -> list[Issue]:
    """{start} only first, {end} only last, a question mark only at the end (it ends the clause)."""
    issues = []
    for i, node in enumerate(nodes):
        rest = nodes[i + 1:]
        if isinstance(node, Anchor) and node.kind == "start" and i > 0:
            issues.append(Issue(node.at, "T121", "{start} means the clause's start: put it first, or remove it"))
        if isinstance(node, Anchor) and node.kind == "end" and rest:
            issues.append(Issue(node.at, "T122", "{end} means the clause's end: put it last, or remove it"))
        asks = isinstance(node, Question) or (isinstance(node, Choice) and any(isinstance(o, Question) for o in node.options))
        if asks and any(not (isinstance(n, Anchor) and n.kind == "end") for n in rest):
            issues.append(Issue(node.at, "T123", "a question mark ends the clause: only {end} may follow it"))
    if nodes and all(isinstance(n, (Gap, Anchor, Question)) for n in nodes):
        issues.append(Issue(0, "T124", "the template has no words: it would match any reply"))
    return issues


def check_limits(nodes: list[Node]) -> list[Issue]:
    """Constructions whose matching cost can explode (issue 14): gap runs, too many or too wide gaps."""
    issues = []
    gaps = [n for n in nodes if isinstance(n, Gap)]
    run: list[Gap] = []
    for node in [*nodes, None]:  # report each run of gaps once
        if isinstance(node, Gap):
            run.append(node)
            continue
        if len(run) > 1:
            low, high = sum(g.low for g in run), sum(g.high for g in run)
            issues.append(Issue(run[1].at, "T131", (
                f"{len(run)} gaps in a row: merge them into one {{any:{low}-{high}}} (at most {MAX_GAP})")))
        run = []
    if len(gaps) > MAX_GAPS:
        issues.append(Issue(gaps[MAX_GAPS].at, "T132", f"more than {MAX_GAPS} gaps in one template: split it"))
    stretchy = [n for n in nodes if isinstance(n, Gap) or (isinstance(n, Choice) and n.optional)]
    factors = [n.high - n.low + 1 if isinstance(n, Gap) else 2 for n in stretchy]
    product = 1
    for f in factors:
        product *= f
    if product > MAX_STRETCH and len(gaps) <= MAX_GAPS:
        issues.append(Issue(stretchy[-1].at, "T133", (
            f"the gaps and optional parts stretch too many ways together ({' × '.join(map(str, factors))} = "
            f"{product}, at most {MAX_STRETCH}): narrow the gaps or drop an optional part")))
    return issues


def check_slots(parsed: Parsed, slots: set[str] | dict[str, list[str]]) -> list[Issue]:
    """Slot references to undefined slots (errors) and plain alternatives that look like slot names (warnings)."""
    issues = []
    names = sorted(slots)
    chinese = _CJK.search(parsed.text) is not None
    for node in parsed.nodes:
        for part in node.options if isinstance(node, Choice) else (node,):
            if isinstance(part, Slot) and part.name not in slots:
                close = difflib.get_close_matches(part.name, names, n=1)
                hint = f"did you mean {{${close[0]}}}? " if close else ""
                issues.append(Issue(part.at, "T141", (
                    f"slot ${part.name} is not defined: {hint}define it under `slots:` (known: {', '.join(names) or 'none'})")))
            elif isinstance(part, Literal) and isinstance(node, Choice) and SLOT_NAME.fullmatch(part.text):
                if part.text in slots:  # an English word may share a slot's name: say which one is meant
                    issues.append(Issue(part.at, "T142", (
                        f"{part.text!r} is matched as the word itself; write {{${part.text}|…}} for the slot"), "warning"))
                elif chinese:  # a Latin name among Chinese words is a slot reference gone wrong
                    close = difflib.get_close_matches(part.text, names, n=1, cutoff=0.75)
                    if close:
                        issues.append(Issue(part.at, "T143", (
                            f"{part.text!r} looks like a mistyped slot: write ${close[0]} for the slot "
                            f"{close[0]!r} (slot references carry a $)")))
    return issues


def slot_names(parsed: Parsed) -> set[str]:
    """Every slot a template refers to."""
    found = set()
    for node in parsed.nodes:
        for part in node.options if isinstance(node, Choice) else (node,):
            if isinstance(part, Slot):
                found.add(part.name)
    return found


def words(parsed: Parsed, slots: dict[str, list[str]]) -> list[str]:
    """The written words of a template (literals, alternatives and the slot values it uses), for vocabulary."""
    out: list[str] = []
    for node in parsed.nodes:
        for part in node.options if isinstance(node, Choice) else (node,):
            if isinstance(part, Literal):
                out.append(part.text)
            elif isinstance(part, Slot):
                out.extend(slots.get(part.name, []))
    return out


def display(parsed: Parsed, slots: dict[str, list[str]] | None = None) -> str:
    """The template as a trainee reads it, no syntax: 我是〈建行〉的…(吗/呢), [您/你] optional, … a gap."""
    shown = []
    for node in parsed.nodes:
        if isinstance(node, Literal):
            shown.append(node.text)
        elif isinstance(node, Slot):
            shown.append(_slot_shown(node.name, slots))
        elif isinstance(node, Gap):
            shown.append("…")
        elif isinstance(node, Question):
            shown.append("？")
        elif isinstance(node, Choice):
            parts = [o.text if isinstance(o, Literal) else "？" if isinstance(o, Question) else _slot_shown(o.name, slots)
                     for o in node.options]
            shown.append(("[{}]" if node.optional else "({})").format("/".join(parts)))
    return "".join(shown)


def _slot_shown(name: str, slots: dict[str, list[str]] | None) -> str:
    values = (slots or {}).get(name)
    return f"〈{values[0]}〉" if values else "…"
