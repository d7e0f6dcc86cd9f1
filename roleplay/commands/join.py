"""`roleplay session join CODE` / `roleplay play --session CODE`: an assessment attempt played headless,
one reply per line (stdin, a pipe or --replies FILE); every turn is stored before the next line is read."""

from __future__ import annotations

import shlex
import sys

from roleplay.core.content.problems import ContentError, Problem
from roleplay.core.content.safetext import strip_controls

PAUSED = 3  # exit code: input ended before the scenario did; the attempt waits for --resume


def add_live_options(parser) -> None:
    """The options both spellings of a headless session attempt share (beyond --resume)."""
    parser.add_argument("--take-over", action="store_true",
                        help="resume an attempt whose terminal went quiet (closed or crashed): it is yours then")
    parser.add_argument("--abandon", action="store_true",
                        help="give up your unfinished attempt: stored as abandoned; it still counts as an attempt")


def play_in_session(args) -> int:
    """Join (or resume) and play; the session's rules (mode, pass mark, time limit, attempts) all come from it."""
    from roleplay.commands.common import load_phrasebook_arg
    from roleplay.core.attempts.assessment import AssessmentError, identify, join_session
    from roleplay.core.attempts.attempt import Attempt
    from roleplay.core.store import open_store
    from roleplay.core.store.leases import LeaseStale

    code = getattr(args, "code", None) or args.session
    if not args.trainee:
        raise AssessmentError("pass --trainee NAME (your name or staff ID) to join a session")
    phrasebook = load_phrasebook_arg(args)
    with open_store(args.db) as store:
        session = join_session(store, code, args.trainee)
        # the same person join_session counted attempts for: the roster's name and 工号, or the cleaned name
        trainee, employee_id = identify(store, session, args.trainee)
        unfinished = [i for i in store.unfinished_attempts(trainee, employee_id) if i.session_code == session.code]
        again = (f"roleplay session join {session.code}" if getattr(args, "code", None)
                 else f"roleplay play --session {session.code}") + f" --trainee {shlex.quote(employee_id or trainee)}"
        if getattr(args, "abandon", False):
            return _abandon(store, unfinished, phrasebook)
        if unfinished and not args.resume and not _ask(
                f"attempt {unfinished[0].id} ({unfinished[0].scenario_id}) stopped after {unfinished[0].turns} "
                "turn(s). Resume it? [Y/n] ", default=True):
            raise AssessmentError(
                f"attempt {unfinished[0].id} ({unfinished[0].scenario_id}, {unfinished[0].turns} turn(s) kept) "
                f"is unfinished: continue it with `{again} --resume`, or give it up with `{again} --abandon`")
        if unfinished:
            info = unfinished[0]
            try:
                attempt = Attempt.resume(store, info.id, session.scenario(info.scenario_id), phrasebook,
                                         take_over=getattr(args, "take_over", False))
            except LeaseStale as exc:
                raise AssessmentError(f"{exc}: if it is, add --take-over") from None
            print(f"resuming attempt {info.id} (assessment) after turn {attempt.resumed_turns}"
                  + (" (note: the scenario or phrasebook changed since; stored turns are kept)"
                     if attempt.diverged else ""), file=sys.stderr)
        else:
            if args.resume:
                print("nothing to resume: starting a new attempt", file=sys.stderr)
            scenario = _pick_scenario(store, session, trainee, getattr(args, "scenario", None), employee_id)
            prepared = [i.strip() for i in (getattr(args, "prepared", "") or "").split(",") if i.strip()]
            attempt = Attempt.start(scenario, phrasebook, trainee, store=store, seed=getattr(args, "seed", 0) or 0,
                                    assessment=session, prepared=prepared or None, employee_id=employee_id)
            print(f"attempt {attempt.attempt_id}: {scenario.id} ({session.code})", file=sys.stderr)
        attempt.keep_alive()
        try:
            _converse(attempt, args)
        except ContentError as exc:  # a reply line that is not text: say where, keep every stored turn
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"paused after turn {len(attempt.turns)}; every turn is saved. Continue with: {again} --resume",
                  file=sys.stderr)
            return 1
        finally:
            attempt.close()
        if not attempt.ended:
            print(f"paused after turn {len(attempt.turns)}; every turn is saved and the reply clock keeps "
                  f"running. Continue with: {again} --resume", file=sys.stderr)
            return PAUSED
        sheet = attempt.finish()
    _print_result(attempt, sheet, args)
    return 0


