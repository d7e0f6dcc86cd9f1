"""`roleplay validate [--strict] PATH...`: check scenario and phrasebook files; `path:line:col: message [code]`."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("validate", help="check scenario and phrasebook files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="YAML files or folders")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1 on any finding)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print errors only, not warnings (likely repeated client lines, misplaced silence lines)")


def run(args) -> int:
    from roleplay.core.authoring.validate import validate_paths

    found = validate_paths(args.paths, warnings=not args.quiet)
    if args.quiet:
        found = [p for p in found if p.is_error]
    for problem in found:
        print(problem)
    failing = [p for p in found if p.is_error or args.strict]
    warnings = len(found) - len([p for p in found if p.is_error])
    if failing:
        print(f"{len(failing)} problem(s) found" + (" (warnings count as errors: --strict)" if args.strict and warnings else ""),
              file=sys.stderr)
        return 1
    print("ok: all files valid" + (f" ({warnings} warning(s); --strict makes them errors)" if warnings else ""),
          file=sys.stderr)
    return 0
