"""A brush-off that goes on to help is a polite refusal: "这个不归我管，但我这就帮您问清楚" is not 推诿."""

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
