"""The attempt store: open_store(url) -> Store over SQLite (default) or PostgreSQL, migrated on open."""

from __future__ import annotations

from roleplay.core.store.connect import StoreError, create_store_engine, default_url, migrate, normalise_url
from roleplay.core.store.store import _DEFAULT_KEY, AttemptInfo, SessionRow, Store

__all__ = ["AttemptInfo", "SessionRow", "Store", "StoreError", "default_url", "open_store"]


def open_store(url: str | None = None, key=_DEFAULT_KEY) -> Store:
    """Open (creating and migrating as needed) the store at `url`, $ROLEPLAY_DB, or the user's data dir.
    `key`: the coach key that seals finished attempts (default: $ROLEPLAY_COACH_KEY or the key file)."""
    url = normalise_url(url)
    _create_sqlite_file_whole(url)
    engine = create_store_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, key)


def _create_sqlite_file_whole(url: str) -> None:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from roleplay.core.store.sqlite_file import check_sqlite_file, create_atomically

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - create_store_engine reports a bad URL with the right words
        return
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    path = Path(parsed.database).expanduser()
    if path.exists():
        return
    check_sqlite_file(path)

    def build(temp_url: str) -> None:
        engine = create_store_engine(temp_url)
        try:
            migrate(engine)
        finally:
            engine.dispose()

    create_atomically(path, build)
