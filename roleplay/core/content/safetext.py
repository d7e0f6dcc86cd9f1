"""Untrusted text made safe for any output: terminal escape sequences and control characters removed."""

from __future__ import annotations

import re

# Whole escape sequences first (CSI `ESC [ … m`, OSC `ESC ] … BEL|ESC \`, other `ESC x`), so "[31m" or a
# hyperlink target leaves no trace; then any lone C0/C1 control, DEL and bidi overrides that could reorder text.
_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]"
                       r"|\x9d[^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str | None) -> str:
    """`text` without escape sequences or control characters; tabs and newlines are kept."""
    if not text:
        return "" if text is None else text
    if text.isprintable():  # the common case costs one C-level scan
        return text
    return _CONTROL.sub("", _SEQUENCE.sub("", text))
