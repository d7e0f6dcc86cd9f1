"""Replay every playthrough under tests/data/playthroughs/ (or FOLDER, e.g. one round) and print the issue-9 figures as JSON.

    python tools/playthrough_report.py [FOLDER]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    from roleplay.core.authoring.listening import load_playthrough, replay_playthroughs, report
    from roleplay.core.phrasebook.book import load_phrasebook

    folder = Path(argv[0]) if argv else ROOT / "tests/data/playthroughs"
    plays = [load_playthrough(p) for p in sorted(folder.rglob("*.yaml"))]
    print(json.dumps(report(replay_playthroughs(plays, load_phrasebook())), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
