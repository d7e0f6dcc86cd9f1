"""`roleplay validate PATH...`: check scenario and phrasebook files; `path:line:col: message`, exit 1."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("validate", help="check scenario and phrasebook files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="YAML files or folders")


def run(args) -> int:
    from roleplay.core.authoring.validate import validate_paths

    problems = validate_paths(args.paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("ok: all files valid", file=sys.stderr)
    return 0
