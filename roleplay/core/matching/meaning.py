"""Meaning rules: drop matches whose words are there but whose meaning is not.

Applied after fuzzy scoring, in this order, each leaving a note that says why:
1. threshold: a category counts only at or above its phrasebook threshold;
2. negation: a phrase right after a negation cue (不用道歉, no need to apologise, not your fault)
   says the opposite and is dropped;
3. neutral cues: replies to thanks or apologies (不客气, 没什么不好意思的, you're welcome) and
   line checks carry no label, so polite matches inside them are dropped;
4. fact-check questions (请问您是本人办理吗) are not inquiries;
5. `yields_to`: within one clause a category gives way to a more specific one (祝您新年快乐 is a
   closing wish, 明天十点前给您回复 a callback rather than an appointment) — one rule for 5 and 6,
   roleplay.core.phrasebook.precedence, independent of the order categories were found in;
6. `yields_to_in_reply`: the same across the whole reply (周三还是周四？您哪个时间方便 is one appointment);
7. `yields_to_taboo`: when the reply is taboo, polite words in it are sarcasm or a brush-off
   (谢谢你浪费我的时间, sorry, not my problem) and earn nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from roleplay.core.lang.en import PROFILE as EN
from roleplay.core.lang.normalize import words as words_of
from roleplay.core.lang.zh import PROFILE as ZH
from roleplay.core.matching.alignment import NEGATION_WORDS
from roleplay.core.matching.encode import Units
from roleplay.core.phrasebook.book import Category
from roleplay.core.phrasebook.precedence import yielding

NEGATION_WINDOW_CHARS = ZH.negation_window  # zh: how far before a phrase a negation cue may end
NEGATION_WINDOW_WORDS = EN.negation_window  # en: the same, in words
INQUIRY = "inquiry"  # the category fact-check questions are kept out of


@dataclass
class Found:
    """A scored piece of evidence (before it becomes a public Match)."""

    category: str
    score: float
    phrase: str
    start: int  # span in the original reply
    end: int
    first: int = 0  # first unit of the evidence within its clause (for the negation look-behind)
    kind: str | None = None  # set by the taboo scorer (phrases and templates carry theirs in the phrasebook)
    cues: tuple[str, ...] = ()  # the scorer's cues behind this decision


@dataclass
class Cues:
    """Cue lists of one language, already in the encoder's comparable form."""

    negation: list[str] = field(default_factory=list)
    not_negation: list[str] = field(default_factory=list)  # words ending in a cue that negate nothing (特别)
    imperative: list[str] = field(default_factory=list)  # "don't do it" cues: 别烦我 stays rude
    fact_check: list[str] = field(default_factory=list)


def apply_rules(
    text: str,
    per_clause: list[dict[str, Found]],
    clause_units: list[tuple[int, Units]],
    categories: dict[str, Category],
    threshold: Callable[[str], float],
    cues: Cues,
    neutral_spans: list[tuple[int, int, str]],
    *,
    words: bool,
    scored_negative: list[Found] | None = None,
    scored_labels: list[Found] | None = None,
) -> tuple[list[Found], list[Found], list[str]]:
    """(kept matches best first, raw best candidate per category, notes on what was dropped).

    `scored_negative`: the taboo and compliance scorers' decisions on the whole reply, each kept when no
    phrase family found its category.
    `scored_labels`: the label scorer's courteous categories on the whole reply, added where no family found
    them and no rule here dropped them (a negated or set-reply apology stays dropped, a question that only
    checks a fact stays no inquiry).
    """
    notes: list[str] = []
    raw: dict[str, Found] = {}
    kept: dict[str, Found] = {}
    dropped: set[str] = set()
    for found_here, (_offset, units) in zip(per_clause, clause_units, strict=False):
        for f in found_here.values():
            if f.category not in raw or f.score > raw[f.category].score:
                raw[f.category] = f
        accepted = {}
        for f in found_here.values():
            cat = categories.get(f.category)
            if cat is None or f.score < threshold(f.category):
                continue
            reason = _why_not_meant(f, units, cues, neutral_spans, text, words, cat.negative)
            if reason:
                notes.append(f"{f.category} dropped: {reason}")
                dropped.add(f.category)
            else:
                accepted[f.category] = f
        in_clause = {cid: categories[cid].yields_to for cid in accepted}
        for cid, stronger in yielding(accepted, in_clause).items():
            f = accepted.pop(cid)
            notes.append(f"{cid} dropped: \"{text[f.start:f.end]}\" reads as {', '.join(stronger)} here")
        for cid, f in accepted.items():
            if cid not in kept or f.score > kept[cid].score:
                kept[cid] = f
    for f in scored_labels or ():
        if f.category in kept or f.category in dropped or f.category not in categories:
            continue
        stronger = [c for c in categories[f.category].yields_to
                    if c in kept and _fills_every_clause(kept[c], clause_units, len(text))]
        if stronger:
            notes.append(f"{f.category} dropped: the reply reads as {', '.join(stronger)}")
        elif f.category == INQUIRY and (cue := next(filter(None, (_fact_check(u, cues) for _o, u in clause_units)),
                                                       None)):
            notes.append(f"{f.category} dropped: the question only checks a fact (\"{cue}\")")
        else:
            kept[f.category] = f
    in_reply = {cid: categories[cid].yields_to_in_reply for cid in kept}
    for cid, stronger in yielding(kept, in_reply).items():
        f = kept.pop(cid)
        notes.append(f"{cid} dropped: \"{text[f.start:f.end]}\" belongs to the {', '.join(stronger)} of this reply")
    for f in scored_negative or ():
        if f.category not in categories or f.category in kept:
            continue
        # a compliance decision never brings back what a rule dropped ("it isn't risk free" claims nothing); a
        # taboo one may ("if it isn't cleared, we'll ring your wife" is a threat whatever the "not")
        if f.category in dropped and categories[f.category].keeps_polite:
            continue
        kept[f.category] = f
    taboo = [cid for cid in kept if categories[cid].negative and not categories[cid].keeps_polite]
    if taboo:
        for cid in [c for c in kept if categories[c].yields_to_taboo and not _apart(kept[c], kept[taboo[0]])]:
            f = kept.pop(cid)
            notes.append(f"{cid} dropped: \"{text[f.start:f.end]}\" is sarcasm or a brush-off in a {taboo[0]} reply")
    order = lambda f: (-f.score, f.category)  # noqa: E731
    return sorted(kept.values(), key=order), sorted(raw.values(), key=order), notes


