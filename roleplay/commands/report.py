"""`roleplay report`: score sheets for one trainee (md/html/json) or a cohort (csv/xlsx/html), stamped."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from roleplay.commands.session import add_db_option

TRAINEE_FORMATS = ("md", "html", "json")
COHORT_FORMATS = ("csv", "xlsx", "html")
DEFAULT_DIR = Path("exports")


def register(sub) -> None:
    p = sub.add_parser("report", help="export score sheets: a trainee's (md/html/json) or a cohort's (csv/xlsx/html)")
    p.add_argument("--session", metavar="CODE", help="an assessment session (cohort sheet unless --trainee)")
    p.add_argument("--trainee", metavar="NAME", help="one trainee's score sheet")
    p.add_argument("--attempt", type=int, metavar="ID", help="one attempt's score sheet")
    p.add_argument("--each-trainee", action="store_true",
                   help="one sheet per trainee of the session, written into --out-dir")
    p.add_argument("--scenario", action="append", metavar="ID", help="cohort without a session: these scenarios")
    p.add_argument("--format", dest="fmt", choices=sorted(set(TRAINEE_FORMATS + COHORT_FORMATS + ("xapi",))),
                   help="trainee: md (default), html, json; cohort: csv (default), xlsx, html; "
                        "xapi: learning records (xAPI statements) of every matching finished attempt")
    p.add_argument("--lrs", metavar="URL", help="xapi: post the statements to this LRS (e.g. http://lrs/xAPI/); "
                   "basic auth from $ROLEPLAY_LRS_AUTH (user:password) or the URL")
    p.add_argument("--xapi-base", metavar="IRI", help="xapi: base of activity and extension IRIs "
                   "(default http://roleplay.local/xapi)")
    p.add_argument("--account-home", metavar="URL", help="xapi: homePage of the staff-id (工号) accounts "
                   "(default http://roleplay.local/staff)")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write (- for stdout); default: exports/…")
    p.add_argument("--out-dir", metavar="DIR",
                   help="folder for --each-trainee, written whole or not at all (default exports/CODE-trainees)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="sheet language (default zh)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_db_option(p)
    from roleplay.commands.store_check import add_allow_unsigned

    add_allow_unsigned(p)


@contextmanager
def progress_bar(description: str, enabled: bool = True):
    """A rich progress bar on stderr; yields a callback(done, total). Silent when stderr is not a terminal."""
    if not enabled or not sys.stderr.isatty():  # decided before importing rich: scripts never pay for it
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def run(args) -> int:
    from roleplay.core.reports.integrity import IntegrityError
    from roleplay.core.store import StoreError

    try:
        return _run(args)
    except (StoreError, IntegrityError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args) -> int:
    from roleplay.core.reports.integrity import coach_key
    from roleplay.core.store import open_store

    key = coach_key()
    cohort = args.trainee is None and args.attempt is None and not args.each_trainee
    fmt = args.fmt or ("csv" if cohort else "md")
    allowed = (COHORT_FORMATS if cohort else TRAINEE_FORMATS) + ("xapi",)
    if fmt not in allowed:
        kind = "a cohort sheet" if cohort else "a trainee's sheet"
        hint = " (add --trainee NAME for one trainee's sheet)" if cohort else ""
        print(f"error: {kind} comes as {', '.join(allowed)}, not {fmt}{hint}", file=sys.stderr)
        return 2
    if args.each_trainee and not args.session:
        print("error: --each-trainee needs --session CODE", file=sys.stderr)
        return 2
    if fmt == "xapi":
        return _xapi(args)
    with open_store(args.db) as store:
        if args.session and store.get_session(args.session.strip().upper()) is None:
            print(f"error: no session with code {args.session!r}", file=sys.stderr)
            return 1
        code = args.session.strip().upper() if args.session else None
        if not _seals_hold(store, code, args, cohort):
            return 1
        if cohort:
            return _cohort(store, code, args, fmt, key)
        if args.each_trainee:
            return _each_trainee(store, code, args, fmt, key)
        return _trainee(store, code, args, fmt, key)


def _xapi(args) -> int:
    """Every matching finished attempt as xAPI statements: to a JSON file (a list), and/or posted to --lrs."""
    import json

    from roleplay.core.reports.lrs import LrsError, post_statements
    from roleplay.core.settings import lrs_auth
    from roleplay.core.reports.xapi import (XapiOptions, XapiUnavailable, attempt_statements, category_names,
                                            turn_times)
    from roleplay.core.store import open_store

    defaults = XapiOptions()
    options = XapiOptions(base=(args.xapi_base or defaults.base).rstrip("/"),
                          account_home=args.account_home or defaults.account_home)
    statements: list[dict] = []
    attempts = 0
    with open_store(args.db) as store:
        code = args.session.strip().upper() if args.session else None
        if code and store.get_session(code) is None:
            print(f"error: no session with code {args.session!r}", file=sys.stderr)
            return 1
        if not _seals_hold(store, code, args, cohort=args.trainee is None):  # no forged result leaves as a record
            return 1
        infos = [store.attempt(args.attempt)] if args.attempt is not None else \
            store.history(args.trainee, session_code=code)
        names = category_names(args.lang)
        try:
            for info in infos:
                sheet = store.score_sheet(info.id) if info is not None and info.finished else None
                if sheet is None:
                    continue
                statements += attempt_statements(info, sheet, options, names, turn_times(store, info.id))
                attempts += 1
        except XapiUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    if not attempts:
        print("error: no finished attempts match", file=sys.stderr)
        return 1
    if args.output or not args.lrs:
        data = (json.dumps(statements, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        code_part = code or (f"attempt{args.attempt}" if args.attempt is not None else "all")
        status = _write(data, args.output, DEFAULT_DIR / f"{code_part}-xapi.json", "json")
        if status:
            return status
    if args.lrs:
        try:
            sent = post_statements(args.lrs, statements, lrs_auth())
        except LrsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"posted {sent} statement(s) of {attempts} attempt(s) to the LRS", file=sys.stderr)
    return 0


def _seals_hold(store, code, args, cohort: bool) -> bool:
    """Refuse to export forged results: check the seals of every attempt this report reads."""
    from roleplay.commands.store_check import seal_gate

    if args.attempt is not None:
        return seal_gate(store, attempt_ids=[args.attempt], allow_unsigned=args.allow_unsigned)
    trainee = None if cohort or args.each_trainee else args.trainee
    return seal_gate(store, session_code=code, trainee=trainee, allow_unsigned=args.allow_unsigned)


def _cohort(store, code, args, fmt, key) -> int:
    from roleplay.core.reports.export import render_cohort
    from roleplay.core.reports.model import build_cohort

    with progress_bar("loading attempts", not args.no_progress) as progress:
        report = build_cohort(store, code, args.scenario, args.lang, progress)
    if not report.rows:
        print("note: no finished attempts match; the sheet is empty", file=sys.stderr)
    data = render_cohort(report, fmt, args.lang, key)
    return _write(data, args.output, DEFAULT_DIR / f"{code or 'all'}-cohort.{fmt}", fmt, key)


def _trainee(store, code, args, fmt, key) -> int:
    from roleplay.core.reports.export import render_trainee, safe_name
    from roleplay.core.reports.model import build_trainee

    trainee = args.trainee
    if args.attempt is not None:
        info = store.attempt(args.attempt)
        if info is None or not info.finished:
            print(f"error: attempt {args.attempt} {'is unfinished' if info else 'does not exist'}", file=sys.stderr)
            return 1
        trainee, code = info.trainee, info.session_code
    with progress_bar("loading attempts", not args.no_progress) as progress:
        report = build_trainee(store, trainee, code, args.attempt, args.lang, progress)
    if not report.attempts:
        print(f"error: no finished attempts for {trainee}" + (f" in session {code}" if code else ""), file=sys.stderr)
        return 1
    name = f"{safe_name(trainee)}-{code or ('attempt' + str(args.attempt) if args.attempt else 'all')}.{fmt}"
    data = render_trainee(report, fmt, args.lang, key)
    return _write(data, args.output, DEFAULT_DIR / name, fmt, key)


def _each_trainee(store, code, args, fmt, key) -> int:
    from roleplay.core.reports.export import files_for, render_trainee, safe_name, write_folder
    from roleplay.core.reports.fonts import font_face
    from roleplay.core.reports.html import with_font
    from roleplay.core.reports.integrity import stamp_text
    from roleplay.core.reports.model import ScenarioFacts, build_trainee
    from roleplay.core.reports.trainee import to_html

    trainees = sorted({i.trainee for i in store.history(session_code=code) if i.finished})
    facts = ScenarioFacts()  # shared: each scenario file is read once for the whole export
    out_dir = Path(args.out_dir) if args.out_dir else DEFAULT_DIR / f"{code}-trainees"
    used: set[str] = set()
    sheets: list[tuple[str, object]] = []
    with progress_bar(f"score sheets for {code}", not args.no_progress) as progress:
        for n, trainee in enumerate(trainees, 1):
            report = build_trainee(store, trainee, code, None, args.lang, check_categories=facts)
            name = f"{safe_name(trainee)}-{code}"
            while name in used:  # two names that differ only in characters a file name cannot hold
                name += "_"
            used.add(name)
            if fmt == "html":  # one embedded font subset for the whole folder, not one per sheet
                sheets.append((f"{name}.html", to_html(report, args.lang, embed_font=False)))
            else:
                sheets.append((f"{name}.{fmt}", render_trainee(report, fmt, args.lang, key)))
            progress(n, len(trainees))
    if fmt == "html":
        face = font_face("".join(html for _, html in sheets))
        sheets = [(name, stamp_text(with_font(html, face), key)) for name, html in sheets]
    files = [f for name, data in sheets for f in files_for(name, data, fmt, key)]
    write_folder(out_dir, files)  # complete or absent: written aside, fsynced, renamed into place
    print(f"wrote {len(trainees)} score sheet(s) to {out_dir}/", file=sys.stderr)
    return 0


def _write(data: bytes, output: str | None, default: Path, fmt: str, key: bytes | None = None) -> int:
    from roleplay.core.reports.export import write_sheet
    from roleplay.core.reports.integrity import SIDECAR_FORMATS, sidecar_text

    if output == "-":
        if fmt == "xlsx":
            print("error: XLSX is binary: write it to a file with -o FILE.xlsx", file=sys.stderr)
            return 2
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        if fmt in SIDECAR_FORMATS:  # stdout has no room for a sidecar: the stamp goes to stderr
            print(f"integrity stamp (save as FILE.{fmt}.sig to verify): "
                  f"{sidecar_text(data, key).decode().strip()}", file=sys.stderr)
        return 0
    path = write_sheet(Path(output) if output else default, data, fmt, key)
    print(f"wrote {path}" + (f" and {path.name}.sig" if fmt in SIDECAR_FORMATS else ""), file=sys.stderr)
    return 0
