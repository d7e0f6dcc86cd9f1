"""`roleplay roster`: import who is expected (工号, 姓名, 部门/班级, email) into a session or a standing group; list."""

from __future__ import annotations

import sys

from roleplay.commands.common import dump_json, print_problems
from roleplay.commands.session import add_db_option


def register(sub) -> None:
    p = sub.add_parser("roster", help="trainee rosters (工号, 姓名, 部门/班级): import from CSV/XLSX, list")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    imp = verbs.add_parser("import", help="import a roster file into a session or a standing group (all or nothing)")
    imp.add_argument("file", metavar="FILE", help="roster.csv or roster.xlsx with a header row: 工号, 姓名, "
                     "部门 or 班级, optional 邮箱 (English headers work too)")
    where = imp.add_mutually_exclusive_group(required=True)
    where.add_argument("--session", metavar="CODE", help="the session this roster is for")
    where.add_argument("--group", metavar="NAME", help="a standing group (e.g. a department) to reuse across sessions")
    add_db_option(imp)

    ls = verbs.add_parser("list", help="rosters in the store, or the members of one")
    where = ls.add_mutually_exclusive_group()
    where.add_argument("--session", metavar="CODE", help="who is expected in this session (with its linked group)")
    where.add_argument("--group", metavar="NAME", help="the members of a standing group")
    ls.add_argument("--json", action="store_true", help="one JSON object per member")
    add_db_option(ls)


def run(args) -> int:
    from roleplay.core.content.problems import ContentError
    from roleplay.core.store import StoreError

    try:
        return _import(args) if args.verb == "import" else _list(args)
    except ContentError as exc:
        print_problems(exc)
        print(f"error: nothing imported: fix the {len(exc.problems)} problem(s) above and import again",
              file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _import(args) -> int:
    from roleplay.core.content.roster_file import read_roster
    from roleplay.core.store import open_store
    from roleplay.core.store.roster import group_scope, replace_roster, session_scope

    entries = read_roster(args.file)  # every problem is reported before the store is touched
    with open_store(args.db) as store:
        scope = session_scope(args.session.strip().upper()) if args.session else group_scope(args.group)
        removed, added = replace_roster(store, scope, entries)
    where = f"session {scope.split(':', 1)[1]}" if args.session else f"group {scope.split(':', 1)[1]}"
    print(f"imported {added} trainee(s) into {where}" + (f" (replacing {removed})" if removed else ""),
          file=sys.stderr)
    return 0


def _list(args) -> int:
    from roleplay.core.store import open_store
    from roleplay.core.store.roster import group_scope, members, scopes, session_roster

    with open_store(args.db) as store:
        if args.session:
            code = args.session.strip().upper()
            if store.get_session(code) is None:
                print(f"error: no session with code {code!r}", file=sys.stderr)
                return 1
            found = session_roster(store, code) or []
        elif args.group:
            found = members(store, group_scope(args.group))
        else:
            for scope, count in scopes(store):
                kind, name = scope.split(":", 1)
                print(f"{kind:<8} {name:<24} {count} trainee(s)")
            return 0
    if not found:
        print("note: no roster: import one with roleplay roster import FILE --session CODE | --group NAME",
              file=sys.stderr)
    for entry in found:
        if args.json:
            print(dump_json(entry.__dict__))
        else:
            print(f"{entry.employee_id:<12} {entry.name:<12} {entry.department or '':<20} {entry.email or ''}")
    return 0
