"""One trainee reply as the rules see it, and what the engine decided for it (kept apart from the Session)."""

from __future__ import annotations

from dataclasses import dataclass, field

from roleplay.core.matching.result import MatchResult


@dataclass
class Reply:
    """One trainee reply as the rules see it."""

    text: str
    action: str | None = None
    unknown_action: str | None = None
    match: MatchResult | None = None
    labels: frozenset[str] = frozenset()

    @property
    def silent(self) -> bool:
        return not self.text.strip() and self.action is None


@dataclass
class Step:
    """What the transition callbacks decided for the current reply."""

    rule: str | None = None
    lines: list[str] = field(default_factory=list)
    delta: int = 0
    feedback: list[str] = field(default_factory=list)
    moved: bool = False
    miss: str | None = None
