"""A compliance match inside a refusal is no promise: 我们不能给您免掉手续费, "I can't promise it'll be approved"."""

from __future__ import annotations

from collections.abc import Callable

from roleplay.core.matching.meaning import Found
from roleplay.core.phrasebook.grammar import parse
from roleplay.core.phrasebook.grammar import words as template_words

# characters before a compliance match where a refusal cue still counts (English words are longer: "I'd love
# to tell you it's a sure thing, but …", "I can't promise the extension won't be a problem")
REFUSAL_LOOKBEHIND = {"zh": 8, "en": 24}


def own_wording(phrase: str, cue: str, encode: Callable[[str], str], slots: dict[str, list[str]], words: bool) -> bool:
    """Whether a fault's own wording carries the refusal cue (看看能不能再给您优惠; a template's literals: "nobody
    can beat our rates" is a claim, though "nobody can" refuses in "nobody can guarantee that")."""
    if "{" not in phrase:
        return cue in encode(phrase)
    literals = [encode(w) for w in template_words(parse(phrase), slots)]
    if words:
        written = {w for lit in literals for w in lit.split()}
        return all(w in written for w in cue.split())
    return any(cue in lit for lit in literals)


def refused(f: Found, text: str, lang: str, refusals: list[str], encode: Callable[[str], str],
            slots: dict[str, list[str]], words: bool, notes: list[str]) -> bool:
    """Whether a refusal cue stands in or just before the match (not one its own wording carries); notes why."""
    window = encode(text[max(0, f.start - REFUSAL_LOOKBEHIND[lang]):f.end])
    cue = next((c for c in refusals if c in window and not own_wording(f.phrase, c, encode, slots, words)), None)
    if cue:
        notes.append(f"{f.category} dropped: \"{text[f.start:f.end]}\" is refused (\"{cue.strip()}\"), not promised")
    return cue is not None
