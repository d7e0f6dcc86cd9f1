"""Warnings about client lines that read oddly: a remembered value in quotes, an ending naming a time nobody agreed,
a question asked in the same breath as hanging up."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from roleplay.core.scenario.model import ScenarioFile

WARNING = "warning: "
Add = Callable[[tuple[Any, ...], str], None]
_SAID = re.compile(r"\{said\.[a-z_]+\}")
# a time or deadline in quotes reads like a pasted template; quoting the trainee's own words (a promise, the
# wording a guarantor must write) is reported speech and stays
_QUOTED = re.compile(r"[‘“「『'\"]\s*\{said\.(offered_times|time|deadline)\}\s*[’”」』'\"]")
# a sentence ends at 。！？!? (or . followed by a space in English); narration in brackets is a sentence of its own
_SENTENCE = re.compile(r"（[^（）]*）|\([^()]*\)|(?:[^。！？!?.（(]|\.(?!\s|$))+(?:[。！？!?]+|\.+(?=\s|$)|$)")
_SPACE = re.compile(r"\s+")
_TIME_FACTS = {"offered_times", "time", "deadline"}
_TIME_WORDS = {
    "en": re.compile(r"\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening|week)|next week|"
                     r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.IGNORECASE),
    "zh": re.compile(r"今天|明天|后天|今晚|今儿|下午|上午|(?:下|这|本)?(?:周|星期|礼拜)[一二三四五六日天]|下周|\d+点"),
}
_GONE = {
    "en": re.compile(r"hangs? up|hung up|leaves|walks out|storms out|puts the phone down", re.IGNORECASE),
    "zh": re.compile(r"挂断|挂了电话|挂掉|离开|走了|摔门|扬长而去|起身走"),
}


def sentences(line: str) -> list[str]:
    """The sentences of a client line, with their punctuation (narration in brackets is one sentence).

    A line the pattern cannot cut without losing characters (an unclosed bracket) is one sentence.
    """
    found = [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(line)) if s]
    return found if _SPACE.sub("", "".join(found)) == _SPACE.sub("", line) else [line.strip()]


def _lines(say: list[str], at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    for i, line in enumerate(say):
        yield (at + ("say", i) if len(say) > 1 else at + ("say",)), line


def _uses_times(spec: ScenarioFile) -> bool:
    """Does the scenario capture times (a rule tests them, or a line says them back)?"""
    names: set[str] = set()
    for st in spec.states.values():
        for rule in st.rules:
            names |= set(rule.when.known) | set(rule.when.not_known)
    for answer in spec.answers:
        names |= set(answer.when.known) | set(answer.when.not_known)
    return bool(names & _TIME_FACTS) or "{said.time}" in spec.model_dump_json() \
        or "{said.deadline}" in spec.model_dump_json()


def _ends_asking(line: str) -> bool:
    spoken = [x for x in sentences(line) if not x.startswith(("（", "("))]
    return bool(spoken) and spoken[-1].endswith(("?", "？"))


def _asks_last(line: str, gone: re.Pattern[str]) -> tuple[bool, bool]:
    """(its last spoken sentence asks something, narration after that question says the client is gone)."""
    parts = sentences(line)
    spoken = [i for i, s in enumerate(parts) if not s.startswith(("（", "("))]
    if not spoken or not parts[spoken[-1]].endswith(("?", "？")):
        return False, False
    return True, any(gone.search(s) for s in parts[spoken[-1] + 1:])


def line_warnings(spec: ScenarioFile, add: Add) -> None:
    """Quoted {said.*} values, endings naming a hard-coded time, questions asked while hanging up."""
    lang = spec.language
    times = _uses_times(spec)
    finals = {sid: st for sid, st in spec.states.items() if st.final}
    for sid, st in spec.states.items():
        at = ("states", sid)
        spoken: list[tuple[tuple[Any, ...], list[str], str | None]] = [(at, st.say, None)]
        spoken += [(at + ("rules", i), rule.say, rule.goto) for i, rule in enumerate(st.rules)]
        for key in ("on_taboo", "on_silence", "on_off_track", "on_closing", "on_rash", "on_exhausted"):
            react = getattr(st, key)
            if react is not None:
                spoken.append((at + (key,), react.say, react.goto))
        for where, say, goto in spoken:
            for loc, line in _lines(say, where):
                if _QUOTED.search(line):
                    add(loc, WARNING + f"{line!r} puts a remembered time in quotation marks: the client says it as "
                                       "plain speech; drop the quotes around {said.…}")
                # an epilogue, or the line that leads to a good or partial ending (a failure may well say "today")
                ending = st.final or (goto in finals and finals[goto].outcome != "failure")
                named = _TIME_WORDS[lang].search(_SAID.sub("", line)) if times and ending else None
                if named is not None:
                    add(loc, WARNING + f"{line!r} ends the talk naming a time ({named.group(0)}) the trainee may not "
                                       "have offered: say {said.time} or {said.deadline} instead")
                target = spec.states.get(goto) if goto else None
                if target is not None and not target.final and target.say and _ends_asking(line) \
                        and all(_ends_asking(x) for x in target.say):
                    add(loc, WARNING + f"{line!r} ends with a question and {goto!r} opens with another: the client asks "
                                       "two things in one breath; end this line with a statement or drop the entry question")
                asks, hangs_up = _asks_last(line, _GONE[lang])
                gone = goto in finals and any(_GONE[lang].search(x) for x in finals[goto].say if goto)
                if asks and (hangs_up or gone):
                    add(loc, WARNING + f"{line!r} asks a question and ends the talk in the same breath: the trainee "
                                       "cannot answer it; end with a statement, or stay and let them answer")
