"""Turn phrases and replies into unit strings for the fuzzy scorer: characters (zh) or words (en).

Chinese compares character by character, plus a parallel string of toneless-pinyin symbols so an
IME typo (您号, 报歉) still lines up with the phrase. English compares word by word: each known word
becomes one symbol, so "are you even" no longer resembles "are you free" letter by letter; a
misspelt word (thnak) is mapped to the phrase word one edit away.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from roleplay.core.lang.en import PROFILE as EN
from roleplay.core.lang.normalize import compact, compact_with_map, pinyin_key, words_with_map
from roleplay.core.lang.zh import PROFILE as ZH

FILLERS = EN.fillers  # words that change no meaning a category depends on (lang/en.py)
UNKNOWN = "\U0010fffd"  # symbol of a reply word no phrase uses
QUESTION = "？ "  # appended to a clause's template text when a question mark ends it ({q} in templates)
_TYPO_CACHE_LIMIT = 20_000


@dataclass
class Units:
    """A text as units: `key` has one symbol per unit; `spans` maps each unit back into the text."""

    key: str
    pkey: str  # zh: pinyin symbols (same length); en: the key itself
    spans: list[tuple[int, int]]
    text: str  # what templates and cues run on: compact text (zh) or " w1 w2 ... " (en)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Text span covering units first..last-1."""
        if not self.spans:
            return 0, 0
        last = max(first + 1, last)
        return self.spans[min(first, len(self.spans) - 1)][0], self.spans[min(last, len(self.spans)) - 1][1]


class ChineseEncoder:
    """Characters after NFKC, traditional -> simplified, casefold, punctuation stripped."""

    words = False

    def phrase(self, text: str) -> Units:
        key = compact(text)
        return Units(key, pinyin_key(key), [], key)

    def reply(self, text: str) -> Units:
        key, where = compact_with_map(text)
        return Units(key, pinyin_key(key), [(i, i + 1) for i in where], key)

    def literal(self, text: str) -> str:
        pattern = re.escape(compact(text))
        for start, after in ZH.literal_guards.items():  # 请 opens a request, not inside 申请
            if pattern.startswith(start):
                return f"(?<![{after}])" + pattern
        return pattern

    def cue(self, text: str) -> str:
        return compact(text)

    def signature(self) -> tuple[object, ...]:
        """Everything that shapes `literal` and `cue` (they are pure functions of the text and this)."""
        return ("zh", tuple(sorted(ZH.literal_guards.items())))


class EnglishEncoder:
    """Words after folding, contraction and alias expansion, fillers dropped, typos corrected."""

    words = True

    def __init__(self, aliases: dict[str, str], known: list[str]):
        self.aliases = {k.casefold(): v.casefold().split() for k, v in aliases.items()}
        self.codes: dict[str, str] = {}
        self._typos: dict[str, str | None] = {}
        # correction targets: phrase words, plain words, and the fillers (totaly is "totally", dropped)
        self._vocabulary: list[str] = sorted(FILLERS)
        for word in known:
            self.learn(word)

    def norm_words(self, text: str, correct: bool = False) -> list[tuple[str, tuple[int, int]]]:
        out = []
        for word, span in words_with_map(text):
            if correct:
                word = self._correct(word)
            for part in self.aliases.get(word, [word]):
                part = part.replace("ize", "ise").replace("yze", "yse")
                if part not in FILLERS:
                    out.append((part, span))
        return out

    def learn(self, text: str) -> None:
        """Give every word of a phrase, cue or template literal its own symbol."""
        for word, _ in self.norm_words(text):
            if word not in self.codes:
                self.codes[word] = chr(0x100000 + len(self.codes))
                self._vocabulary.append(word)

    def phrase(self, text: str) -> Units:
        ws = [w for w, _ in self.norm_words(text)]
        key = "".join(self.codes.get(w, UNKNOWN) for w in ws)
        return Units(key, key, [], " " + " ".join(ws) + " ")

    def reply(self, text: str) -> Units:
        ws = []
        spans = []
        for word, span in self.norm_words(text, correct=True):
            ws.append(word)
            spans.append(span)
        key = "".join(self.codes.get(w, UNKNOWN) for w in ws)
        return Units(key, key, spans, " " + " ".join(ws) + " ")

    def literal(self, text: str) -> str:
        return "".join(re.escape(w) + " " for w, _ in self.norm_words(text))

    def cue(self, text: str) -> str:
        return " " + " ".join(w for w, _ in self.norm_words(text)) + " "

    def signature(self) -> tuple[object, ...]:
        """Everything that shapes `literal` and `cue` (the learnt vocabulary does not: they never correct)."""
        return ("en", tuple(sorted((k, tuple(v)) for k, v in self.aliases.items())))

    def _correct(self, word: str) -> str:
        """The phrase word a misspelling stands for (one edit; two for long words), else the word."""
        if word in self.codes or word in self.aliases or len(word) < 4 or not word.isalpha():
            return word
        if word in self._typos:
            return self._typos[word] or word
        limit = 1 if len(word) < 8 else 2
        found = process.extract(word, self._vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=5)
        closest = [w for w, d, _ in found if d == found[0][1] and len(w) >= 4] if found else []
        if len(closest) > 1:
            # a dropped or swapped letter is the commonest slip: helo is hello rather than help
            closest = [w for w in closest if not Counter(word) - Counter(w)] or closest
        if len(closest) > 1:
            # ... and the commonest dropped letter is half of a double: sory is sorry, not story;
            # or the double lands on the wrong letter: soory is sorry, not story
            closest = [w for w in closest if _undoubled(w, word) or _double_shifted(w, word)] or closest
        best = closest[0] if len(closest) == 1 else None  # a tie is no evidence for either word
        if len(self._typos) < _TYPO_CACHE_LIMIT:
            self._typos[word] = best
        return best or word


def _double_shifted(candidate: str, word: str) -> bool:
    """True when `word` doubles a neighbouring letter where `candidate` has its double (soory, sorry)."""
    if len(candidate) != len(word):
        return False
    diff = [i for i, (a, b) in enumerate(zip(candidate, word, strict=False)) if a != b]
    if len(diff) != 1:
        return False
    i = diff[0]
    copies = (i > 0 and word[i] == word[i - 1]) or (i + 1 < len(word) and word[i] == word[i + 1])
    doubled = (i > 0 and candidate[i] == candidate[i - 1]) or (i + 1 < len(candidate) and candidate[i] == candidate[i + 1])
    return copies and doubled


def _undoubled(candidate: str, word: str) -> bool:
    """True when `word` is `candidate` with one letter of a doubled pair left out."""
    return any(candidate[i] == candidate[i + 1] and candidate[:i] + candidate[i + 1:] == word
               for i in range(len(candidate) - 1))
