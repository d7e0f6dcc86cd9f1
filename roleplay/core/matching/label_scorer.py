"""A trained, deterministic scorer for the courteous categories the phrase families miss in a reply.

The phrase families and templates recognise the shapes they list; people also ask about needs, show
empathy or promise a callback in shapes nobody listed ("How many staff travel abroad, roughly?",
“您先缓缓 喝口水 咱一件一件捋”). This scorer reads the same features as the taboo scorer (structural cues
and n-grams, roleplay.core.matching.taboo_scorer.features) with one logistic head per category, fitted by
tools/train_labels.py on the labelled reply sets and shipped as JSON in roleplay/core/matching/data/.
It only ever adds a category the families did not find, at a threshold chosen on out-of-fold predictions
(precision first), and every decision carries the cues that weighed most.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from roleplay.core.lang.normalize import compact, words
from roleplay.core.matching.taboo_scorer import DATA, as_typed, show_cue, top_cues

MIN_UNITS = {"zh": 3, "en": 2}  # a word or two carries no shape to learn from: the families decide


@dataclass(frozen=True)
class Head:
    """One category's bias and the probability at which it is accepted."""

    bias: float
    threshold: float


@dataclass(frozen=True)
class LabelVerdict:
    """A category the scorer accepts for a reply: how sure it is, and the cues that made it sure."""

    category: str
    probability: float
    cues: tuple[str, ...]


class LabelScorer:
    """The shipped heads of one language: `score(features, text)` lists the categories it accepts."""

    def __init__(self, data: dict[str, Any]):
        self.lang: str = data["lang"]
        self._order: list[str] = list(data["order"])
        self.heads: dict[str, Head] = {cat: Head(data["heads"][cat]["bias"], data["heads"][cat]["threshold"])
                                       for cat in self._order}
        # feature -> [head, weight, head, weight, …] as shipped (tools/train_labels.py): one pass over a reply's
        # features scores every head, and the file loads without building anything
        self._by_feature: dict[str, list[float]] = data["weights"]

    def weight(self, feature: str, head: int) -> float:
        """One head's weight of a feature (0 when it has none)."""
        pairs = self._by_feature.get(feature, ())
        return next((pairs[j + 1] for j in range(0, len(pairs), 2) if pairs[j] == head), 0.0)

    def score(self, f: dict[str, float], text: str) -> list[LabelVerdict]:
        """The categories whose head is at or above its threshold, with their readable cues."""
        size = len(compact(text)) if self.lang == "zh" else len(words(text))
        if size < MIN_UNITS.get(self.lang, 1):
            return []
        z = [self.heads[cat].bias for cat in self._order]
        for k, v in f.items():
            pairs = self._by_feature.get(k)
            if pairs:
                for j in range(0, len(pairs), 2):
                    z[int(pairs[j])] += pairs[j + 1] * v
        out = []
        for i, cat in enumerate(self._order):
            head = self.heads[cat]
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z[i]))))
            if p < head.threshold:
                continue
            contributions = {k: self.weight(k, i) * v for k, v in f.items()}
            ranked = [k for k, c in sorted(contributions.items(), key=lambda kv: -kv[1]) if c > 0]
            # a decision rests on a word, a word pair or a structure a trainee can read, not word pieces alone
            if not any(not k.startswith("~") for k in ranked[:3]):
                continue
            out.append(LabelVerdict(cat, p, top_cues(as_typed(show_cue(k, self.lang), text, self.lang)
                                                     for k in ranked)))
        return out


@lru_cache(maxsize=4)
def load_label_scorer(lang: str, path: str | None = None) -> LabelScorer | None:
    """The shipped label scorer of a language (None when no weights file ships for it)."""
    file = Path(path) if path else DATA / f"labels_{lang}.json"
    try:
        return LabelScorer(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None
