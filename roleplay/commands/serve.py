"""`roleplay serve`: the trainer in the browsers of a training room (textual-serve), behind a room password."""

from __future__ import annotations

import secrets
import socket
import sys
from pathlib import Path

from roleplay.commands.session import add_db_option

PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # read aloud and typed by hand: no 0/O, 1/I/L


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the trainer to browsers on the LAN (one process per tab, login first)")
    p.add_argument("--host", default="0.0.0.0",
                   help="address to listen on (default 0.0.0.0: every network interface of this machine)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="the URL browsers use when it differs from the address they typed (e.g. behind a proxy)")
    p.add_argument("--password-file", metavar="FILE",
                   help="room password from the first line of FILE (or $ROLEPLAY_ROOM_PASSWORD; "
                        "with neither, a password is generated and printed)")
    p.add_argument("--join-codes", action="store_true",
                   help="trainees may also sign in with an assessment session's code, which joins them to it")
    p.add_argument("--max-sessions", type=int, default=30, metavar="N",
                   help="most browser tabs at once; one more sees a 'room is full' page (default 30)")
    p.add_argument("--home", metavar="DIR",
                   help="folder for per-browser preferences and the cookie key (default: roleplay's data folder)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh",
                   help="UI language a new browser starts in (default zh; each trainee can switch with F6)")
    p.add_argument("--mode", choices=["practice", "assessment"], help="starting mode for new browsers")
    p.add_argument("--scenarios", action="append", metavar="PATH", help="scenario file or folder (repeatable)")
    p.add_argument("--phrasebook", action="append", metavar="PATH", help="phrasebook file or folder (repeatable)")
    add_db_option(p)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other PCs can use (no packet is sent to find them)."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    # connect() on a UDP socket sends nothing: the kernel only picks the local address of its outward route.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed anywhere
            found.append(probe.getsockname()[0])
        except OSError:
            pass
    return sorted({a for a in found if not a.startswith(("127.", "0."))})


def room_urls(host: str, port: int, public_url: str | None) -> list[str]:
    if public_url:
        return [public_url.rstrip("/")]
    suffix = "" if port == 80 else f":{port}"
    if host in ("0.0.0.0", "::", ""):
        return [f"http://{a}{suffix}" for a in lan_addresses()] + [f"http://127.0.0.1{suffix}"]
    return [f"http://{host}{suffix}"]


def read_password(args) -> tuple[str | None, bool]:
    """(password, generated): from --password-file, $ROLEPLAY_ROOM_PASSWORD, or made up here."""
    if args.password_file:
        try:
            lines = Path(args.password_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SystemExit(f"error: {args.password_file}: cannot read the password file ({exc})") from None
        password = lines[0].strip() if lines else ""
        if not password:
            raise SystemExit(f"error: {args.password_file}:1: the first line (the room password) is empty")
        return password, False
    from roleplay.core.settings import room_password_setting

    env = room_password_setting()
    if env:
        return env, False
    if args.join_codes:
        return None, False  # assessment codes alone
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(8)), True


def run(args) -> int:
    import importlib.util

    if importlib.util.find_spec("textual_serve") is None or importlib.util.find_spec("itsdangerous") is None:
        print("error: roleplay serve needs textual-serve: pip install 'roleplay[serve]'", file=sys.stderr)
        return 1
    from roleplay.core.store.connect import data_dir
    from roleplay.core.store import StoreError, open_store
    from roleplay.serve.access import RoomAccess, load_secret
    from roleplay.serve.codes import session_code_checker
    from roleplay.serve.server import RoomServer, RoomSettings

    if args.max_sessions < 1:
        print("error: --max-sessions must be at least 1", file=sys.stderr)
        return 2
    password, generated = read_password(args)
    # Open (and migrate) the store once here: 30 tabs must not race to create it, and a wrong --db is
    # reported now rather than inside every trainee's browser.
    try:
        store = open_store(args.db)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    store_url = store.url
    store.close()
    home = Path(args.home) if args.home else data_dir() / "serve"
    app_args = []
    if args.mode:
        app_args += ["--mode", args.mode]
    for flag, values in (("--scenarios", args.scenarios), ("--phrasebook", args.phrasebook)):
        for value in values or []:
            app_args += [flag, str(Path(value).resolve())]
    settings = RoomSettings(host=args.host, port=args.port, public_url=args.public_url,
                            max_sessions=args.max_sessions, db_url=args.db, home=home.resolve(),
                            app_args=app_args, lang=args.lang, secure_cookie=(args.public_url or "").startswith("https:"))
    access = RoomAccess(load_secret(home), password, session_code_checker(args.db) if args.join_codes else None)
    server = RoomServer(settings, access)

    def announce(_server) -> None:
        lines = ["训练教室已开启 / Training room open"]
        lines += [f"  打开 Open: {url}" for url in room_urls(args.host, args.port, args.public_url)]
        if generated:
            lines.append(f"  教室密码 Room password: {password}")
        elif password:
            lines.append("  教室密码 Room password: as configured")
        if args.join_codes:
            lines.append("  考核码 Assessment codes: accepted at sign-in (roleplay session list)")
        lines.append(f"  上限 Limit: {args.max_sessions} browser tabs · store: {store_url}")
        lines.append("  Ctrl+C 关闭 to stop")
        print("\n".join(lines), flush=True)

    server.on_ready.append(announce)
    try:
        server.serve()
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
