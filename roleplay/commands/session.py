"""`roleplay session`: create and list assessment sessions, follow their progress, join one headless."""

from __future__ import annotations

import shlex
import sys
import time

from roleplay.commands.common import add_phrasebook_option, dump_json, load_phrasebook_arg, print_problems
from roleplay.core.content.problems import ContentError

PAUSED = 3  # exit code: input ended before the scenario did; the attempt waits for --resume


def add_db_option(parser) -> None:
    parser.add_argument("--db", metavar="URL", help="store URL (default: $ROLEPLAY_DB, else SQLite in the "
                        "user's data folder); e.g. postgresql://user:pw@host/roleplay for a training centre")


def add_session_options(parser) -> None:
    """`roleplay play --session CODE [--resume] [--db URL]` (play already has --trainee)."""
    parser.add_argument("--session", metavar="CODE", help="play in an assessment session: every turn is "
                        "stored as it happens; replies from --replies FILE or stdin, one per line")
    parser.add_argument("--resume", action="store_true", help="continue your unfinished attempt in the session")
    add_db_option(parser)


def run_play_session(args) -> int:
    """`roleplay play --session CODE`: the same as `roleplay session join CODE`."""
    args.verb = "join"
    return run(args)


def register(sub) -> None:
    p = sub.add_parser("session", help="assessment sessions: create, list, show, join, coach key")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    c = verbs.add_parser("create", help="create an assessment session and print its code")
    c.add_argument("--title", required=True, help="shown to trainees and on every sheet")
    c.add_argument("--scenario", action="append", required=True, metavar="ID",
                   help="scenario id or file (repeat, in play order)")
    c.add_argument("--code", help="session code (4-16 letters/digits); default: a random 6-character code")
    c.add_argument("--pass-mark", type=float, default=60.0, metavar="PERCENT", help="default 60")
    c.add_argument("--time-limit", type=float, metavar="SECONDS", help="per reply; later replies count as silence")
    c.add_argument("--deadline", metavar="ISO", help="e.g. 2026-12-01T18:00 (local time) or 2026-12-01")
    c.add_argument("--attempts", type=int, default=1, help="attempts allowed per trainee and scenario (default 1)")
    c.add_argument("--group", metavar="NAME", help="a standing roster group whose members are expected (and only "
                   "they, with the session's own roster, may join)")
    c.add_argument("--json", action="store_true")
    add_db_option(c)

    ls = verbs.add_parser("list", help="list sessions, newest first")
    ls.add_argument("--json", action="store_true")
    add_db_option(ls)

    show = verbs.add_parser("show", help="a session's settings and every trainee's attempts")
    show.add_argument("code", metavar="CODE")
    show.add_argument("--json", action="store_true")
    add_db_option(show)

    key = verbs.add_parser("key", help="create the coach key that signs exported sheets (HMAC)")
    key.add_argument("--path", help="where to write it (default: the user's config folder)")

    join = verbs.add_parser("join", help="play the session headless: replies from --replies FILE or stdin")
    join.add_argument("code", metavar="CODE", help="session code from your coach")
    join.add_argument("--trainee", metavar="NAME", help="your name or staff ID")
    join.add_argument("--resume", action="store_true", help="continue your unfinished attempt in this session")
    join.add_argument("--seed", type=int, default=0, help="seed for the client's wording (default 0)")
    add_db_option(join)
    join.add_argument("--replies", metavar="FILE", help="replies, one per line; default: read stdin line by line")
    join.add_argument("--scenario", metavar="ID", help="which of the session's scenarios (default: the next one)")
    join.add_argument("--prepared", metavar="IDS", default="", help="checklist item ids picked, comma-separated")
    join.add_argument("--json", action="store_true", help="print the final score sheet as JSON")
    add_phrasebook_option(join)


