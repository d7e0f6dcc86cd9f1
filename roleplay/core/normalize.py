"""Text normalisation shared by the phrase bank (once, at load) and replies (once per reply)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_REPEATS = re.compile(r"(.)\1{2,}")
# Clause boundaries: punctuation (after NFKC) and the connectives that start a new thought.
_CLAUSE_SPLIT = re.compile(
    r"[,.!?;:，。！？；：、…~\n\r\t]+|(?<=[\u4e00-\u9fff])(?=(?:但是|不过|可是|然后|另外|所以))"
    r"|\s+(?=(?:but|and then|however|so)\b)",
    re.IGNORECASE,
)
_KEEP = re.compile(r"[\w\u4e00-\u9fff]+", re.UNICODE)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese (a no-op for text without traditional characters)."""
    if not text or text.isascii():
        return text
    return _t2s().convert(text)


def fold(text: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified, casefold, collapse long repeats."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    text = text.casefold()
    return _REPEATS.sub(r"\1\1", text)


def compact(text: str) -> str:
    """Folded text with punctuation, emoji and whitespace removed (the form phrases are compared in)."""
    return "".join(_KEEP.findall(fold(text))).replace("_", "")


def words(text: str) -> list[str]:
    """Folded words of an English text (apostrophes kept inside words: don't, I'm)."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", fold(text).replace("\u2019", "'"))


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the clauses of the original text, in order; empty clauses dropped."""
    spans = []
    start = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]
