"""Where the store lives (URL, $ROLEPLAY_DB, the user's data dir) and how it is opened and migrated."""

from __future__ import annotations

import re
import threading
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from roleplay.core.settings import home_dir, store_url_setting
from roleplay.core.store.errors import StoreError
from roleplay.core.store.migrations import HEAD


# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises migrations across terminals.
_PG_MIGRATION_LOCK = 7_201_300_601
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")  # a bare path must name a database file, not any word
# A server that accepts and never answers must not hang a terminal: give up connecting after this many
# seconds, and let the server cancel any statement (or lock wait) after STATEMENT_TIMEOUT_MS.
# Both can be overridden in the URL (?connect_timeout=30&options=-c%20statement_timeout%3D0).
PG_CONNECT_TIMEOUT_S = 10
READS_ONLY = "roleplay_reads_only"  # execution option of a connection whose transactions never write
PG_STATEMENT_TIMEOUT_MS = 60_000


def data_dir() -> Path:
    """$ROLEPLAY_HOME when set (tests), else the platform's per-user data folder."""
    home = home_dir()
    if home is not None:
        return home
    from platformdirs import user_data_dir

    return Path(user_data_dir("roleplay", appauthor=False))


def default_url() -> str:
    """$ROLEPLAY_DB, else SQLite in the data folder. A set but blank $ROLEPLAY_DB is a mistake, not a default."""
    value = store_url_setting()
    if value is not None and not value.strip():
        raise StoreError("ROLEPLAY_DB is set but blank: unset it (the default store is used) or give a store URL, "
                         "e.g. sqlite:///path/roleplay.db or postgresql://user:password@host/dbname")
    return value.strip() if value else f"sqlite:///{data_dir() / 'roleplay.db'}"


