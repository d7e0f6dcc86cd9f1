"""The attempt store: open_store(url) -> Store over SQLite (default) or PostgreSQL, migrated on open."""

from __future__ import annotations

from roleplay.core.store.connect import StoreError, create_store_engine, default_url, migrate, normalise_url
from roleplay.core.store.store import _DEFAULT_KEY, AttemptInfo, SessionRow, Store

__all__ = ["AttemptInfo", "SessionRow", "Store", "StoreError", "default_url", "open_store"]


def open_store(url: str | None = None, key=_DEFAULT_KEY) -> Store:
    """Open (creating and migrating as needed) the store at `url`, $ROLEPLAY_DB, or the user's data dir.
    `key`: the coach key that seals finished attempts (default: $ROLEPLAY_COACH_KEY or the key file)."""
    engine = create_store_engine(normalise_url(url))
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, key)
