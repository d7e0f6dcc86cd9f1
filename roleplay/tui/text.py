"""Turning untrusted text (typed replies, YAML content) into safe Rich Text: no markup, no escape codes."""

from __future__ import annotations

import re

from rich.text import Text

from roleplay.core.lang.profile import profile

# C0/C1 controls and DEL would move the cursor or recolour the terminal; tabs and newlines are
# folded to spaces so one reply stays one speech bubble. Bidi overrides could reorder the line.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\r\n]+")


def plain(text: str) -> str:
    """The text with escape sequences and control characters removed; line breaks fold to a space."""
    # An ESC starts a sequence: drop the whole CSI sequence, not just the ESC byte, so "[31m" leaves no trace.
    text = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", text)
    text = _BREAKS.sub(" ", text)
    return _CONTROL.sub("", text)


def _join_lines(text: str) -> str:
    """Lines joined with a space between Latin words but nothing between Chinese characters."""
    joined = ""
    for line in (plain(part).strip() for part in text.splitlines()):
        if joined and line:
            joined += ("" if _wide(joined[-1]) or _wide(line[0]) else " ") + line
        else:
            joined += line
    return joined


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80  # CJK scripts and full-width punctuation


def unwrap(text: str) -> str:
    """A YAML block wrapped at ~40 columns in the file, re-flowed for the terminal: lines of a paragraph
    are joined (without a space between Chinese characters), blank lines stay paragraph breaks."""
    paragraphs = (_join_lines(block) for block in re.split(r"\n\s*\n", text.strip()))
    return "\n\n".join(p for p in paragraphs if p)


def speaker_line(name: str, text: str, style: str, lang: str = "zh") -> Text:
    """`名字：text` with the name styled; the text is never parsed as markup. No space after the colon,
    so a Chinese prefix does not wrap alone; line breaks inside Chinese text are dropped, not spaced."""
    line = Text()
    line.append(plain(name) + profile(lang).label_separator, style=style)
    line.append(_join_lines(text))
    return line


def styled(text: str, style: str = "") -> Text:
    return Text(plain(text), style=style)


def filled(scenario, text: str, trainee: str) -> str:
    """A scenario text with {client.name}-style placeholders filled, as the engine fills the client's lines."""
    from roleplay.core.scenario.model import fill

    persona = scenario.persona
    return fill(text, {
        "client.name": persona.name, "client.company": persona.company, "client.role": persona.role,
        "trainee.name": trainee or scenario.trainee_name or "",
    })


# Chinese line-breaking rules (禁则): these never start a line ...
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
# ... and these never end one.
NO_LINE_END = set("（《「『【〔〈“‘([{")


def fold(text: Text, width: int) -> list[Text]:
    """Wrap Rich Text to `width` cells like Rich does (words for English, characters for CJK), then move
    breaks so that no line starts with closing punctuation (“。”, “）”) or ends with an opening bracket."""
    from rich._wrap import divide_line  # Rich's own line divider, so English wraps exactly as before

    if width < 4:
        return [text]
    plain_text = text.plain
    breaks: list[int] = []
    start = 0
    while True:
        # one line at a time: moving a break earlier lengthens the next line, so the rest is re-divided
        offsets = divide_line(plain_text[start:], width, fold=True)
        if not offsets:
            break
        offset = start + offsets[0]
        # pull the character before the break down to the next line while the rules are broken,
        # but never empty a line (a run of punctuation longer than a line stays as it is)
        while offset - 1 > start and (plain_text[offset] in NO_LINE_START or plain_text[offset - 1] in NO_LINE_END):
            offset -= 1
        breaks.append(offset)
        start = offset
    lines = list(text.divide(breaks))
    for line in lines:
        line.rstrip_end(width)
    return lines
