"""How closely one phrasebook phrase matches one clause: a best-aligned substring ratio (rapidfuzz), pinyin-aware."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from roleplay.core.matching.encode import Units

PINYIN_PENALTY = 6.0  # a homophone typo (您号 for 您好) scores a little below the real thing
PINYIN_FLOOR = 50.0  # ... and only when some characters also match (在建 is not 再见)
SHORT_PHRASE = 4  # phrases up to this many units must be found whole inside a clause
NEUTRAL_SCORE = 90.0  # how closely a reply must contain a neutral cue for it to count
NEGATIONS = "不没别无未"  # zh: a phrase's negation the reply lacks turns its meaning around
NEGATION_WORDS = ("not", "never", "no")  # en: the same, as words (their symbols depend on the learnt vocabulary)
NEGATION_LOST_SCORE = 60.0  # ... so the phrase scores as a weak candidate at most


@dataclass(frozen=True)
class PhraseEntry:
    """A phrase of a category, normalised once (its units and their pinyin)."""

    category: str
    phrase: str
    key: str
    pkey: str


def align_score(entry: PhraseEntry, units: Units, partial_only: bool = False,
                words: bool = False, negations: str = NEGATIONS) -> tuple[float, tuple[int, int]]:
    """0-100 similarity of a phrase to a clause and the unit span it aligns with.

    A phrase no longer than the clause is looked for inside it (best-aligned substring); a longer
    phrase is compared whole, so a short clause cannot borrow a long phrase's score. Phrases of
    one or two units must appear exactly (any fuzz on two characters changes the meaning).
    """
    key, clause = entry.key, units.key
    if partial_only:  # set replies must be contained closely: skip the alignment work early
        alignment = None
        if len(key) <= len(clause):
            alignment = fuzz.partial_ratio_alignment(key, clause, score_cutoff=NEUTRAL_SCORE)
        if alignment is None:
            return 0.0, (0, 0)
        return alignment.score, (alignment.dest_start, alignment.dest_end)
    if len(key) > len(clause):
        # a clause shorter than a short phrase lacks a unit that carries meaning (我这边 vs 我这边是)
        if len(key) <= SHORT_PHRASE:
            return 0.0, (0, 0)
        score = fuzz.ratio(key, clause)
        pscore = fuzz.ratio(entry.pkey, units.pkey) if entry.pkey != key else 0.0
        if pscore - PINYIN_PENALTY > score and score >= PINYIN_FLOOR:
            score = pscore - PINYIN_PENALTY
        if score > NEGATION_LOST_SCORE and _negation_lost(entry, units, 0, len(clause), negations):
            score = NEGATION_LOST_SCORE
        return score, (0, len(clause))
    alignment = fuzz.partial_ratio_alignment(key, clause)
    if alignment is None:  # rapidfuzz gives None only below a score_cutoff, and this call sets none
        return 0.0, (0, 0)
    score = alignment.score
    first, last = alignment.dest_start, alignment.dest_end
    if score < 100 and entry.pkey != key:
        palign = fuzz.partial_ratio_alignment(entry.pkey, units.pkey)
        # a short homophone counts only at a clause edge (您号，…), not inside words (给您造成 is not 您早)
        at_edge = palign is not None and (palign.dest_start == 0 or palign.dest_end == len(clause))
        if palign is not None and palign.score - PINYIN_PENALTY > score and score >= PINYIN_FLOOR and (len(key) > 3 or at_edge):
            score = palign.score - PINYIN_PENALTY
            first, last = palign.dest_start, palign.dest_end
    if len(key) <= 2 and score < 100 and not (len(key) == 2 and score >= 100 - PINYIN_PENALTY):
        score = min(score, 50.0)
    if last - first < len(key) and len(key) <= SHORT_PHRASE + 1:
        # rapidfuzz also aligns a phrase hanging off the clause's edge; for a short phrase the
        # missing unit is usually the one that carries the meaning (您这边 is not 您这边请)
        score = min(score, 60.0)
    elif words and last - first < len(key):
        # a longer English phrase hanging off the clause's edge: its missing words count as mismatches, as they
        # would inside the clause ("I'll get you" is not "I'll get back to you", "I won't keep you" not "I'll keep
        # you posted"); a missing character of a Chinese phrase is often a particle, so zh keeps rapidfuzz's score
        score = score * (len(key) + last - first) / (2 * len(key))
    if score > NEGATION_LOST_SCORE and _negation_lost(entry, units, first, last, negations):
        score = NEGATION_LOST_SCORE
    return score, (first, last)


def _negation_lost(entry: PhraseEntry, units: Units, first: int, last: int, negations: str) -> bool:
    """A negation of the phrase that the aligned words lack, even as a homophone (不会上征信的 against 还会上征信
    says the opposite; 布好意思, an IME slip for 不好意思, keeps its 不 by sound; "that's my job" is not "that is not my
    job", round 6)."""
    window, sounds = units.key[first:last], units.pkey[first:last]
    return any(ch in negations and ch not in window and entry.pkey[i] not in sounds for i, ch in enumerate(entry.key))
