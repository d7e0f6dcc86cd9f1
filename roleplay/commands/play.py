"""`roleplay play SCENARIO --replies FILE`: play a scenario headless and print the transcript and score sheet."""

from __future__ import annotations

import sys
from pathlib import Path

from roleplay.commands.common import add_phrasebook_option, load_phrasebook_arg, print_problems
from roleplay.commands.session import add_session_options
from roleplay.core.content.problems import ContentError, Problem


def register(sub) -> None:
    p = sub.add_parser("play", help="play a scenario with scripted replies and print the score sheet")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="scenario id or path to a scenario file")
    p.add_argument("--replies", metavar="FILE",
                   help="trainee replies, one per line (an empty line is silence; /card etc. are actions); - for stdin")
    p.add_argument("--json", action="store_true", help="print the score sheet as JSON only")
    p.add_argument("--markdown", action="store_true", help="print the score sheet as Markdown")
    p.add_argument("--seed", type=int, default=0, help="seed for the client's wording (default 0)")
    p.add_argument("--trainee", metavar="NAME", help="trainee name for {trainee.name}")
    p.add_argument("--prepared", metavar="IDS", default="", help="checklist item ids picked, comma-separated")
    p.add_argument("--mode", choices=["practice", "assessment"], default="practice")
    add_phrasebook_option(p)
    add_session_options(p)  # --session CODE, --resume, --db (assessment sessions, written to the store)


def _read_replies(name: str) -> list[str]:
    from roleplay.core.content.yamlsafe import decode_bytes

    raw = sys.stdin.buffer.read() if name == "-" else _read_file(name)
    return decode_bytes(raw, name).splitlines()


def _read_file(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise ContentError([Problem(name, 1, 1, f"cannot read replies: {exc.strerror}", "Y103")]) from None


def run(args) -> int:
    if args.session:
        from roleplay.commands.session import run_play_session

        return run_play_session(args)
    if not args.scenario or not args.replies:
        print("roleplay play: give SCENARIO and --replies FILE, or --session CODE --trainee NAME", file=sys.stderr)
        return 2
    from roleplay.core.attempts.attempt import UNTIMED, Attempt
    from roleplay.core.reports.facts import ScenarioFacts
    from roleplay.core.reports.render import render_sheet, transcript_text
    from roleplay.core.scenario.library import find_scenario

    try:
        scenario = find_scenario(args.scenario)
        phrasebook = load_phrasebook_arg(args)
        replies = _read_replies(args.replies)
    except ContentError as exc:
        return print_problems(exc)
    prepared = [item.strip() for item in args.prepared.split(",") if item.strip()]
    # The same Attempt the TUI and `play --session` drive, without a store: scripted replies are not timed.
    attempt = Attempt.start(scenario, phrasebook, args.trainee, seed=args.seed, mode=args.mode, prepared=prepared,
                            clock=UNTIMED)
    for text in replies:
        if attempt.ended:
            break
        attempt.reply(text)
    sheet = attempt.finish()
    if len(replies) > len(attempt.turns):
        print(f"note: the scenario ended after {len(attempt.turns)} of {len(replies)} replies", file=sys.stderr)
    if args.json:
        print(render_sheet(sheet, "json"))
        return 0
    facts = ScenarioFacts.of(scenario, phrasebook)  # sheet words from the scenario in hand, no discovery
    if args.markdown:
        print(render_sheet(sheet, "markdown", facts))
        return 0
    print(transcript_text(attempt.session.opening, attempt.turns, scenario.language))
    print()
    print(render_sheet(sheet, "text", facts))
    return 0