def run(args) -> int:
    from roleplay.core.attempts.assessment import AssessmentError
    from roleplay.core.reports.integrity import IntegrityError
    from roleplay.core.store import StoreError

    try:
        return {"create": _create, "list": _list, "show": _show, "key": _key, "join": play_in_session}[args.verb](args)
    except (AssessmentError, StoreError, IntegrityError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ContentError as exc:
        return print_problems(exc)


def _create(args) -> int:
    from roleplay.core.attempts.assessment import AssessmentError, create_session
    from roleplay.core.scenario.model import find_scenario
    from roleplay.core.store import open_store

    from pathlib import Path

    found = [find_scenario(s) for s in args.scenario]  # unknown ids fail here, before anything is stored
    ids = [f.id for f in found]
    # a scenario given as a file is remembered by path, so trainees can join it from any folder
    files = {f.id: str(Path(s).resolve()) for s, f in zip(args.scenario, found) if Path(s).is_file()}
    with open_store(args.db) as store:
        if args.group:
            from roleplay.core.store.roster import group_scope, link_group, members

            if not members(store, group_scope(args.group)):
                raise AssessmentError(f"no roster group {args.group!r}: import it first with "
                                      f"roleplay roster import FILE --group {shlex.quote(args.group)}")
        session = create_session(store, args.title, ids, args.pass_mark, args.time_limit, args.deadline,
                                 args.attempts, args.code, files)
        if args.group:
            link_group(store, session.code, args.group)
    if args.json:
        print(dump_json(session.__dict__))
    else:
        print(session.code)
        print(f"created session {session.code}: {session.title}; scenarios {', '.join(ids)}; pass mark "
              f"{session.pass_mark:g}%; {session.attempts_allowed} attempt(s) each; time limit "
              f"{'none' if session.time_limit_s is None else f'{session.time_limit_s:g} s'}; deadline "
              f"{session.deadline or 'none'}", file=sys.stderr)
    return 0


def _list(args) -> int:
    from roleplay.core.store import open_store

    with open_store(args.db) as store:
        rows = store.sessions()
    if args.json:
        for row in rows:
            print(dump_json(row.__dict__))
        return 0
    for row in rows:
        print(f"{row.code:<8} {row.created_at[:16]}  {', '.join(row.scenario_ids):<30} {row.title}")
    return 0


def _show(args) -> int:
    from roleplay.core.attempts.assessment import get_session
    from roleplay.core.store import open_store
    from roleplay.core.store.seal import OK

    with open_store(args.db) as store:
        session = get_session(store, args.code)
        attempts = store.history(session_code=session.code)
        seals = {c.attempt_id: c for c in store.check_seals(session_code=session.code)}
        have_key = store.key is not None
        expected = roster_progress(store, session, attempts)
    tampered = [c for c in seals.values() if c.tampered]
    if args.json:
        rows = [{**a.__dict__, "seal": seals[a.id].status if a.id in seals else None,
                 "seal_problems": seals[a.id].problems if a.id in seals else []} for a in attempts]
        print(dump_json({"session": session.__dict__, "attempts": rows, "roster": expected}))
        return 1 if tampered else 0
    print(f"{session.code}  {session.title}")
    print(f"scenarios {', '.join(session.scenario_ids)}; pass mark {session.pass_mark:g}%; "
          f"{session.attempts_allowed} attempt(s); deadline {session.deadline or 'none'}")
    for a in sorted(attempts, key=lambda a: (a.trainee, a.started_at)):
        state = "unfinished" if not a.finished else ("passed" if a.passed else "failed")
        score = "" if a.percent is None else f"{a.percent:g}%"
        check = seals.get(a.id)
        mark = "" if check is None or check.status == OK or (not have_key and not check.tampered) else \
            f"  {check.status.upper()}"
        print(f"  #{a.id:<5} {a.employee_id or '':<8} {a.trainee:<12} {a.scenario_id:<28} {state:<10} {score:>6}  "
              f"{a.turns} turn(s){mark}")
    if expected is not None:
        _print_roster(expected)
    for check in tampered:
        print(f"WARNING: {check.describe()}", file=sys.stderr)
    if tampered:
        print(f"WARNING: {len(tampered)} attempt(s) of {session.code} were altered in the store after they "
              "finished; do not trust their scores (roleplay verify --store --session "
              f"{session.code} for details)", file=sys.stderr)
        return 1
    return 0


def roster_progress(store, session, attempts) -> list[dict] | None:
    """Everyone on the session's roster with their attempts; None when the session has no roster."""
    from roleplay.core.store.roster import session_roster

    expected = session_roster(store, session.code)
    if expected is None:
        return None
    rows = []
    for entry in expected:
        # by 工号; attempts recorded without one (before the roster, or by a front end that does not look it
        # up) count when their trainee is the 工号 or the name as typed
        mine = [a for a in attempts if a.employee_id == entry.employee_id
                or (a.employee_id is None and a.trainee in (entry.name, entry.employee_id))]
        rows.append({**entry.__dict__, "attempts": len(mine), "finished": sum(a.finished for a in mine),
                     "passed": sum(bool(a.passed) for a in mine if a.finished)})
    return rows


def _print_roster(expected: list[dict]) -> None:
    done = [e for e in expected if e["attempts"]]
    missing = [e for e in expected if not e["attempts"]]
    print(f"roster: {len(done)} of {len(expected)} have attempted")
    for e in done:
        print(f"  ✓ {e['employee_id']:<10} {e['name']:<10} {e['department'] or '':<16} "
              f"{e['finished']} finished, {e['passed']} passed")
    if missing:
        print(f"not yet attempted ({len(missing)}):")
        for e in missing:
            print(f"  · {e['employee_id']:<10} {e['name']:<10} {e['department'] or ''}")


def _key(args) -> int:
    from pathlib import Path

    from roleplay.core.reports.integrity import create_key, key_id

    try:
        path = create_key(Path(args.path) if args.path else None)
    except FileExistsError as exc:
        print(f"error: {exc.filename} already exists; keep it (sheets signed with it stay verifiable) "
              "or move it away first", file=sys.stderr)
        return 1
    key = path.read_text(encoding="utf-8").strip().encode("utf-8")
    print(f"coach key {key_id(key)} written to {path} (readable by you only); keep a copy somewhere safe",
          file=sys.stderr)
    return 0


def play_in_session(args) -> int:
    """Headless assessment attempt: every reply is committed to the store before the next is read."""
    from roleplay.core.attempts.assessment import AssessmentError, identify, join_session
    from roleplay.core.reports.render import render_sheet, transcript_text
    from roleplay.core.store import open_store
    from roleplay.core.attempts.recorder import RecordedAttempt

    code = getattr(args, "code", None) or args.session
    if not args.trainee:
        raise AssessmentError("pass --trainee NAME (your name or staff ID) to join a session")
    phrasebook = load_phrasebook_arg(args)
    with open_store(args.db) as store:
        session = join_session(store, code, args.trainee)
        # the same person join_session counted attempts for: the roster's name and 工号, or the cleaned name
        trainee, employee_id = identify(store, session, args.trainee)
        unfinished = [i for i in store.unfinished_attempts(trainee, employee_id) if i.session_code == session.code]
        if unfinished and not args.resume and not _ask_resume(unfinished[0]):
            raise AssessmentError(
                f"attempt {unfinished[0].id} ({unfinished[0].scenario_id}, {unfinished[0].turns} turn(s) kept) "
                "is unfinished: add --resume to continue it")
        if unfinished:
            info = unfinished[0]
            attempt = RecordedAttempt.resume(store, info.id, session.scenario(info.scenario_id), phrasebook, session)
            print(f"resuming attempt {info.id} after turn {attempt.resumed_turns}"
                  + (" (note: the scenario or phrasebook changed since; stored turns are kept)"
                     if attempt.diverged else ""), file=sys.stderr)
        else:
            if args.resume:
                print("nothing to resume: starting a new attempt", file=sys.stderr)
            scenario = _pick_scenario(store, session, trainee, getattr(args, "scenario", None), employee_id)
            prepared = [i.strip() for i in (getattr(args, "prepared", "") or "").split(",") if i.strip()]
            attempt = RecordedAttempt.start(store, scenario, phrasebook, trainee, getattr(args, "seed", 0) or 0,
                                            assessment=session, prepared=prepared or None, employee_id=employee_id)
            print(f"attempt {attempt.attempt_id}: {scenario.id} ({session.code})", file=sys.stderr)
        _converse(attempt, args)
        if not attempt.ended:
            again = (f"roleplay session join {session.code}" if getattr(args, "code", None)
                     else f"roleplay play --session {session.code}")
            print(f"paused after turn {len(attempt.session.turns)}; every turn is saved. Continue with: "
                  f"{again} --trainee {shlex.quote(employee_id or trainee)} --resume", file=sys.stderr)
            return PAUSED
        sheet = attempt.finish()
    if args.json:
        print(render_sheet(sheet, "json"))
    else:
        print(transcript_text(attempt.session.opening, attempt.session.turns, attempt.session.scenario.language))
        print()
        print(render_sheet(sheet, "text"))
    return 0


def _ask_resume(info) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(f"attempt {info.id} ({info.scenario_id}) stopped after {info.turns} turn(s). Resume it? [Y/n] ")
    return answer.strip().lower() in ("", "y", "yes", "是", "好")


def _pick_scenario(store, session, trainee: str, wanted: str | None, employee_id: str | None = None):
    from roleplay.core.attempts.assessment import AssessmentError
    from roleplay.core.scenario.model import find_scenario

    left = session.attempts_left(store, trainee, employee_id)
    if wanted:
        scenario = session.scenario(wanted) if wanted in left else find_scenario(wanted)
        if scenario.id not in left:
            raise AssessmentError(f"scenario {scenario.id} is not part of session {session.code} "
                                  f"({', '.join(session.scenario_ids)})")
        if not left[scenario.id]:
            raise AssessmentError(f"no attempts left for {scenario.id} in session {session.code}")
        return scenario
    return session.scenario(session.next_scenario(store, trainee, employee_id))


def _converse(attempt, args) -> None:
    """Feed replies one line at a time; in a terminal, time each reply against the session's limit."""
    interactive = not getattr(args, "replies", None) and sys.stdin.isatty()
    session = attempt.session
    out = sys.stderr if getattr(args, "json", False) else sys.stdout  # --json: stdout holds only the sheet
    if attempt.resumed_turns == 0 and session.opening:
        _say(session, session.opening, out)
    elif session.turns and session.turns[-1].client:  # where the conversation stopped
        _say(session, session.turns[-1].client, out)
    lines = _reply_lines(getattr(args, "replies", None))
    limit = attempt.assessment.time_limit_s if attempt.assessment else None
    while not attempt.ended:
        if interactive:
            print(f"> {'(' + format(limit, 'g') + ' s) ' if limit else ''}", end="", file=out, flush=True)
        asked = time.monotonic()
        line = next(lines, None)
        if line is None:
            return
        turn = attempt.reply(line, time.monotonic() - asked if interactive else None)
        for note in turn.feedback:
            print(f"  · {note}", file=sys.stderr)
        if turn.client:
            _say(session, turn.client, out)


def _say(session, text: str, out) -> None:
    prefix = "客户：" if session.scenario.language == "zh" else "Client: "
    print(prefix + text, file=out, flush=True)


def _reply_lines(name: str | None):
    from roleplay.core.content.yamlsafe import decode_bytes

    if name and name != "-":
        from pathlib import Path

        try:
            raw = Path(name).read_bytes()
        except OSError as exc:
            from roleplay.core.content.problems import Problem

            raise ContentError([Problem(name, 1, 1, f"cannot read replies: {exc.strerror}")]) from None
        yield from decode_bytes(raw, name).splitlines()
        return
    for line in sys.stdin:  # one at a time: each reply is stored before the next is read
        yield line.rstrip("\r\n")
