"""Seal checks on stored attempts for `report`, `session show` and `verify --store`: refuse or flag loudly."""

from __future__ import annotations

import sys

from roleplay.commands.session import add_db_option

INTACT, ALTERED, UNCHECKABLE = 0, 1, 2


def add_allow_unsigned(parser) -> None:
    parser.add_argument("--allow-unsigned", action="store_true",
                        help="with a coach key configured, still accept stored attempts that carry no HMAC from it "
                             "(finished on a terminal without the key); tampered attempts are refused regardless")


def seal_gate(store, *, session_code: str | None = None, trainee: str | None = None,
              attempt_ids: list[int] | None = None, allow_unsigned: bool = False) -> bool:
    """Check the attempts an export will read. Prints every refused one on stderr; True when the export may go on."""
    from roleplay.core.store.seal import refused

    checks = store.check_seals(session_code=session_code, trainee=trainee, attempt_ids=attempt_ids)
    bad = refused(checks, store.key is not None, allow_unsigned)
    for check in bad:
        print(f"error: {check.describe()}", file=sys.stderr)
    if bad:
        tampered = sum(c.tampered for c in bad)
        print(f"error: refusing to export: {tampered} attempt(s) tampered with in the store, "
              f"{len(bad) - tampered} without an HMAC from your coach key"
              + ("" if tampered == len(bad) else " (add --allow-unsigned to accept those)"), file=sys.stderr)
        return False
    if store.key is None and checks:
        print("note: no coach key configured: stored attempts were checked against their unkeyed seals only, "
              "which anyone with write access to the store can recompute", file=sys.stderr)
    return True


def register_store_options(parser) -> None:
    """`roleplay verify --store [--session CODE] [--db URL]` (verify has --allow-unsigned for both uses)."""
    parser.add_argument("--store", action="store_true",
                        help="check the seals of the attempts in the store instead of exported files")
    parser.add_argument("--session", metavar="CODE", help="with --store: only this session's attempts")
    add_db_option(parser)


def verify_store(args) -> int:
    """Print one line per finished attempt; exit 0 all intact, 1 any tampered or (with a key) unsigned."""
    from roleplay.core.store import StoreError, open_store
    from roleplay.core.store.seal import OK, refused

    try:
        with open_store(args.db) as store:
            code = args.session.strip().upper() if args.session else None
            if code and store.get_session(code) is None:
                print(f"error: no session with code {code!r}", file=sys.stderr)
                return UNCHECKABLE
            checks = store.check_seals(session_code=code)
            have_key = store.key is not None
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNCHECKABLE
    bad = refused(checks, have_key, args.allow_unsigned)
    for check in checks:
        verdict = "NOT VERIFIED: " if check in bad and not check.tampered else ""
        line = check.describe()
        print(line.replace(": UNSIGNED: ", f": {verdict}unsigned: ").replace(": UNVERIFIED: ", f": {verdict}unverified: "))
    ok = sum(c.status == OK for c in checks)
    print(f"{len(checks)} finished attempt(s): {ok} sealed with your key, "
          f"{sum(c.tampered for c in checks)} tampered, {len(checks) - ok - sum(c.tampered for c in checks)} "
          f"not verifiable by HMAC" + ("" if have_key else " (no coach key configured)"), file=sys.stderr)
    return ALTERED if bad else INTACT
