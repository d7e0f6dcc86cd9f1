"""Text normalisation shared by the phrase bank (once, at load) and replies (once per reply).

Chinese is compared character by character (and by toneless pinyin, for IME typos); English word
by word. Both keep a map from every kept unit back to the original text so evidence can be shown.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from roleplay.core.lang.cantonese import to_mandarin
from roleplay.core.lang.en import PROFILE as EN

_REPEATS = re.compile(r"(.)\1{2,}")
# Clause boundaries: punctuation (after NFKC) and the connectives that start a new thought.
_CLAUSE_SPLIT = re.compile(
    r"[,.!?;:，。！？；：、…~～\n\r\t()（）\"“”]+|(?<=[\u4e00-\u9fff])(?=(?:但是|不过|可是|然后|另外|所以))"
    r"|\s+(?=(?:but|and then|however|so that|otherwise)\b)",
    re.IGNORECASE,
)
_KEEP = re.compile(r"[\w\u4e00-\u9fff]+", re.UNICODE)
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:'[a-z]+)?")  # hi-tech is one word, not "hi"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTRACTIONS = EN.contractions


class _Converter(Protocol):
    """The one method of opencc.OpenCC we use (opencc ships no type information)."""

    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


def has_chinese(text: str) -> bool:
    """Whether the text holds a Chinese character (a reply typed in Chinese, or a phrase that needs t2s)."""
    return _CJK.search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese (a no-op for text without traditional characters)."""
    if not text or not has_chinese(text):
        return text
    return _t2s().convert(text)


@lru_cache(maxsize=65_536)  # pure, and the same replies and phrases come back (see _NORMALISED below)
def fold(text: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified, Cantonese -> Mandarin words, casefold, collapse
    long repeats."""
    text = unicodedata.normalize("NFKC", text)
    text = to_mandarin(to_simplified(text))
    text = text.casefold().replace("\u2019", "'").replace("`", "'")
    return _REPEATS.sub(r"\1\1", text)


# Normalisation is pure and the same texts come back again and again (every scenario's matcher normalises the
# shared phrase bank; a cohort repeats its replies): remember the latest results.
_NORMALISED = 65_536


@lru_cache(maxsize=_NORMALISED)
def compact(text: str) -> str:
    """Folded text with punctuation, emoji and whitespace removed (the form phrases are compared in)."""
    return "".join(_KEEP.findall(fold(text))).replace("_", "")


def compact_with_map(text: str) -> tuple[str, list[int]]:
    """`compact(text)` plus, for each kept character, its index in `text` (for evidence spans)."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c != "_" and _KEEP.match(c):
                chars.append(c)
                where.append(i)
    folded = "".join(chars)
    simplified = to_simplified(folded)
    if len(simplified) == len(folded):  # t2s keeps length for nearly all text; else go char by char
        folded = simplified
    else:
        folded = "".join(to_simplified(c) for c in folded)
    folded = to_mandarin(folded)  # same length: the map stays aligned
    # collapse runs of 3+ identical characters to 2, keeping the map aligned
    out: list[str] = []
    out_where: list[int] = []
    for c, i in zip(folded, where, strict=False):
        if len(out) >= 2 and out[-1] == c and out[-2] == c:
            continue
        out.append(c)
        out_where.append(i)
    return "".join(out), out_where


def words(text: str) -> list[str]:
    """Folded words of an English text, contractions expanded (I'm -> i am)."""
    return [w for w, _ in words_with_map(text)]


def words_with_map(text: str) -> list[tuple[str, tuple[int, int]]]:
    """English words (folded, contractions expanded) with the span each came from in `text`."""
    return list(_words_with_map(text))  # a fresh list: no caller can change the remembered result


@lru_cache(maxsize=_NORMALISED)
def _words_with_map(text: str) -> tuple[tuple[str, tuple[int, int]], ...]:
    folded = "".join(unicodedata.normalize("NFKC", c)[:1].casefold()[:1] or " " for c in text)
    folded = folded.replace("\u2019", "'").replace("`", "'")
    out: list[tuple[str, tuple[int, int]]] = []
    for m in _WORD.finditer(folded):
        w = m.group().replace("-", "")
        span = (m.start(), m.end())
        expanded = _CONTRACTIONS.get(w)
        if expanded is None and w.endswith("'s"):
            expanded = w[:-2]
        if expanded is None and w.endswith("n't"):
            expanded = w[:-3] + " not"
        for part in (expanded or w).split():
            out.append((_REPEATS.sub(r"\1\1", part), span))
    return tuple(out)


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
    return [(a, b) for a, b in spans if _KEEP.search(text[a:b])]


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, str]:
    """Hanzi -> toneless pinyin syllable, from the generated table (tools/gen_pinyin_table.py)."""
    table: dict[str, str] = {}
    path = Path(__file__).resolve().parent / "data" / "pinyin.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            syllable, _, chars = line.partition("\t")
            for ch in chars:
                table[ch] = syllable
    return table


@lru_cache(maxsize=1)
def _pinyin_translation() -> dict[int, str]:
    """Hanzi -> one private-use character per syllable, so homophones become the same symbol."""
    table = pinyin_table()
    codes = {s: chr(0xF0000 + i) for i, s in enumerate(sorted(set(table.values())))}
    translation = {ord(ch): codes[s] for ch, s in table.items()}
    # 你 and 您 differ in register, not meaning: a polite phrase written with 您 also covers 你
    translation[ord("你")] = translation[ord("您")]
    return translation


def pinyin_key(key: str) -> str:
    """A compact key with each hanzi replaced by its syllable's symbol (same length as `key`)."""
    return key.translate(_pinyin_translation())
