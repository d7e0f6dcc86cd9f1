"""Replies no rule took, by kind (silence, rude, off-track, unclear), and which reaction answers each.

A state's own reaction wins over the scenario's default; `fallback` answers what neither covers.
Built-in lines exist only where a coach wrote nothing: they are neutral, and never answer a spoken
reply as if it had been silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, TypedDict, cast

from roleplay.core.conversation.lines import RASH_LINES, RASH_MOOD
from roleplay.core.scenario.model import Fallback, Reaction, Scenario, StateSpec
from roleplay.core.scenario.reactions_check import sounds_silent

# Final: the kinds are literal keys of the built-in lines below
SILENCE: Final = "silence"
RUDE: Final = "rude"
OFF_TRACK: Final = "off_track"
UNCLEAR: Final = "unclear"
CLOSING: Final = "closing"
NOTE: Final = "note"
CARD: Final = "card"
RASH: Final = "rash"  # a rash promise, absolute claim or insinuation (compliance, a scenario's negative category)
PHONE_ASKS = 3  # 10086 practice: ask up to three times whether the caller can be heard, then close


class BuiltinLines(TypedDict):
    """The neutral lines of one language, for misses no coach wrote a line for."""

    silence: list[str]
    unclear: list[str]
    phone_ask: list[str]
    phone_close: str
    below_mood: str
    note: list[str]
    note_call: list[str]
    card: list[str]
    bye: str


BUILTIN: dict[str, BuiltinLines] = {
    "zh": {
        SILENCE: ["（客户看着你，等你开口。）", "（客户等了一会儿，你还没有说话。）", "（客户看了看表，还在等你说话。）"],
        UNCLEAR: ["（客户没太明白你的意思。）", "（客户皱了皱眉，没听懂你想说什么。）", "（客户看着你，等你说清楚一点。）"],
        "phone_ask": ["喂？您好，能听到吗？", "喂，您好？请问能听到我说话吗？", "喂？喂？能听到吗？"],
        "phone_close": "很抱歉，听不到您的声音，那我先挂了，再见！",
        "below_mood": "（事情算是谈定了，但看得出客户心里还不太痛快。）",
        "note": ["（客户等你记下来，看着你，等你往下说。）", "（客户停下来，等你记完再说。）"],
        "note_call": ["（电话那头停了一下，等你记完。）", "（你边听边记，电话那头等你记完。）"],
        "card": ["（客户接过名片看了一眼，放在一边。）", "（客户接过名片，点了点头。）"],
        "bye": "好的，那就先这样吧。",
    },
    "en": {
        SILENCE: ["(The client looks at you, waiting for you to speak.)", "(The client waits; you haven't said anything yet.)",
                  "(The client glances at the clock, still waiting for you.)"],
        UNCLEAR: ["(The client doesn't quite follow you.)", "(The client frowns, not sure what you mean.)",
                  "(The client waits for you to put it more clearly.)"],
        "phone_ask": ["Hello? Can you hear me?", "Hello? Are you there? I can't hear you.", "Hello? Hello? Can you hear me?"],
        "phone_close": "Sorry, I can't hear you. I'll hang up now. Goodbye!",
        "below_mood": "(It's settled, but the client clearly isn't happy about it.)",
        "note": ["(The client waits while you write it down, then looks at you to go on.)", "(The client pauses until you have finished your note.)"],
        "note_call": ["(A short pause on the line while you write it down.)", "(You jot it down; the line is quiet while you write.)"],
        "card": ["(The client takes your card, glances at it and puts it aside.)", "(The client takes your card and nods.)"],
        "bye": "All right, let's leave it there.",
    },
}
PHONE_CLOSED = "no_answer"  # outcome of a call the client closed after silence
@dataclass
class Answer:
    """What the client does about a missed reply."""

    kind: str
    say: list[str]
    mood: int
    feedback: str | None
    goto: str | None = None
    counts: bool = True  # counts towards the state's `retries`
    spare: list[str] | None = None  # said once `say` is used up, before any line repeats


def miss_kind(silent: bool, labels: frozenset[str], action: str | None, negative: set[str]) -> str:
    if silent:
        return SILENCE
    if "taboo" in labels or (labels & negative and action == "note"):
        return RUDE
    if labels & negative:  # rash: answered by on_rash first; what else was said is heard as usual
        return OFF_TRACK if labels - negative or (action and action != "note") else RASH
    if action == "note":  # writing down what was agreed is good practice whatever the note says
        return NOTE
    if action == "card" and not labels:
        return CARD
    if labels or action:
        return OFF_TRACK
    return UNCLEAR


def reaction(scenario: Scenario, st: StateSpec, key: str) -> Reaction | None:
    """The state's reaction `key` (on_taboo, on_silence, ...) or the scenario's default."""
    # every reaction key (REACTIONS in reactions_check) is a `Reaction | None` field of both models
    return cast("Reaction | None", getattr(st, key) or getattr(scenario.spec, key))


def miss_answer(scenario: Scenario, st: StateSpec, kind: str, silences: int) -> Answer:
    """How the client answers a missed reply of `kind` in state `st` (`silences`: consecutive, this one included)."""
    lang = scenario.language
    # Fallback() needs no argument (every field has a default); mypy reads pydantic's positional Field
    # default as none, so it asks for `mood`
    fallback = st.fallback or Fallback()  # type: ignore[call-arg]
    spoken = [line for line in fallback.say if not sounds_silent(line, lang)]
    if kind == RASH:  # the reaction to the rash move was said before the rules ran: nothing more to say
        return Answer(kind, [], 0, None, counts=False)
    if kind == CARD and scenario.kind == "call":  # no card to hand over on the phone
        kind = UNCLEAR
    if kind in (NOTE, CARD):  # taking notes, handing a card: good practice, the client waits, no retry used up
        # on the phone the client cannot see you write: a pause on the line, not a client watching
        builtin = BUILTIN[lang]
        note = builtin["note_call"] if scenario.kind == "call" else builtin["note"]
        lines = note if kind == NOTE else builtin["card"]
        return Answer(kind, lines, 0, None, counts=False)
    if kind == SILENCE:
        own = reaction(scenario, st, "on_silence")
        if scenario.kind == "call" and (own is None or own.goto is None):
            # 10086 practice: ask whether the caller can be heard (the coach's lines, else ours), then close
            if silences > PHONE_ASKS:
                return Answer("phone_close", [BUILTIN[lang]["phone_close"]], 0, None, counts=False)
            asks = own.say if own is not None and own.say else BUILTIN[lang]["phone_ask"]
            mood = own.mood if own is not None else fallback.mood
            return Answer(kind, asks, mood, own.feedback if own is not None else fallback.feedback, counts=False,
                          spare=BUILTIN[lang]["phone_ask"])
        if own is not None:
            return Answer(kind, own.say, own.mood, own.feedback, own.goto)
        return Answer(kind, fallback.say or BUILTIN[lang][SILENCE], fallback.mood, fallback.feedback)
    if kind == RUDE:
        own = reaction(scenario, st, "on_taboo")
        if own is not None:
            return Answer(kind, own.say, own.mood, own.feedback, own.goto, counts=False)
        return Answer(kind, spoken or BUILTIN[lang][UNCLEAR], fallback.mood, fallback.feedback)
    if kind == OFF_TRACK:
        own = reaction(scenario, st, "on_off_track")
        if own is not None:
            return Answer(kind, own.say, own.mood, own.feedback, own.goto)
        return Answer(kind, spoken or BUILTIN[lang][UNCLEAR], 0, fallback.feedback)  # courteous: no mood loss
    return Answer(kind, spoken or BUILTIN[lang][UNCLEAR], fallback.mood, fallback.feedback)


def rash_answer(scenario: Scenario, st: StateSpec, rash: set[str], promises: set[str],
                kind: str | None = None) -> Answer | None:
    """The client's reaction to the rash labels of a reply (None when a rule of the state listens for them): to the
    kind of promise (`discount`, `guarantee`, `absolute_claim`) when the fault names one."""
    if not rash or any(c in rule.when.any or c in rule.when.all for rule in st.rules for c in rash):
        return None
    own = reaction(scenario, st, "on_rash")
    if own is not None:
        return Answer(RASH, own.say, own.mood, own.feedback, own.goto, counts=False)
    lines = RASH_LINES[scenario.language]
    which = (kind if kind in lines else "promise") if rash & promises else "remark"
    return Answer(RASH, lines[which], RASH_MOOD, None, counts=False)


def promise_categories(scenario: Scenario) -> set[str]:
    """`compliance` and the scenario's negative categories standing on it: promises, not remarks."""
    own = {cid for cid, cat in scenario.categories.items() if cat.negative and cat.stands_on("compliance")}
    return {"compliance"} | own


def below_bar_ending(scenario: Scenario, st: StateSpec, current: str) -> str | None:
    """Where a success ending reached below the mood bar ends instead: its below_mood, else the first partial one."""
    states = scenario.states
    target = st.below_mood or next((sid for sid, s in states.items() if s.final and s.outcome == "partial"), None)
    return target if target != current else None
