"""Structural cues read from a reply's clauses (bare orders, clipped lines, a doubled word) for the trained scorers."""

from __future__ import annotations

import re

_CLAUSES_ZH = re.compile(r"[，,。.！!？?；;：:…\s]+")  # a space parts clauses in Chinese typing (照片重拍 要正面 快)
_CLAUSES_EN = re.compile(r"[,.!?;:…]+|\s+-+\s+")
_POLITE_ZH = re.compile(r"您|请|麻烦|谢|不好意思|抱歉|对不起|劳驾|辛苦|打扰")
_POLITE_EN = re.compile(r"\b(please|thanks|thank|sorry|could|would|kindly|mind|if you|when you)\b")
# round 6 of issue 10: orders given as bare verbs ("Form. Fill it. Bring it back." · "Sit down." · "sign page 4 and
# 7. go"): the first word a trainee says, after a greeting or a filler, is a verb in its plain form
_ORDER_VERBS = frozenset(
    "sign fill bring restart reboot turn click press move sit stand wait go read type scan put give hand take call "
    "ring phone pay email send check come get stop listen look write unplug plug hold show tell answer enter "
    "download try open do keep leave queue step calm lower".split())
_LEAD_WORDS = frozenset("just so well ok okay now right hey hi hello yeah yes oh".split())
_DOUBLED = re.compile(r"^\W*(\w+)\W+\1\b", re.IGNORECASE)  # sure sure · yes yes · 好好 is the 叠词 cue's


def zh_clause_cues(raw: str) -> dict[str, float]:
    """无敬语短句: every clause is short (at most six characters) and no courtesy word is said anywhere."""
    clauses = [c for c in _CLAUSES_ZH.split(raw) if c]
    if clauses and not _POLITE_ZH.search(raw) and max(len(c) for c in clauses) <= 6:
        return {"?无敬语短句": 1.0}
    return {}


def en_clause_cues(raw: str, ws: list[str]) -> dict[str, float]:
    """bare order: the reply opens with a plain verb and says no please; clipped: two or more clauses of at most
    three words each; doubled word: "sure sure", "yes yes" at the start."""
    out: dict[str, float] = {}
    lowered = raw.lower()
    first = next((w for w in ws if w not in _LEAD_WORDS), None)
    if first in _ORDER_VERBS and not _POLITE_EN.search(lowered):
        out["?bare order"] = 1.0
    clauses = [c for c in _CLAUSES_EN.split(lowered) if c.strip()]
    if len(clauses) >= 2 and max(len(c.split()) for c in clauses) <= 3:
        out["?clipped"] = 1.0
    if _DOUBLED.search(lowered):
        out["?doubled word"] = 1.0
    return out
