"""What lifts a taboo match: a brush-off that goes on to help ("这个不归我管，但我这就帮您问清楚" is not 推诿), and a
consequence the agreement sets out ("根据合同，连续三期未还会联系担保人" is a warning, not a threat), and an order
softened in the same reply ("Sign here, please." is not a curt order)."""

from __future__ import annotations

from collections.abc import Callable

from roleplay.core.matching.meaning import Found

# Only the brush-off kind is redeemed: a threat or an insult followed by "I'll help" is still a threat or an
# insult, but "not my department — I'll call them for you now" hands nobody off.
REDEEMABLE = ("brush_off",)


def redeemed(f: Found, kind: str | None, text: str, comparable: Callable[[str], str], offers: list[str],
             notes: list[str]) -> bool:
    """Whether a taboo match is a refusal the reply then redeems with an offer to act (`offer` cues after it)."""
    if kind not in REDEEMABLE or not offers or f.cues:
        return False  # the scorer's own decision already weighed the whole reply
    after = comparable(text[f.end:])
    cue = next((c for c in offers if c in after), None)
    if cue:
        notes.append(f"{f.category} dropped: \"{text[f.start:f.end]}\" is followed by an offer to help "
                     f"(\"{cue.strip()}\"): a polite refusal, not a brush-off")
    return cue is not None


def cites_terms(f: Found, kind: str | None, text: str, comparable: Callable[[str], str], terms: list[str],
                bystanders: list[str], notes: list[str]) -> bool:
    """Whether a threat states a consequence the agreement sets out: the reply cites the terms (合同约定, "as the
    agreement says") and names nobody outside them (the client's boss or family is never in a loan agreement).
    A scorer's decision is lifted too: it reads the guarantor, not the clause."""
    if kind != "threat" or not terms:
        return False
    said = comparable(text)
    cue = next((c for c in terms if c in said), None)
    if cue is None or any(b in said for b in bystanders):
        return False
    notes.append(f"{f.category} dropped: \"{text[f.start:f.end]}\" states what the agreement sets out "
                 f"(\"{cue.strip()}\"), not a threat")
    return True


def softened(f: Found, kind: str | None, text: str, comparable: Callable[[str], str], softeners: list[str],
             notes: list[str]) -> bool:
    """Whether a family's bare order is softened elsewhere in the reply (a please or a thanks in the next clause).
    Only the order kind: a threat or an insult with a please is still one. A scorer's decision weighed it already."""
    if kind != "command" or not softeners or f.cues:
        return False
    said = comparable(text)
    cue = next((c for c in softeners if c in said), None)
    if cue:
        notes.append(f"{f.category} dropped: \"{text[f.start:f.end]}\" is softened (\"{cue.strip()}\"), not a bare order")
    return cue is not None
