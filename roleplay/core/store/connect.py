"""Where the store lives (URL, $ROLEPLAY_DB, the user's data dir) and how it is opened and migrated."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from roleplay.core.store.migrations import HEAD


class StoreError(Exception):
    """The store cannot be opened or refuses an operation; the message says what to do."""


# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises migrations across terminals.
_PG_MIGRATION_LOCK = 7_201_300_601
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def data_dir() -> Path:
    """$ROLEPLAY_HOME when set (tests), else the platform's per-user data folder."""
    home = os.environ.get("ROLEPLAY_HOME")
    if home:
        return Path(home)
    from platformdirs import user_data_dir

    return Path(user_data_dir("roleplay", appauthor=False))


def default_url() -> str:
    return os.environ.get("ROLEPLAY_DB") or f"sqlite:///{data_dir() / 'roleplay.db'}"


def normalise_url(url: str | None) -> str:
    """Accept SQLAlchemy URLs, plain postgresql:// URLs (psycopg 3 is the driver) and bare file paths."""
    url = (url or "").strip() or default_url()
    if not _SCHEME.match(url):
        return f"sqlite:///{Path(url).expanduser().resolve()}"
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
        return create_engine(parsed, pool_pre_ping=True)
    except NoSuchModuleError:
        raise StoreError(f"unsupported database in {shown_url(url)}: use sqlite or postgresql") from None
    except ImportError as exc:
        raise StoreError(f"the driver for {shown_url(url)} is not installed ({exc.name}): "
                         "pip install 'roleplay[postgres]'") from None


def _sqlite_engine(parsed) -> Engine:
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # timeout: the driver's busy timeout, so 20 terminals writing at once wait instead of failing.
    engine = create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the sqlite3 module's implicit
        # transactions would otherwise start deferred and could not take the write lock up front).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute("PRAGMA synchronous=FULL")  # a committed turn survives a power cut, not only a crash
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # IMMEDIATE takes the write lock at BEGIN; a deferred transaction that reads and then writes
        # fails with SQLITE_BUSY at once under WAL, ignoring the busy timeout.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

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


def _revision(conn) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_upgrade(conn) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", "roleplay.core.store:migrations")
    config.attributes["connection"] = conn
    try:
        command.upgrade(config, "head")
    except CommandError as exc:
        raise StoreError(f"the store's schema is unknown to this version of roleplay ({exc}); "
                         "it was probably written by a newer roleplay: upgrade roleplay") from None


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).strip().splitlines()[0]
