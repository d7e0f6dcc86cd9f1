"""`roleplay rescore`: after a phrasebook or rubric change, replay stored attempts and show score changes."""

from __future__ import annotations

import sys

from roleplay.commands.common import add_phrasebook_option, dump_json, load_phrasebook_arg, print_problems
from roleplay.commands.report import progress_bar
from roleplay.commands.session import add_db_option
from roleplay.core.content.problems import ContentError


def register(sub) -> None:
    p = sub.add_parser("rescore", help="replay stored attempts with the current phrasebook and scenarios; "
                       "show each trainee's score change (the store is not changed)")
    p.add_argument("--session", metavar="CODE", help="only this session's attempts")
    p.add_argument("--trainee", metavar="NAME", help="only this trainee")
    p.add_argument("--scenario", metavar="ID", help="only this scenario")
    p.add_argument("--scenarios", action="append", metavar="PATH",
                   help="scenario files or folders to use (repeatable); default: the shipped ones")
    p.add_argument("--attempts", action="store_true", help="also list every attempt")
    p.add_argument("--json", action="store_true", help="one JSON object per trainee")
    p.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                   help="replay in N worker processes (0: one per core); same results as one process")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_phrasebook_option(p)
    add_db_option(p)


def run(args) -> int:
    from roleplay.core.store import StoreError, open_store
    from roleplay.core.attempts.rescore import rescore

    try:
        phrasebook = load_phrasebook_arg(args)
        with open_store(args.db) as store, progress_bar("rescoring", not args.no_progress) as progress:
            code = args.session.strip().upper() if args.session else None
            changes = rescore(store, phrasebook, args.trainee, code, args.scenario, args.scenarios, progress,
                              jobs=args.jobs)
    except ContentError as exc:
        return print_problems(exc)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        for change in changes:
            print(dump_json({
                "trainee": change.trainee, "old_percent": change.old_mean, "new_percent": change.new_mean,
                "delta": change.delta, "flipped": [a.attempt_id for a in change.flipped],
                "attempts": [{**a.__dict__, "delta": a.delta} for a in change.attempts]}))
        return 0
    if not changes:
        print("no finished attempts match", file=sys.stderr)
        return 0
    print(f"{'trainee':<16} {'attempts':>8} {'before':>8} {'after':>8} {'change':>8}  pass/fail changed")
    for change in changes:
        flipped = ", ".join(f"#{a.attempt_id} {'→pass' if a.new_passed else '→fail'}" for a in change.flipped)
        print(f"{change.trainee:<16} {len(change.attempts):>8} {_pct(change.old_mean):>8} {_pct(change.new_mean):>8} "
              f"{_signed(change.delta):>8}  {flipped}")
        for a in change.attempts:
            if a.problem:
                print(f"  #{a.attempt_id}: skipped: {a.problem}")
            elif args.attempts:
                print(f"  #{a.attempt_id} {a.scenario_id:<28} {_pct(a.old_percent):>8} {_pct(a.new_percent):>8} "
                      f"{_signed(a.delta):>8}")
    return 0


def _jobs(text: str) -> int:
    import argparse
    import os

    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (0 or more)")
    return value or os.cpu_count() or 1


def _pct(value) -> str:
    return "—" if value is None else f"{value:g}%"


def _signed(value) -> str:
    return "—" if value is None else f"{value:+g}"
