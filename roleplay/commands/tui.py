"""`roleplay` (no command) and `roleplay tui`: open the Textual trainer on the shipped content."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("tui", help="open the role-play trainer (the default without a command)")
    p.add_argument("--lang", choices=["zh", "en"], help="UI language (default: remembered, else the locale)")
    p.add_argument("--mode", choices=["practice", "assessment"], help="practice (hints, objectives) or assessment")
    p.add_argument("--scenario", metavar="ID_OR_PATH", help="open this scenario directly")
    p.add_argument("--trainee", metavar="NAME", help="trainee name (default: remembered)")
    p.add_argument("--employee-id", metavar="ID", help="trainee's staff id (工号), stored with the name on attempts")
    p.add_argument("--prefs-file", metavar="FILE",
                   help="where the name, 工号, language and mode are remembered (default: the user config folder)")
    p.add_argument("--db", metavar="URL", help="attempt store URL (default: $ROLEPLAY_DB or the user data dir)")
    p.add_argument("--no-store", action="store_true", help="do not record attempts")
    p.add_argument("--scenarios", action="append", metavar="PATH", help="scenario file or folder (repeatable)")
    p.add_argument("--phrasebook", action="append", metavar="PATH", help="phrasebook file or folder (repeatable)")
    p.add_argument("--seed", type=int, default=0, help="seed for the client's line variants (default 0)")
    p.add_argument("--export-dir", metavar="DIR", default="exports", help="where score sheets are exported")
    p.add_argument("--time-limit", type=float, metavar="SECONDS", help="assessment: seconds allowed per reply")
    p.add_argument("--session", metavar="CODE", help="join this assessment session (code from the coach)")


def _employee_id(text: str | None) -> str | None:
    from roleplay.core.attempts.identity import clean_employee_id, employee_id_problem

    if text is None:
        return None
    if employee_id_problem(text):
        raise SystemExit(f"error: --employee-id {text!r}: use letters, digits and . _ - (at most 32 characters)")
    return clean_employee_id(text)


def run(args) -> int:
    # Imported here so headless commands never pay for Textual.
    from roleplay.tui.app import create_app

    app = create_app(
        lang=getattr(args, "lang", None),
        mode=getattr(args, "mode", None),
        trainee=getattr(args, "trainee", None),
        employee_id=_employee_id(getattr(args, "employee_id", None)),
        prefs_file=getattr(args, "prefs_file", None),
        scenario=getattr(args, "scenario", None),
        scenario_paths=getattr(args, "scenarios", None),
        phrasebook_paths=getattr(args, "phrasebook", None),
        db_url=getattr(args, "db", None),
        store=not getattr(args, "no_store", False),
        seed=getattr(args, "seed", 0),
        export_dir=getattr(args, "export_dir", None) or "exports",
        time_limit_s=getattr(args, "time_limit", None),
        session_code=getattr(args, "session", None),
    )
    app.run()
    return app.return_code or 0
