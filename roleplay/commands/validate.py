"""`roleplay validate PATH...`: check scenario and phrasebook files; `path:line:col: message`, exit 1."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("validate", help="check scenario and phrasebook files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="YAML files or folders")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print errors only, not warnings (likely repeated client lines, misplaced silence lines)")


def run(args) -> int:
    from roleplay.core.authoring.validate import is_warning, validate_paths

    found = validate_paths(args.paths, warnings=not args.quiet)
    for problem in found:
        print(problem)
    problems = [p for p in found if not is_warning(p)]
    notes = len(found) - len(problems)
    if problems:
        print(f"{len(problems)} problem(s) found" + (f", {notes} warning(s)" if notes else ""), file=sys.stderr)
        return 1
    print("ok: all files valid" + (f" ({notes} warning(s))" if notes else ""), file=sys.stderr)
    return 0
