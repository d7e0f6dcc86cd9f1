"""One trainee reply as the rules see it, and what the engine decided for it (kept apart from the Session)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from roleplay.core.matching.result import MatchResult

WRITTEN_UNJUDGED = ("taboo", "compliance")  # what the trained scorers may not decide on a note
_PARTING = re.compile(r"再见|告辞|先走|走了|拜拜|回见|再会|不打扰|\b(bye|goodbye|see you|take care|farewell|cheerio)\b",
                      re.IGNORECASE)
_TAIL = re.compile(r"[\s\W_啊呀啦哈哦喔嘞了吧哟]+")  # punctuation and sentence-final particles after a goodbye


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

    @property
    def takes_leave(self) -> bool:
        """The reply ends with a farewell (…谢谢陈总，再见！ · "…Thanks, bye!"): nothing but punctuation after it.

        Only a parting word counts: 有什么事您随时找我 is a closing phrase, but said with a card it ends nothing."""
        if self.match is None or self.action is not None or "closing" not in self.labels:
            return False
        ends = [m.end for m in self.match.matches if m.category == "closing" and _PARTING.search(m.evidence)]
        return bool(ends) and not _TAIL.sub("", self.text[max(ends):])


@dataclass
class Step:
    """What the transition callbacks decided for the current reply."""

    rule: str | None = None
    lines: list[str] = field(default_factory=list)
    delta: int = 0
    feedback: list[str] = field(default_factory=list)
    moved: bool = False
    miss: str | None = None


def as_written(result: MatchResult) -> MatchResult:
    """A /note as the matcher read it, without the trained scorers' taboo or compliance decisions: a note is not said
    to the client, and its telegraphic style ("rule not communicated before queueing") is not rudeness (round 6: a
    good trainee's note was charged as taboo). A fault a phrase family names in it still counts."""
    kept = [m for m in result.matches if not (m.cues and m.category in WRITTEN_UNJUDGED)]
    if len(kept) == len(result.matches):
        return result
    return MatchResult(result.text, [m.category for m in kept], kept, result.candidates, result.notes)
