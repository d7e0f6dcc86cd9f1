"""The attempt store: open_store(url) -> Store over SQLite (default) or PostgreSQL, migrated on open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roleplay.core.store.store import Store

__all__ = ["AttemptInfo", "SessionRow", "Store", "StoreError", "default_url", "open_store"]
# Names are imported on first use: `roleplay.core.store.prefs` (read before the TUI's first frame) must not
# pull in SQLAlchemy, which costs ~0.4 s to import.
_LAZY = {"AttemptInfo": "store", "SessionRow": "store", "Store": "store", "StoreError": "connect",
         "default_url": "connect", "create_store_engine": "connect", "migrate": "connect",
         "normalise_url": "connect"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"roleplay.core.store.{module}"), name)


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating as needed) the store at `url`, $ROLEPLAY_DB, or the user's data dir."""
    from roleplay.core.store.connect import create_store_engine, migrate, normalise_url
    from roleplay.core.store.store import Store

    engine = create_store_engine(normalise_url(url))
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
