"""What matching hands out: the evidence for each category (Match) and the whole verdict on a reply (MatchResult)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Match:
    """Evidence that a reply carries a category."""

    category: str
    score: float  # 0-100
    phrase: str  # the phrasebook phrase or template (as written by the coach) that matched best
    start: int  # span of the evidence in the original reply
    end: int
    evidence: str  # the reply's text in that span
    kind: str | None = None  # the kind of the family that matched (taboo: brush_off, blame, ...)
    cues: tuple[str, ...] = ()  # for a scorer decision: the cues that made it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MatchResult:
    text: str
    labels: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    candidates: list[Match] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The `roleplay match --json` contract: text, labels, matches (category, score, phrase...)."""
        return {
            "text": self.text,
            "labels": list(self.labels),
            "matches": [m.to_dict() for m in self.matches],
            "notes": list(self.notes),
        }
