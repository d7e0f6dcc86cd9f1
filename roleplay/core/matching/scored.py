"""The trained scorers' decisions as evidence: whole-reply Found entries whose 'phrase' lists the cues."""

from __future__ import annotations

from roleplay.core.matching.encode import Units
from roleplay.core.matching.label_scorer import LabelVerdict
from roleplay.core.matching.meaning import Found
from roleplay.core.matching.taboo_scorer import Verdict

ClauseUnits = list[tuple[int, Units]]


def reply_span(clause_units: ClauseUnits) -> tuple[int, int]:
    """From the first to the last unit the reply's clauses read (the evidence of a whole-reply decision)."""
    first = clause_units[0][1]
    last_offset, last = clause_units[-1]
    return (clause_units[0][0] + first.span(0, 1)[0],
            last_offset + last.span(len(last.key) - 1, len(last.key))[1])


CUES_LEAD = {"zh": "句式：", "en": "cues: "}  # how the 'phrase' of a scorer's decision starts


def shown_cues(cues: tuple[str, ...], lang: str) -> str:
    """What a trainee reads as the 'phrase' of a scorer's decision: 句式：“你们”、又…了 / cues: "you", a time."""
    return CUES_LEAD[lang] + ("、" if lang == "zh" else ", ").join(cues)


def is_cue_list(phrase: str) -> bool:
    """Whether a match's 'phrase' lists a scorer's cues (shown as it is) rather than a phrasebook phrase."""
    return phrase.startswith(tuple(CUES_LEAD.values()))


def cue_list_in(phrase: str, lang: str) -> str:
    """A scorer's cue list led in the reader's language (an English reply on a Chinese sheet: 句式：“from”, “hi”)."""
    for lead in CUES_LEAD.values():
        if phrase.startswith(lead):
            return CUES_LEAD.get(lang, lead) + phrase[len(lead):]
    return phrase


def negative_found(category: str, verdict: Verdict | None, clause_units: ClauseUnits, lang: str) -> Found | None:
    """A taboo or compliance scorer's decision as evidence spanning the reply (None when it flagged nothing)."""
    if verdict is None or not verdict.taboo:
        return None
    start, end = reply_span(clause_units)
    return Found(category, round(100 * verdict.probability, 1), shown_cues(verdict.cues, lang), start, end,
                 kind=verdict.kind, cues=verdict.cues)


def label_found(verdicts: list[LabelVerdict], clause_units: ClauseUnits, lang: str) -> list[Found]:
    """The label scorer's courteous categories as evidence spanning the reply."""
    if not verdicts:
        return []
    start, end = reply_span(clause_units)
    return [Found(v.category, round(100 * v.probability, 1), shown_cues(v.cues, lang), start, end, cues=v.cues)
            for v in verdicts]
