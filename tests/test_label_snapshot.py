"""The matcher gives every labelled reply in tests/data exactly the labels recorded in label_snapshot.json.

A refactoring of matching (the template grammar, language profiles) must change no result; a deliberate
change re-records the snapshot with `python tools/snapshot_labels.py --write` and says so in its commit.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("snapshot_labels", ROOT / "tools" / "snapshot_labels.py")
snapshot_labels = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(snapshot_labels)


def test_every_labelled_set_keeps_its_labels(matcher_zh, matcher_en):
    before = json.loads(snapshot_labels.SNAPSHOT.read_text(encoding="utf-8"))
    rows = snapshot_labels.texts()
    assert before.keys() == rows.keys()
    matchers = {"zh": matcher_zh, "en": matcher_en}
    changed = []
    for name, expected in before.items():
        assert [r[:2] for r in expected] == [list(r) for r in rows[name]], f"{name} changed: re-record the snapshot"
        for (lang, text, *labels) in expected:
            now = matchers[lang].match(text).labels
            if now != labels:
                changed.append(f"{name}: {text!r}: {labels} -> {now}")
    assert not changed, "\n".join(changed)


@pytest.mark.slow
def test_remembered_matches_equal_the_snapshot_in_any_order(phrasebook):
    """Through the memo every scenario matcher uses (rescore replays whole cohorts through it), shuffled and
    each reply twice: exactly the recorded labels, and the second sight of a reply is remembered."""
    import random

    from roleplay.core.matching.matcher import Matcher
    from roleplay.core.matching.memo import RememberingMatcher

    memo = {lang: RememberingMatcher(Matcher(phrasebook, lang)) for lang in ("zh", "en")}
    rows = [row for expected in json.loads(snapshot_labels.SNAPSHOT.read_text(encoding="utf-8")).values()
            for row in expected]
    rows = rows[::3]  # every third reply of the 14,000 (the test above checks them all without the memo)
    order = rows * 2
    random.Random(15).shuffle(order)
    for lang, text, *labels in order:
        assert memo[lang].match(text).labels == labels, text
    assert sum(m.hits for m in memo.values()) >= len(rows)
