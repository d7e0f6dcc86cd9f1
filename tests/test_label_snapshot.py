"""The matcher gives every labelled reply in tests/data exactly the labels recorded in label_snapshot.json.

A refactoring of matching (the template grammar, language profiles) must change no result; a deliberate
change re-records the snapshot with `python tools/snapshot_labels.py --write` and says so in its commit.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

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
