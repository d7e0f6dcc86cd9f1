"""`roleplay list [--json]`: the scenarios found, with id, title, language, kind."""

from __future__ import annotations

import sys

from roleplay.commands.common import dump_json


def register(sub) -> None:
    p = sub.add_parser("list", help="list the scenarios (shipped, or under PATH)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders (default: the shipped ones)")
    p.add_argument("--json", action="store_true", help="one JSON array of scenarios")


def run(args) -> int:
    from roleplay.core.scenario.library import discover_with_problems

    scenarios, problems = discover_with_problems(args.paths or None)
    skipped = sorted({p.path for p in problems})
    if skipped:
        print(f"note: {len(skipped)} file(s) skipped as invalid (see `roleplay validate`): {', '.join(skipped)}",
              file=sys.stderr)
    if args.json:
        rows = [{"id": s.id, "title": s.title, "language": s.language, "kind": s.kind,
                 "difficulty": s.difficulty, "path": s.path} for s in scenarios]
        sys.stdout.write(dump_json(rows) + "\n")
        return 0
    if not scenarios:
        print("no valid scenarios found (run `roleplay validate` on the folder)", file=sys.stderr)
        return 0
    width = max(len(s.id) for s in scenarios)
    for s in scenarios:
        print(f"{s.id:<{width}}  {s.language}  {s.kind:<9} {s.difficulty:<6} {s.title}")
    return 0
