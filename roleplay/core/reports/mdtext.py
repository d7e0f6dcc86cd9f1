"""Markdown-safe text for exports: trainee-typed words never become links, emphasis, HTML or table cells."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~])")


def md_escape(text: object) -> str:
    """Escape Markdown punctuation and HTML, and fold line breaks, so a value stays inside its table cell."""
    text = "" if text is None else str(text)
    text = _SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())
