"""The matcher's labels, reply by reply, on every labelled set in tests/data, compared exactly to a snapshot.

Speed work (memoised matches, cached content) must not change a single label. When a matcher or phrasebook
change is MEANT to change labels, regenerate the snapshot and review its diff in the commit:

    .venv/bin/python tests/test_label_snapshot.py --update
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent / "data"
SNAPSHOT = DATA / "label_snapshot.json"
SETS = ("labeled_replies.yaml", "heldout_replies.yaml", "heldout2_replies.yaml", "heldout3_replies.yaml",
        "matcher_sanity.yaml", "taboo_probes.yaml")


def replies(name: str) -> list[tuple[str, str]]:
    """(language, text) of every reply in one labelled set, in file order."""
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    if "replies" in data:
        return [(r["lang"], r["text"]) for r in data["replies"]]
    return [(lang, text) for group in data.values() for lang, texts in group.items() for text in texts]


def current_labels(matchers: dict, names: tuple[str, ...] = SETS) -> dict[str, list[list]]:
    return {name: [[lang, text, sorted(matchers[lang].match(text).labels)] for lang, text in replies(name)]
            for name in names}


@pytest.fixture(scope="module")
def snapshot() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_snapshot_covers_every_labelled_set(snapshot):
    labelled = {p.name for p in DATA.glob("*.yaml")}
    assert set(SETS) == labelled and set(snapshot) == labelled
    for name in SETS:
        assert [(lang, text) for lang, text, _ in snapshot[name]] == replies(name), f"{name} changed: --update"


@pytest.mark.parametrize("name", SETS)
def test_labels_equal_the_snapshot(name, snapshot, matcher_zh, matcher_en):
    now = current_labels({"zh": matcher_zh, "en": matcher_en}, (name,))[name]
    changed = [(text, old, new) for (_, text, old), (_, _, new) in zip(snapshot[name], now) if old != new]
    assert not changed, f"{len(changed)} label change(s) in {name}, e.g. {changed[:5]}"


def test_remembered_matches_equal_fresh_ones_in_any_order(snapshot, phrasebook):
    """Through the scenario matcher's memo (as rescore replays), shuffled and repeated: the same labels."""
    from roleplay.core.matching.matcher import Matcher
    from roleplay.core.matching.memo import RememberingMatcher

    memo = {lang: RememberingMatcher(Matcher(phrasebook, lang)) for lang in ("zh", "en")}
    rows = [row for name in SETS for row in snapshot[name]]
    order = rows * 2
    random.Random(15).shuffle(order)
    for lang, text, labels in order:
        assert sorted(memo[lang].match(text).labels) == labels, text
    assert sum(m.hits for m in memo.values()) >= len(rows)  # the second sight of each reply was remembered


if __name__ == "__main__" and "--update" in sys.argv:
    from roleplay.core.matching.matcher import Matcher
    from roleplay.core.phrasebook.book import load_phrasebook

    book = load_phrasebook()
    labels = current_labels({lang: Matcher(book, lang) for lang in ("zh", "en")})
    # one reply per line, so a label change shows as a one-line diff
    body = ",\n".join(json.dumps(name, ensure_ascii=False) + ": [\n" + ",\n".join(
        json.dumps(row, ensure_ascii=False) for row in rows) + "\n]" for name, rows in labels.items())
    SNAPSHOT.write_text("{\n" + body + "\n}\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}: {sum(len(v) for v in labels.values())} replies")
