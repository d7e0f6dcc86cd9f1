"""What lifts a taboo match: a brush-off that goes on to help ("这个不归我管，但我这就帮您问清楚" is not 推诿), and a
consequence the agreement sets out ("根据合同，连续三期未还会联系担保人" is a warning, not a threat), and an order
softened in the same reply ("Sign here, please." is not a curt order) or one that ends by leaving the pace to the
client ("您想好了再来找我也行" hurries nobody)."""

from __future__ import annotations

from collections.abc import Callable

from roleplay.core.matching.meaning import Found

# An offer cue followed by a negation offers nothing: "but i can" in "but I really can't help you" (fillers such as
# "really" are dropped before comparing, so the cue would otherwise match)
_NOT_AFTER = ("not ", "never ", "不", "没")

# Only the brush-off kind is redeemed: a threat or an insult followed by "I'll help" is still a threat or an
# insult, but "not my department — I'll call them for you now" hands nobody off.
REDEEMABLE = ("brush_off",)


def redeemed(f: Found, kind: str | None, text: str, comparable: Callable[[str], str], offers: list[str],
             notes: list[str]) -> bool:
    """Whether a taboo match is a refusal the reply redeems with an offer to act (`offer` cues after it)."""
    if kind not in REDEEMABLE or not offers:
        return False
    # a family's refusal is redeemed by an offer after it; the scorer's decision spans the whole reply, so an offer
    # anywhere in it counts (round 7: "Sorry, this isn't my area, but my colleague Sinead … I'll introduce you now"
    # was charged by the scorer alone)
    after = comparable(text[f.end:] if not f.cues else text)
    cue = next((c for c in offers if _offered(c, after)), None)
    if cue:
        notes.append(f"{f.category} dropped: \"{text[f.start:f.end]}\" is followed by an offer to help "
                     f"(\"{cue.strip()}\"): a polite refusal, not a brush-off")
    return cue is not None


def _offered(cue: str, said: str) -> bool:
    """Whether `cue` occurs in `said` without a negation right after it."""
    at = said.find(cue)
    while at >= 0:
        if not said[at + len(cue):].lstrip().startswith(_NOT_AFTER):
            return True
        at = said.find(cue, at + 1)
    return False


def cites_terms(f: Found, kind: str | None, text: str, comparable: Callable[[str], str],
                cues: tuple[list[str], list[str], list[str]], notes: list[str]) -> bool:
    """Whether a threat states a consequence the agreement sets out: it is about a party or record the agreement
    names (担保人, 征信, "your guarantor"), the reply cites the terms (合同约定, "as the agreement says") and it names
    nobody outside them (the client's boss or family is never in a loan agreement). `cues`: (terms, parties,
    bystanders). A scorer's decision is lifted too: it reads the guarantor, not the clause."""
    terms, parties, bystanders = cues
    if kind != "threat" or not terms:
        return False
    said = comparable(text)
    about = comparable(text[f.start:f.end])
    cue = next((c for c in terms if c in said), None)
    if cue is None or not any(p in about for p in parties) or any(b in said for b in bystanders):
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


def defers(f: Found, kind: str | None, text: str, comparable: Callable[[str], str], deference: list[str],
           notes: list[str]) -> bool:
    """Whether an order or a hurry (a family's or the scorer's) ends by leaving the pace to the client: the reply's
    last words are a deference cue (也行 · 不着急 · "no rush")."""
    if kind not in ("command", "impatience") or not deference:
        return False
    tail = comparable(text).rstrip()
    cue = next((c for c in deference if tail.endswith(c.rstrip())), None)
    if cue:
        notes.append(f"{f.category} dropped: the reply ends by leaving it to the client (\"{cue.strip()}\")")
    return cue is not None
