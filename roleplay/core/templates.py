"""Phrasebook templates with slots (`我是{org}的{any:1-4}`, `{hi|hello} {honorific}`) as bounded regexes.

A template is data written by a coach, never a regex: literals are escaped, `{any:a-b}` is a
bounded gap (`{any:2}` exactly two), `{start}`/`{end}` the clause's start/end, `{slot}` is one of the slot's values and `{a|b|}` lists alternatives in place (an
alternative that names a slot stands for that slot's values; an empty one makes the part optional).
Chinese templates run on compact text (one character per unit); English ones on words, each word
followed by one space, so `{any:1-3}` counts words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_PART = re.compile(r"\{([^{}]*)\}")
_ANY = re.compile(r"^any(?::(\d+)(?:-(\d+))?)?$")
_SLOT = re.compile(r"^[a-z][a-z0-9_]*$")
_START = "\x00start"  # marker replaced by an anchor when `{start}` opens a template
MAX_GAP = 12  # no template may skip more than this many units at once (keeps matching linear)


def compile_template(
    template: str, slots: dict[str, list[str]], literal: Callable[[str], str], words: bool
) -> re.Pattern[str]:
    """Compile one template; `literal(text)` turns written text into an escaped regex for the units."""
    gap_unit = r"\S+ " if words else "."
    parts: list[str] = []
    pos = 0
    for m in _PART.finditer(template):
        if m.start() > pos:
            parts.append(literal(template[pos:m.start()]))
        parts.append(_hole(m.group(1), slots, literal, gap_unit))
        pos = m.end()
    if pos < len(template):
        parts.append(literal(template[pos:]))
    prefix = "(?<= )" if words else ""
    if parts and parts[0] == _START:
        prefix, parts = ("(?<=^ )" if words else "^"), parts[1:]
    return re.compile(prefix + "".join(parts))


def _hole(body: str, slots: dict[str, list[str]], literal: Callable[[str], str], gap_unit: str) -> str:
    if body == "start":
        return _START
    if body == "end":  # the clause ends here (您这茶真香 but not 您好，专业团队为您服务)
        return "$"
    any_gap = _ANY.match(body)
    if any_gap:
        low = int(any_gap.group(1) or 1)
        high = min(int(any_gap.group(2) or any_gap.group(1) or 6), MAX_GAP)
        return f"(?:{gap_unit}){{{min(low, high)},{high}}}"
    options: list[str] = []
    for alternative in body.split("|"):
        alternative = alternative.strip()
        if _SLOT.match(alternative) and alternative in slots:
            options.extend(literal(v) for v in slots[alternative])
        else:
            options.append(literal(alternative) if alternative else "")
    # longest first so the regex prefers the fullest reading; the empty option (if any) goes last
    unique = sorted({o for o in options}, key=len, reverse=True)
    return "(?:" + "|".join(unique) + ")" if unique else "(?!)"

