"""Write (or check) the labels the matcher gives every reply of every labelled set in tests/data.

    python tools/snapshot_labels.py          # compare with tests/data/label_snapshot.json, exit 1 on a change
    python tools/snapshot_labels.py --write  # record the current labels (only after a deliberate matcher change)

The snapshot proves a refactoring of the matcher (e.g. the template grammar migration) changes no result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SNAPSHOT = DATA / "label_snapshot.json"
REPLY_SETS = ("labeled_replies.yaml", "heldout_replies.yaml", "heldout2_replies.yaml", "heldout3_replies.yaml",
              "heldout4_replies.yaml", "heldout5_replies.yaml", "heldout6_replies.yaml", "heldout7_replies.yaml", "heldout8_replies.yaml", "heldout9_replies.yaml", "heldout10_replies.yaml", "heldout11_replies.yaml", "train_zh.yaml", "train_en.yaml",
              "train2_zh.yaml", "train2_en.yaml", "train3_zh.yaml", "train3_en.yaml", "train4_zh.yaml", "train4_en.yaml",
              "train5_zh.yaml", "train5_en.yaml", "train6_zh.yaml", "train6_en.yaml", "train7_zh.yaml",
              "train7_en.yaml", "heldout12_replies.yaml", "heldout13_replies.yaml", "heldout14_replies.yaml",
              "heldout15_replies.yaml", "heldout16_replies.yaml", "heldout17_replies.yaml", "heldout18_replies.yaml", "train8_zh.yaml", "train8_en.yaml", "train9_zh.yaml", "train9_en.yaml",
              "train10_zh.yaml", "train10_en.yaml", "train11_zh.yaml", "train11_en.yaml", "train12_zh.yaml",
              "train12_en.yaml", "train13_zh.yaml", "train13_en.yaml", "train14_zh.yaml", "train14_en.yaml",
              "train15_zh.yaml", "train15_en.yaml", "train16_en.yaml", "train17_en.yaml",
              "marked_lines.yaml",
              "matcher_sanity.yaml")


def texts() -> dict[str, list[tuple[str, str]]]:
    """Set name -> (lang, text) of every labelled reply, probe line and reply marked rude or rash in a playthrough."""
    from roleplay.core.content.yamlsafe import load_yaml

    out: dict[str, list[tuple[str, str]]] = {}
    for name in REPLY_SETS:
        out[name] = [(r["lang"], r["text"]) for r in load_yaml(DATA / name).data["replies"]]
    probes = load_yaml(DATA / "taboo_probes.yaml").data
    out["taboo_probes.yaml"] = [(lang, line) for kind in ("rude", "polite") for lang in ("zh", "en")
                                for line in probes[kind][lang]]
    # round 4 (issue 10): the kind and compliance probes and the replies blind authors marked rude or rash
    kinds = load_yaml(DATA / "taboo_kind_probes.yaml").data
    out["taboo_kind_probes.yaml"] = [(lang, line) for lang in ("zh", "en") for lines in kinds["rude"][lang].values()
                                     for line in lines] + [(lang, line) for lang in ("zh", "en")
                                                           for line in kinds["sincere"][lang]]
    comp = load_yaml(DATA / "compliance_probes.yaml").data
    out["compliance_probes.yaml"] = [(lang, line) for lang in ("zh", "en") for lines in comp["faults"][lang].values()
                                     for line in lines] + [(lang, line) for lang in ("zh", "en")
                                                           for line in comp["clean"][lang]]
    marked = []
    for path in sorted((DATA / "playthroughs").rglob("*.yaml")):
        play = load_yaml(path).data
        marked += [(play["scenario"].split("_")[0], play["replies"][int(n) - 1]) for n in sorted(play.get("marks") or {})]
    out["playthrough_marks"] = marked
    return out


def labels() -> dict[str, list[list[str]]]:
    """Set name -> for each reply, [lang, text, label, label, ...] as the matcher gives them now."""
    from roleplay.core.matching.matcher import Matcher
    from roleplay.core.phrasebook.book import load_phrasebook

    book = load_phrasebook(ROOT / "phrasebook")
    matchers = {lang: Matcher(book, lang) for lang in ("zh", "en")}
    return {name: [[lang, text, *matchers[lang].match(text).labels] for lang, text in rows]
            for name, rows in texts().items()}


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    now = labels()
    if "--write" in argv:
        body = ",\n".join(json.dumps(name, ensure_ascii=False) + ": [\n" + ",\n".join(
            json.dumps(row, ensure_ascii=False) for row in rows) + "\n]" for name, rows in now.items())
        SNAPSHOT.write_text("{\n" + body + "\n}\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT} ({sum(len(v) for v in now.values())} replies)")
        return 0
    before = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changed = [(name, b, n) for name in before for b, n in zip(before[name], now.get(name, []), strict=False) if b != n]
    for name, b, n in changed:
        print(f"{name}: {b[1]!r}: {b[2:]} -> {n[2:]}")
    return 1 if changed or before.keys() != now.keys() else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
