"""Checks of a scenario's reactions, endings, memory and placeholders; and warnings about likely repeats.

Errors make a file invalid; warnings (`warning: …`) are printed by `roleplay validate` but do not
fail it: they point at lines a trainee will probably hear twice, or a silence line among spoken ones.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import Any

from roleplay.core.scenario.model import PLACEHOLDERS, SAID, ScenarioFile, placeholder_fields

BUILTIN_FACTS = ("offered_times", "time", "deadline", "phone", "amount", "documents", "client_name", "org")
REACTIONS = ("on_taboo", "on_silence", "on_off_track", "on_closing", "on_rash")
WARNING = "warning: "
_SLOT_PART = re.compile(r"\{([^{}]*)\}")
# words of a client line written for a silent trainee; kept in step with conversation.misses.SILENCE_WORDS
SILENCE_WORDS = {
    "zh": ("你在听吗", "在听吗", "能听到", "听得到", "听不到", "听见", "说句话", "说话啊", "怎么不说话", "不说话",
           "还在吗", "人呢", "说话呀", "喂？", "喂?", "倒是说", "怎么不吭声", "吭声"),
    "en": ("can you hear", "are you there", "are you still there", "hello?", "say something", "you there?",
           "cat got your tongue", "lost you", "still with me", "didn't hear you", "i can't hear"),
}

Add = Callable[[tuple[Any, ...], str], None]


def sounds_silent(line: str, lang: str) -> bool:
    """Is this client line written for a silent trainee (你在听吗 / can you hear me)?"""
    low = line.casefold()
    return any(word in low for word in SILENCE_WORDS[lang])


def check_reactions(spec: ScenarioFile, add: Add, state: Callable[[tuple[Any, ...], str], None],
                    slots: dict[str, list[str]]) -> None:
    """Errors in reactions, endings, `known`/`not_known`, `memory:` and {said.*} placeholders."""
    facts = set(BUILTIN_FACTS) | set(spec.memory)
    finals = {sid for sid, st in spec.states.items() if st.final}
    for key in REACTIONS:
        react = getattr(spec, key)
        if react is not None and react.goto:
            state((key, "goto"), react.goto)
        if key == "on_closing" and react is not None and not react.goto:
            add((key,), "on_closing needs a `goto` (a final state): a goodbye that ends nothing is not a closing")
    for sid, st in spec.states.items():
        at = ("states", sid)
        for key in REACTIONS:
            react = getattr(st, key)
            if react is None:
                continue
            if st.final:
                add(at + (key,), f"final state {sid!r} ends the attempt: `{key}` would never be used")
                continue
            if react.goto:
                state(at + (key, "goto"), react.goto)
            elif key == "on_closing":
                add(at + (key,), "on_closing needs a `goto` (a final state): a goodbye that ends nothing is not a closing")
        if (st.min_mood is not None or st.below_mood) and not (st.final and st.outcome == "success"):
            add(at, f"`min_mood` and `below_mood` apply to success endings only (final, outcome: success); {sid!r} is not one")
        if st.below_mood:
            state(at + ("below_mood",), st.below_mood)
            if st.below_mood in spec.states and st.below_mood not in finals:
                add(at + ("below_mood",), f"below_mood {st.below_mood!r} must be a final state (an ending)")
            elif st.below_mood in spec.states and spec.states[st.below_mood].outcome == "success":
                add(at + ("below_mood",), f"below_mood {st.below_mood!r} is itself a success ending: use a partial one")
        for i, rule in enumerate(st.rules):
            for key in ("known", "not_known"):
                for j, name in enumerate(getattr(rule.when, key)):
                    if name not in facts:
                        add(at + ("rules", i, "when", key, j), _unknown_fact(name, spec))
    for i, answer in enumerate(spec.answers):
        for key in ("known", "not_known"):
            for j, name in enumerate(getattr(answer.when, key)):
                if name not in facts:
                    add(("answers", i, "when", key, j), _unknown_fact(name, spec))
    for name, cap in spec.memory.items():
        at = ("memory", name)
        if name in BUILTIN_FACTS:
            add(at, f"fact {name!r} is built in: pick another name for your own")
        if not cap.values and not cap.templates:
            add(at, f"fact {name!r} needs `values:` or `templates:` to be recognised")
        for j, template in enumerate(cap.templates):
            for part in _SLOT_PART.findall(template):
                for alt in (a.strip() for a in part.split("|")):
                    if re.fullmatch(r"[a-z][a-z0-9_]*", alt) and alt not in slots and alt not in ("start", "end", "q", "any") \
                            and "|" not in part:
                        add(at + ("templates", j), f"template {template!r} uses undefined slot {{{alt}}}: the "
                                                   f"phrasebook's slots are {', '.join(sorted(slots)) or 'none'}")


def _unknown_fact(name: str, spec: ScenarioFile) -> str:
    own = ", ".join(sorted(spec.memory)) or "none"
    close = difflib.get_close_matches(name, [*BUILTIN_FACTS, *spec.memory], n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"fact {name!r} is not known{hint}: use a built-in fact ({', '.join(BUILTIN_FACTS)}) "
            f"or declare it under `memory:` (declared: {own})")


def check_placeholders(spec: ScenarioFile, texts: Iterator[tuple[tuple[Any, ...], str]], add: Add) -> None:
    """{client.name}-style placeholders and {said.FACT} memory placeholders in client lines."""
    facts = set(BUILTIN_FACTS) | set(spec.memory)
    for loc, text in texts:
        try:
            names = placeholder_fields(text)
        except ValueError as exc:
            add(loc, f"broken placeholder braces ({exc}): write {{client.name}}, or {{{{ for a literal brace")
            continue
        for name in names:
            if name.startswith(SAID) and name[len(SAID):] in facts:
                continue
            if name.startswith(SAID):
                add(loc, f"unknown placeholder {{{name}}}: " + _unknown_fact(name[len(SAID):], spec))
            elif name not in PLACEHOLDERS:
                add(loc, "unknown placeholder {" + name + "}: use one of "
                    + ", ".join("{" + p + "}" for p in PLACEHOLDERS) + " or {said.FACT}")


def texts(data: Any, at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, text) of every line a client or the brief says: where placeholders are filled."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("say", "brief", "title") and isinstance(value, str):
                yield at + (key,), value
            elif key == "say" and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str):
                        yield at + (key, i), item
            elif key not in ("tests",):
                yield from texts(value, at + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from texts(item, at + (i,))


def reaction_warnings(spec: ScenarioFile, add: Add) -> None:
    """States whose miss lines will likely repeat word for word, and silence lines that would answer speech."""
    lang = spec.language
    for sid, st in spec.states.items():
        if st.final:
            continue
        at = ("states", sid)
        times = st.retries if st.retries is not None else 3  # misses heard in this state before it moves on
        silence = st.on_silence or spec.on_silence
        off_track = st.on_off_track or spec.on_off_track
        if st.fallback is not None:
            spoken = [line for line in st.fallback.say if not sounds_silent(line, lang)]
            for j, line in enumerate(st.fallback.say):
                if sounds_silent(line, lang):
                    add(at + ("fallback", "say", j), WARNING + f"{line!r} answers silence, so it is never said to a "
                                                               "reply: move it under `on_silence:`")
            if off_track is None and 1 <= len(spoken) < min(times, 2):
                add(at + ("fallback",), WARNING + f"state {sid!r}: one line answers every miss, so a trainee will "
                                                  "likely hear it twice: add variants or an `on_off_track:` nudge")
        for i, rule in enumerate(st.rules):  # a rule that stays can fire again: with one line it repeats
            once = rule.when.state_turn is not None and rule.when.state_turn.max is not None \
                and rule.when.state_turn.max <= 1
            nudged = (st.on_off_track or spec.on_off_track) is not None  # its lines take over on a repeat
            if rule.goto is None and len(rule.say) == 1 and not once and rule.when.silent is not True and not nudged:
                rid = rule.id or f"{sid}_{i + 1}"
                add(at + ("rules", i, "say"), WARNING + f"rule {rid!r} stays in {sid!r} and has one line: a trainee "
                                                        "who repeats the move hears it twice; add a variant or an `on_off_track:` nudge")
        for key, react in (("on_silence", st.on_silence), ("on_off_track", st.on_off_track)):
            if react is not None and len(react.say) == 1 and times >= 2 and spec.kind != "call":
                add(at + (key,), WARNING + f"state {sid!r}: `{key}` has one line; write 2-3 variants so it does not "
                                           "repeat word for word")
        if silence is None and spec.kind != "call" and (st.fallback is None or not st.fallback.say):
            add(at, WARNING + f"state {sid!r} has no answer to silence: add `on_silence:` (here or for the scenario)")