def _apart(polite: Found, taboo: Found) -> bool:
    """A courteous clause outside the window a scorer judged rude (windows.py) is a separate, sincere clause
    (感谢您一直以来的支持。…你们自己找10086吧): it keeps its label. A family's or a whole-reply decision keeps
    the old reading, where thanks in a rude reply is taken as part of it (谢谢你啊，给我找了这么大个麻烦)."""
    return bool(taboo.cues) and (polite.end <= taboo.start or polite.start >= taboo.end)


def _fills_every_clause(f: Found, clause_units: list[tuple[int, Units]], length: int) -> bool:
    """Whether a match touches every clause of the reply: only then does a category that yields to it within a
    clause yield as a whole-reply decision ("Forgive me for interrupting, could I just confirm your date of birth?"
    asks in a clause the apology does not touch; round 6, set I)."""
    starts = [offset for offset, _units in clause_units] + [length]
    return all(f.start < end and f.end > start for start, end in zip(starts, starts[1:], strict=False))


def _why_not_meant(
    f: Found, units: Units, cues: Cues, neutral_spans: list[tuple[int, int, str]], text: str, words: bool,
    negative: bool,
) -> str | None:
    evidence = text[f.start:f.end]
    negation = _negation_before(units, f.first, cues, words)
    if negation and negative and negation in cues.imperative:
        negation = None  # 别浪费大家时间 / don't waste my time: telling the client off is still rude
    if negation:  # not your fault / 不用道歉: a negated phrase says the opposite, taboo included
        return f"\"{evidence}\" is negated by \"{negation.strip()}\""
    inside = _negation_inside(evidence, f.phrase, cues) if words and not f.cues else None
    if inside:  # "I won't keep you" matched "I'll keep you posted": a "not" the phrase lacks turns it around
        return f"\"{evidence}\" says \"{inside}\", which \"{f.phrase}\" does not"
    if negative:
        return None
    for start, end, phrase in neutral_spans:
        # the set reply must cover most of the evidence: 没什么[不好意思]的, not "feel free ... any time"
        if min(end, f.end) - max(start, f.start) >= (f.end - f.start) / 2:
            return f"\"{text[start:end]}\" is a set reply (≈ \"{phrase}\"), not a courtesy of its own"
    cue = _fact_check(units, cues) if f.category == INQUIRY else None
    if cue:
        return f"the question only checks a fact (\"{cue}\")"
    return None


def _fact_check(units: Units, cues: Cues) -> str | None:
    """The fact-check cue a clause carries (请问您是本人办理吗), if any: such a question is no inquiry."""
    return next((cue.strip() for cue in cues.fact_check if cue in units.text), None)


_NOT_WORDS = frozenset(NEGATION_WORDS)  # the single English negation words (alignment's, as a set)


def _negation_inside(evidence: str, phrase: str, cues: Cues) -> str | None:
    """A negation word inside the matched English words that the phrase (or template) itself does not carry."""
    said = words_of(evidence)
    meant = set(words_of(phrase))
    if meant & _NOT_WORDS:
        return None
    return next((w for w in said if w in _NOT_WORDS and w in {c.strip() for c in cues.negation}), None)


def _negation_before(units: Units, first: int, cues: Cues, words: bool) -> str | None:
    if words:
        before = units.text.split()[max(0, first - NEGATION_WINDOW_WORDS):first]
        window = " " + " ".join(before) + " "
    else:
        window = units.key[max(0, first - NEGATION_WINDOW_CHARS):first]
    if not window.strip():
        return None
    for cue in cues.negation:
        # 特别能理解 is not 别: a longer word ending in the cue is read as that word
        if window.endswith(cue) and not any(len(w) > len(cue) and window.endswith(w) for w in cues.not_negation):
            return cue
    return None
