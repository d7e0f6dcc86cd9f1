"""A Matcher that remembers its result per reply text, for runs that see the same replies again (rescore)."""

from __future__ import annotations

from typing import Any

from roleplay.core.matching.matcher import MAX_REPLY_CHARS, Matcher
from roleplay.core.matching.result import MatchResult

MEMO_LIMIT = 50_000  # distinct replies remembered per matcher (~100 MB at most); a cohort stays well under


class RememberingMatcher:
    """Wraps one Matcher (one phrasebook and scenario version): the same text gets the same result without
    being matched again. Matching is deterministic, so a remembered result is exactly what a new match would
    give; each caller gets its own copy of the lists, so no caller can change another's result."""

    def __init__(self, matcher: Matcher, limit: int = MEMO_LIMIT):
        self.matcher = matcher
        self.limit = limit
        self._results: dict[str, MatchResult] = {}
        self.hits = 0

    def match(self, text: str) -> MatchResult:
        text = text[:MAX_REPLY_CHARS]
        found = self._results.get(text)
        if found is None:
            found = self.matcher.match(text)
            if len(self._results) < self.limit:
                self._results[text] = found
        else:
            self.hits += 1
        return MatchResult(found.text, list(found.labels), list(found.matches), list(found.candidates),
                           list(found.notes))

    def __getattr__(self, name: str) -> Any:
        # phrasebook, lang, threshold(), templates, ...: everything else is the wrapped matcher's
        matcher = self.__dict__.get("matcher")  # absent while copy/pickle rebuild the object
        if matcher is None:
            raise AttributeError(name)
        return getattr(matcher, name)
