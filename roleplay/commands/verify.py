"""`roleplay verify FILE...`: was an exported sheet altered? (content hash, and HMAC with the coach key)."""

from __future__ import annotations

import sys

INTACT, ALTERED, UNCHECKABLE = 0, 1, 2


def register(sub) -> None:
    p = sub.add_parser("verify", help="check that exported score sheets were not altered")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="sheets written by `roleplay report` (for CSV/XLSX, the file or its .sig stamp)")
    p.add_argument("--require-hmac", action="store_true",
                   help="fail unless each sheet carries an HMAC that checks out with the coach key "
                        "(the default whenever a coach key is configured)")
    p.add_argument("--allow-unsigned", action="store_true",
                   help="accept a sheet (or, with --store, a stored attempt) whose hash matches but which carries "
                        "no valid HMAC for your key")
    from roleplay.commands.store_check import register_store_options

    register_store_options(p)  # --store [--session CODE] [--db URL]


def run(args) -> int:
    from roleplay.core.reports.integrity import IntegrityError, coach_key, verify_file

    if args.store:
        from roleplay.commands.store_check import verify_store

        return verify_store(args)
    if not args.files:
        print("error: name the sheets to check (FILE...), or --store to check the attempts in the store",
              file=sys.stderr)
        return UNCHECKABLE

    try:
        key = coach_key()
    except IntegrityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNCHECKABLE
    if args.require_hmac and key is None:
        print("error: --require-hmac needs the coach key ($ROLEPLAY_COACH_KEY or a key file)", file=sys.stderr)
        return UNCHECKABLE
    # with a coach key at hand a bare hash proves nothing (anyone can recompute it): require the HMAC
    require = args.require_hmac or (key is not None and not args.allow_unsigned)
    altered = uncheckable = False
    for name in args.files:
        try:
            verdict = verify_file(name, key)
        except IntegrityError as exc:
            print(f"cannot check: {exc}")
            uncheckable = True
            continue
        if verdict.intact and not verdict.verified(require):
            print(f"{name}: NOT VERIFIED: {verdict.message}"
                  + ("" if args.require_hmac else " (use --allow-unsigned to accept it)"))
            altered = True
            continue
        prefix = "" if verdict.message.startswith(("ok", "ALTERED")) else "ok: "
        print(f"{name}: {prefix}{verdict.message}")
        altered = altered or not verdict.intact
    # an altered sheet matters more than one that could not be checked
    return ALTERED if altered else UNCHECKABLE if uncheckable else INTACT