def normalise_url(url: str | None) -> str:
    """Accept SQLAlchemy URLs, plain postgresql:// URLs (psycopg 3 is the driver) and paths to .db files."""
    if url is not None and url != "" and not url.strip():
        raise StoreError("the store URL is blank: give e.g. sqlite:///path/roleplay.db or postgresql://…")
    url = (url or "").strip() or default_url()
    if not _SCHEME.match(url):
        path = Path(url).expanduser()
        if path.suffix.lower() not in SQLITE_SUFFIXES and not path.is_file():
            raise StoreError(f"{url!r} is not a store URL or a database file: use a path ending in "
                             f"{', '.join(SQLITE_SUFFIXES)}, sqlite:///path/roleplay.db or "
                             "postgresql://user:password@host/dbname")
        return f"sqlite:///{path.resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def shown_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def create_store_engine(url: str) -> Engine:
    """An engine with the settings concurrent terminals need (SQLite: WAL, busy timeout, BEGIN IMMEDIATE)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (e.g. sqlite:///path/roleplay.db or "
                         "postgresql://user:password@host/dbname)") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=_pg_connect_args(parsed))
    except NoSuchModuleError:
        raise StoreError(f"unsupported database in {shown_url(url)}: use sqlite or postgresql") from None
    except ImportError as exc:
        raise StoreError(f"the driver for {shown_url(url)} is not installed ({exc.name}): "
                         "pip install 'roleplay[postgres]'") from None


def _pg_connect_args(parsed: URL) -> dict[str, Any]:
    """Connect and statement timeouts, and TCP keepalives so a server that vanished is noticed."""
    query = parsed.query
    args: dict[str, Any] = {}
    if "connect_timeout" not in query:
        args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    if "options" not in query:
        args["options"] = f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}"
    if "keepalives" not in query:
        args.update(keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
    return args


def _sqlite_engine(parsed: URL) -> Engine:
    from roleplay.core.store.sqlite_file import check_sqlite_file, sqlite_read_only

    if not parsed.database or parsed.database == ":memory:" or parsed.query.get("mode") == "memory":
        raise StoreError("an in-memory store (sqlite://) forgets every session and attempt when roleplay exits: "
                         "give a file instead, e.g. sqlite:///path/roleplay.db (or --no-store in the TUI)")
    path = Path(parsed.database).expanduser()
    check_sqlite_file(path)  # folders made, 0-byte files refused, permissions explained
    read_only = sqlite_read_only(path)
    connect_args = {"timeout": 30, "check_same_thread": False}  # busy timeout: 20 terminals wait, not fail
    if read_only:
        # A read-only folder cannot hold WAL side files: open the file read-only (immutable when no WAL is
        # pending, so SQLite does not try to create them); reports and `session show` still work.
        query = {"mode": "ro", "uri": "true", **({"immutable": "1"} if read_only == "folder" else {})}
        parsed = parsed.set(database=f"file:{path.resolve()}", query=query)  # SQLAlchemy passes it as a URI
    engine = create_engine(parsed, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the sqlite3 module's implicit
        # transactions would otherwise start deferred and could not take the write lock up front).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute("PRAGMA synchronous=FULL")  # a committed turn survives a power cut, not only a crash
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN; a deferred transaction that reads and then writes
        # fails with SQLITE_BUSY at once under WAL, ignoring the busy timeout. Read-only (the file, or a
        # connection marked READS_ONLY by the store): a plain BEGIN, a snapshot that never waits for the lock,
        # so readers (rescore workers, reports, other terminals) do not queue behind each other.
        reads = read_only or conn.get_execution_options().get(READS_ONLY, False)
        conn.exec_driver_sql("BEGIN" if reads else "BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD. Cheap when already there: Alembic is imported only to upgrade."""
    try:
        with engine.connect() as conn:
            current = _revision(conn)
            conn.rollback()
        if current == HEAD:
            return
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            # another terminal may have migrated while we waited for the lock
            if _revision(conn) != HEAD:
                _alembic_upgrade(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the store at {shown_url(str(engine.url))}: {_reason(exc)}") from None


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    version: str | None = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return version


_ALEMBIC = threading.Lock()  # alembic's `op` and `context` are process-wide proxies: one migration at a time


def _alembic_upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", "roleplay.core.store:migrations")
    config.attributes["connection"] = conn
    try:
        with _ALEMBIC:
            command.upgrade(config, "head")
    except CommandError as exc:
        raise StoreError(f"the store's schema is unknown to this version of roleplay ({exc}); "
                         "it was probably written by a newer roleplay: upgrade roleplay") from None


# Driver messages that say nothing to an assessor, and what they mean.
_FRIENDLY = (
    ("attempt to write a readonly database", "the store is read-only (its file or folder cannot be written): "
     "reports and `session show` work, but attempts cannot be recorded; copy it to a writable folder or fix the "
     "permissions"),
    ("database or disk is full", "the disk holding the store is full: free some space and continue; every turn "
     "already answered is kept (headless: add --resume)"),
    ("disk I/O error", "the disk holding the store failed to write (full, removed or faulty): check it and "
     "continue; every turn already answered is kept"),
    ("unable to open database file", "cannot open the database file: check that its folder exists and can be "
     "written"),
    ("file is not a database", "the file is not a roleplay store (not a SQLite database); it was not changed"),
    ("connection timeout expired", f"the database server did not answer in time (connect timeout: "
     f"{PG_CONNECT_TIMEOUT_S} s unless the URL sets ?connect_timeout=N): check the host and port, the network, "
     "and that PostgreSQL is running there"),
    ("canceling statement due to statement timeout", f"the database server took longer than "
     f"{PG_STATEMENT_TIMEOUT_MS // 1000} s to answer (overloaded, or a lock held by another terminal); try again"),
)


def _reason(exc: BaseException) -> str:
    """The first line of the driver's message, translated when it is one of the cryptic ones."""
    original = getattr(exc, "orig", None)
    message = str(original or exc).strip()
    for needle, friendly in _FRIENDLY:
        if needle.lower() in message.lower():
            return friendly
    return message.splitlines()[0] if message else type(original or exc).__name__
