"""`roleplay test [PATH...]`: run the tests written inside scenario files; exit 1 if any fails."""

from __future__ import annotations

import sys

from roleplay.commands.common import add_phrasebook_option, dump_json, load_phrasebook_arg, print_problems
from roleplay.core.content.problems import ContentError


def register(sub) -> None:
    p = sub.add_parser("test", help="run the tests inside scenario files (default: the shipped scenarios)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders")
    p.add_argument("--json", action="store_true", help="one JSON object per scenario")
    p.add_argument("-v", "--verbose", action="store_true", help="show the score sheet of failing tests")
    add_phrasebook_option(p)


def run(args) -> int:
    from roleplay.core.reports.render import sheet_text
    from roleplay.core.scenario.loader import load_scenario_file
    from roleplay.core.authoring.scenario_tests import run_scenario_tests
    from roleplay.core.content.files import expand

    if args.paths:
        files, problems = expand(args.paths)
    else:
        from roleplay.core.settings import scenarios_dir

        files, problems = expand([scenarios_dir()])
    try:
        phrasebook = load_phrasebook_arg(args)
    except ContentError as exc:
        return print_problems(exc)
    for problem in problems:
        print(problem, file=sys.stderr)
    failed = bool(problems)
    totals = [0, 0]
    for f in files:
        try:
            scenario = load_scenario_file(f)
        except ContentError as exc:
            print_problems(exc)
            failed = True
            continue
        report = run_scenario_tests(scenario, phrasebook)
        totals[0] += sum(o.passed for o in report.outcomes)
        totals[1] += len(report.outcomes)
        failed = failed or not report.passed
        if args.json:
            print(dump_json(_as_json(report)))
            continue
        _print_report(report, verbose=args.verbose, sheet_text=sheet_text)
    if not args.json:
        print(f"{totals[0]}/{totals[1]} scenario tests passed", file=sys.stderr)
    return 1 if failed or not totals[1] else 0


def _shown(path: str) -> str:
    """A path relative to the working folder when it lies inside it (shorter `path:line:col` lines)."""
    import os

    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _print_report(report, *, verbose: bool, sheet_text) -> None:
    scenario = report.scenario
    path = _shown(scenario.path)
    print(f"{scenario.id} ({path})")
    if not report.outcomes:
        print("  no tests: add a `tests:` section (a model answer, a rude one, a partial one)")
    for o in report.outcomes:
        print(f"  {'PASS' if o.passed else 'FAIL'} {o.name}  "
              f"[{o.sheet.final_state}, {o.sheet.total:g}/{o.sheet.max:g}, {'passed' if o.sheet.passed else 'failed'}]")
        for failure in o.failures:
            print(f"    {path}:{o.line}:{o.col}: {failure}")
        if not o.passed:
            print(f"    path: {' -> '.join(o.visited)}")
            if verbose:
                print("    " + sheet_text(o.sheet).replace("\n", "\n    "))
    states = list(scenario.states)
    shown = f"  states visited by tests: {len(states) - len(report.unvisited)}/{len(states)} ({report.coverage:.0%})"
    if report.unvisited:
        shown += "; not visited: " + ", ".join(report.unvisited)
    print(shown)
    rules = report.rules
    shown = f"  rules fired by tests: {len(rules) - len(report.unfired)}/{len(rules)}"
    if report.unfired:
        shown += "; never fired: " + ", ".join(report.unfired)
    print(shown)


def _as_json(report) -> dict:
    return {
        "scenario": report.scenario.id, "path": report.scenario.path, "passed": report.passed,
        "coverage": round(report.coverage, 3), "unvisited": report.unvisited,
        "rules": len(report.rules), "unfired": report.unfired,
        "tests": [{"name": o.name, "passed": o.passed, "failures": o.failures, "visited": o.visited,
                   "total": o.sheet.total, "final_state": o.sheet.final_state} for o in report.outcomes],
    }
