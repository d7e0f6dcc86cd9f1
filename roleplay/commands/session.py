"""`roleplay session`: create and list assessment sessions, follow their progress, join one headless."""

from __future__ import annotations

import shlex
import sys

from roleplay.commands.common import add_phrasebook_option, dump_json, print_problems
from roleplay.commands.join import PAUSED, add_live_options, play_in_session
from roleplay.core.content.problems import ContentError

__all__ = ["PAUSED", "add_session_options", "register", "run", "run_play_session"]


def add_db_option(parser) -> None:
    parser.add_argument("--db", metavar="URL", help="store URL (default: $ROLEPLAY_DB, else SQLite in the "
                        "user's data folder); e.g. postgresql://user:pw@host/roleplay for a training centre")


def add_session_options(parser) -> None:
    """`roleplay play --session CODE [--resume] [--db URL]` (play already has --trainee)."""
    parser.add_argument("--session", metavar="CODE", help="play in an assessment session: every turn is "
                        "stored as it happens; replies from --replies FILE or stdin, one per line")
    parser.add_argument("--resume", action="store_true", help="continue your unfinished attempt in the session")
    add_live_options(parser)
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
    add_live_options(join)
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
    from pathlib import Path

    from roleplay.core.attempts.assessment import AssessmentError, create_session
    from roleplay.core.scenario.model import find_scenario
    from roleplay.core.store import open_store

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
                                 args.attempts, args.code, scenario_files=files)
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
    from roleplay.core.attempts.assessment import AssessmentSession
    from roleplay.core.store import open_store

    with open_store(args.db) as store:
        sessions = [AssessmentSession.from_row(row) for row in store.sessions()]
    if args.json:
        for session in sessions:
            print(dump_json({**session.__dict__, "open": session.is_open()}))
        return 0
    for session in sessions:
        print(f"{session.code:<8} {session.created_at[:16]}  {_open_word(session):<6} "
              f"deadline {_deadline(session):<16}  {', '.join(session.scenario_ids):<30} {session.title}")
    return 0


def _open_word(session) -> str:
    return "open" if session.is_open() else "closed"


def _deadline(session) -> str:
    return session.deadline[:16].replace("T", " ") if session.deadline else "none"


def _show(args) -> int:
    import time

    from roleplay.core.attempts.assessment import get_session, not_attempted
    from roleplay.core.content.safetext import strip_controls
    from roleplay.core.store import open_store
    from roleplay.core.store.seal import OK

    with open_store(args.db) as store:
        session = get_session(store, args.code)
        attempts = store.history(session_code=session.code)
        over_time = {a.id: sum(t.over_time for t in store.turns(a.id)) for a in attempts}
        waiting = not_attempted(store, session)
        seals = {c.attempt_id: c for c in store.check_seals(session_code=session.code)}
        have_key = store.key is not None
        expected = roster_progress(store, session, attempts)
    tampered = [c for c in seals.values() if c.tampered]
    now = time.time()
    if args.json:
        rows = [{**a.__dict__, "state": _state(a, now), "over_time_turns": over_time[a.id],
                 "seal": seals[a.id].status if a.id in seals else None,
                 "seal_problems": seals[a.id].problems if a.id in seals else []} for a in attempts]
        print(dump_json({"session": {**session.__dict__, "open": session.is_open()}, "attempts": rows,
                         "not_attempted": waiting, "roster": expected}))
        return 1 if tampered else 0
    limit = "none" if session.time_limit_s is None else f"{session.time_limit_s:g} s per reply"
    print(f"{session.code}  {session.title}  ({_open_word(session)})")
    print(f"scenarios {', '.join(session.scenario_ids)}; pass mark {session.pass_mark:g}%; "
          f"{session.attempts_allowed} attempt(s); time limit {limit}; deadline {_deadline(session)}")
    for a in sorted(attempts, key=lambda a: (a.trainee, a.started_at)):
        score = "" if a.percent is None or a.abandoned else f"{a.percent:g}%"
        late = f", {over_time[a.id]} over time" if over_time[a.id] else ""
        check = seals.get(a.id)
        mark = "" if check is None or check.status == OK or (not have_key and not check.tampered) else \
            f"  {check.status.upper()}"
        # a name typed with escape sequences must not drive the terminal
        print(f"  #{a.id:<5} {a.employee_id or '':<8} {strip_controls(a.trainee):<12} {a.scenario_id:<28} "
              f"{_state(a, now):<10} {score:>6}  {a.turns} turn(s){late}{_holder(a, now)}{mark}")
    if expected is not None:
        _print_roster(expected)
    else:
        print(f"not attempted yet: {', '.join(strip_controls(w) for w in waiting) if waiting else 'nobody'}")
    for check in tampered:
        print(f"WARNING: {strip_controls(check.describe())}", file=sys.stderr)
    if tampered:
        print(f"WARNING: {len(tampered)} attempt(s) of {session.code} were altered in the store after they "
              "finished; do not trust their scores (roleplay verify --store --session "
              f"{session.code} for details)", file=sys.stderr)
        return 1
    return 0


def _state(info, now: float) -> str:
    """passed, failed, abandoned; an unfinished attempt is `playing` while a terminal holds it, else `paused`."""
    from roleplay.core.store.leases import STALE_AFTER_S

    if info.finished:
        return "abandoned" if info.abandoned else ("passed" if info.passed else "failed")
    if info.lease_owner and now - (info.lease_seen_at or 0.0) < STALE_AFTER_S:
        return "playing"
    return "paused"


def _holder(info, now: float) -> str:
    if info.finished or not info.lease_owner:
        return ""
    return f"; held by {info.lease_owner}, seen {max(0.0, now - (info.lease_seen_at or 0.0)):.0f} s ago"


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