def _print_result(attempt, sheet, args) -> None:
    from roleplay.core.reports.render import render_sheet, transcript_text

    if args.json:
        print(render_sheet(sheet, "json"))
        return
    from roleplay.core.reports.facts import ScenarioFacts

    print(transcript_text(attempt.session.opening, attempt.turns, attempt.scenario.language))
    print()
    print(render_sheet(sheet, "text", ScenarioFacts.of(attempt.scenario)))  # the sheet's words, no discovery


def _abandon(store, unfinished, phrasebook) -> int:
    from roleplay.core.attempts.attempt import Attempt
    from roleplay.core.scenario.model import find_scenario

    if not unfinished:
        print("nothing to abandon: you have no unfinished attempt in this session", file=sys.stderr)
        return 1
    info = unfinished[0]
    if sys.stdin.isatty() and not _ask(f"give up attempt {info.id} ({info.scenario_id}, {info.turns} turn(s))? "
                                       "It is stored as abandoned and counts as one of your attempts. [y/N] ",
                                       default=False):
        print("kept: nothing changed", file=sys.stderr)
        return 1
    attempt = Attempt.resume(store, info.id, find_scenario(info.scenario_id), phrasebook, take_over=True)
    attempt.abandon()
    print(f"attempt {info.id} is stored as abandoned", file=sys.stderr)
    return 0


def _ask(question: str, default: bool) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(question).strip().lower()
    return default if not answer else answer in ("y", "yes", "是", "好")


def _pick_scenario(store, session, trainee: str, wanted: str | None, employee_id: str | None = None):
    from roleplay.core.attempts.assessment import AssessmentError
    from roleplay.core.scenario.model import find_scenario

    left = session.attempts_left(store, trainee, employee_id)
    if wanted:  # a session scenario given as a file at `session create` is found by its path
        scenario = session.scenario(wanted) if wanted in left else find_scenario(wanted)
        if scenario.id not in left:
            raise AssessmentError(f"scenario {scenario.id} is not part of session {session.code} "
                                  f"({', '.join(session.scenario_ids)})")
        if not left[scenario.id]:
            raise AssessmentError(f"no attempts left for {scenario.id} in session {session.code}")
        return scenario
    return session.scenario(session.next_scenario(store, trainee, employee_id))


def _converse(attempt, args) -> None:
    """Feed replies one line at a time. The clock for each reply runs from when the client's line was shown,
    whatever the input is (terminal, pipe, file), and keeps running across a pause."""
    interactive = not getattr(args, "replies", None) and sys.stdin.isatty()
    out = sys.stderr if getattr(args, "json", False) else sys.stdout  # --json: stdout holds only the sheet
    if attempt.resumed_turns == 0 and attempt.session.opening:
        _say(attempt, attempt.session.opening, out)
    elif attempt.turns and attempt.turns[-1].client:  # where the conversation stopped
        _say(attempt, attempt.turns[-1].client, out)
    lines = _reply_lines(getattr(args, "replies", None))
    limit = attempt.time_limit_s
    while not attempt.ended:
        if interactive:
            print(f"> {'(' + format(limit, 'g') + ' s) ' if limit else ''}", end="", file=out, flush=True)
        line = next(lines, None)
        if line is None:
            return
        turn = attempt.reply(line)
        for note in attempt.notes(turn):  # over-time notices; coaching only outside an assessment
            print(f"  · {strip_controls(note)}", file=sys.stderr)
        if turn.client:
            _say(attempt, turn.client, out)


def _say(attempt, text: str, out) -> None:
    prefix = "客户：" if attempt.scenario.language == "zh" else "Client: "
    print(prefix + strip_controls(text), file=out, flush=True)


def _reply_lines(name: str | None):
    from roleplay.core.content.yamlsafe import decode_bytes

    if name and name != "-":
        from pathlib import Path

        try:
            raw = Path(name).read_bytes()
        except OSError as exc:
            raise ContentError([Problem(name, 1, 1, f"cannot read replies: {exc.strerror}", "Y103")]) from None
        yield from decode_bytes(raw, name).splitlines()
        return
    for number, raw in enumerate(sys.stdin.buffer, 1):  # one at a time: each reply is stored before the next
        yield decode_line(raw, number, "<stdin>").rstrip("\r\n")


def decode_line(raw: bytes, number: int, shown: str) -> str:
    """One input line as text, or a located problem (bad UTF-8, a NUL byte) instead of a traceback."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        col = len(raw[:nul].decode("utf-8", "replace")) + 1
        raise ContentError([Problem(shown, number, col, "a NUL byte is not text: remove it and send the line again", "Y105")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        col = len(raw[:exc.start].decode("utf-8", "replace")) + 1
        raise ContentError([Problem(shown, number, col, (
            "not valid UTF-8: set the terminal or the replies file to UTF-8 (GBK/GB2312 must be converted), "
            "then resume"), "Y106")]) from None
