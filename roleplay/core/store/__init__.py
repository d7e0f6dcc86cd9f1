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


def open_store(url: str | None = None, key: bytes | None | str = "environment") -> Store:
    """Open (creating and migrating as needed) the store at `url`, $ROLEPLAY_DB, or the user's data dir.
    `key`: the coach key that seals finished attempts; "environment" (the default) reads $ROLEPLAY_COACH_KEY
    or the key file when first needed, None seals without an HMAC."""
    from roleplay.core.store.connect import create_store_engine, migrate, normalise_url
    from roleplay.core.store.store import Store

    url = normalise_url(url)
    _create_sqlite_file_whole(url)
    engine = create_store_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine) if key == "environment" else Store(engine, key)


def _create_sqlite_file_whole(url: str) -> None:
    """A new SQLite store is built beside its final name and moved into place whole (see sqlite_file)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from roleplay.core.store.connect import create_store_engine, migrate
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
