"""Explainable, deterministic fuzzy matching of a reply against the phrasebook's categories.

Public API shared by the engine, the TUI and the CLI:

    matcher = Matcher(phrasebook, lang="zh")
    result = matcher.match("您好，我是建行的小李")
    result.labels      -> ["greeting", "self_intro"]        accepted categories
    result.matches     -> [Match(...), ...]                 one per accepted label, best first
    result.candidates  -> [Match(...), ...]                 best raw match of every category (debug view)
    result.notes       -> ["..."]                           why a label was dropped (negation, sarcasm...)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz

from roleplay.core.normalize import clauses, compact
from roleplay.core.phrasebook import Phrasebook

MAX_REPLY_CHARS = 2000  # longer pastes are cut: nobody says more than this in one turn


@dataclass(frozen=True)
class Match:
    """Evidence that a reply carries a category."""

    category: str
    score: float  # 0-100
    phrase: str  # the phrasebook phrase (as written by the coach) that matched best
    start: int  # span of the evidence in the original reply
    end: int
    evidence: str  # the reply's text in that span

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class MatchResult:
    text: str
    labels: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    candidates: list[Match] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The `roleplay match --json` contract: text, labels, matches (category, score, phrase...)."""
        return {
            "text": self.text,
            "labels": list(self.labels),
            "matches": [m.to_dict() for m in self.matches],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class _Entry:
    category: str
    phrase: str
    key: str  # normalised form


class Matcher:
    """Scores replies against one language of a phrasebook; the bank is normalised once here."""

    def __init__(self, phrasebook: Phrasebook, lang: str = "zh"):
        self.phrasebook = phrasebook
        self.lang = lang
        self.entries: list[_Entry] = []
        for cat in phrasebook.categories.values():
            for phrase in cat.phrases.get(lang, []):
                key = compact(phrase)
                if key:
                    self.entries.append(_Entry(cat.id, phrase, key))
        self.templates: list[tuple[str, str, re.Pattern[str]]] = []
        slots = phrasebook.slots.get(lang, {})
        for cat in phrasebook.categories.values():
            for template in cat.templates.get(lang, []):
                self.templates.append((cat.id, template, _compile_template(template, slots)))

    def threshold(self, category: str) -> float:
        cat = self.phrasebook.categories.get(category)
        return cat.threshold(self.lang) if cat else 80.0

    def match(self, text: str) -> MatchResult:
        text = text[:MAX_REPLY_CHARS]
        best: dict[str, Match] = {}
        for start, end in clauses(text):
            clause = text[start:end]
            key = compact(clause)
            if not key:
                continue
            for entry in self.entries:
                score = _score(entry.key, key)
                if score and score > best.get(entry.category, _NONE).score:
                    best[entry.category] = Match(entry.category, round(score, 1), entry.phrase, start, end, clause)
            for category, template, pattern in self.templates:
                if pattern.search(key) and 100 > best.get(category, _NONE).score:
                    best[category] = Match(category, 100.0, template, start, end, clause)
        candidates = sorted(best.values(), key=lambda m: (-m.score, m.category))
        accepted = [m for m in candidates if m.score >= self.threshold(m.category)]
        return MatchResult(text, [m.category for m in accepted], accepted, candidates, [])


_NONE = Match("", -1.0, "", 0, 0, "")


def _score(phrase: str, clause: str) -> float:
    """How well `phrase` appears in `clause`: a best-aligned substring ratio, damped for short phrases."""
    if len(phrase) <= 2:
        return 100.0 if phrase in clause else 0.0
    if len(phrase) > len(clause):
        return fuzz.ratio(phrase, clause)
    return fuzz.partial_ratio(phrase, clause)


def _compile_template(template: str, slots: dict[str, list[str]]) -> re.Pattern[str]:
    """`我是{org}的{any:1-4}` -> a bounded regex over folded text; literals are escaped, never user regex."""
    parts = []
    for literal, slot in re.findall(r"([^{]*)(?:\{([^}]*)\})?", template):
        if literal:
            parts.append(re.escape(compact(literal)))
        if slot:
            name, _, span = slot.partition(":")
            if name == "any":
                low, _, high = (span or "1-6").partition("-")
                parts.append(f".{{{int(low)},{int(high)}}}")
            else:
                values = sorted((compact(v) for v in slots.get(name, []) if compact(v)), key=len, reverse=True)
                parts.append("(?:" + "|".join(re.escape(v) for v in values) + ")" if values else "(?!)")
    return re.compile("".join(parts))
