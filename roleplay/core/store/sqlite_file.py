"""Checks on a SQLite store file before it is opened: folders, permissions, empty files, read-only media."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from roleplay.core.store.errors import StoreError


def check_sqlite_file(path: Path) -> None:
    """Make the store's folder if needed; refuse a 0-byte file (never silently turned into a new store) and
    explain folders that cannot be made or read."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise StoreError(f"cannot create the folder {path.parent} for the store: permission denied; choose a "
                         "folder you can write to (--db or $ROLEPLAY_DB) or ask for access") from None
    except OSError as exc:
        raise StoreError(f"cannot create the folder {path.parent} for the store: {exc.strerror}") from None
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file: name a file, e.g. {path / 'roleplay.db'}")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise StoreError(f"cannot create the store {path}: the folder {path.parent} is not writable; choose a "
                             "folder you can write to (--db or $ROLEPLAY_DB) or ask for access") from None
        return
    except PermissionError:
        raise StoreError(f"cannot read the store {path}: permission denied") from None
    if size == 0:
        raise StoreError(f"{path} is an empty file (0 bytes), not a roleplay store; it was not changed. If it "
                         "should hold results, restore it from a backup; to start a new store, delete it first")
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read the store {path}: permission denied")


def sqlite_read_only(path: Path) -> str | None:
    """Why the store must be opened read-only: "folder" (no WAL side files can be made), "wal-pending"
    (read-only folder, but a writer left a WAL that must be read), "file"; None when it is writable."""
    if not path.exists():
        return None
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    if not folder_writable:
        wal = path.with_name(path.name + "-wal")
        return "wal-pending" if wal.exists() and wal.stat().st_size > 0 else "folder"
    return None if os.access(path, os.W_OK) else "file"


def create_atomically(path: Path, build: Callable[[str], None]) -> None:
    """Create a new SQLite store at `path` whole: `build(temp_url)` makes and migrates it beside `path`, then it
    is hard-linked into place. Terminals opening a fresh store at once never see a half-made file, so a
    0-byte file can always be refused as damage; a link that loses the race is simply dropped."""
    import secrets

    temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.new")
    try:
        build(f"sqlite:///{temp}")
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another terminal created it first: use theirs
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temp, path)
    except PermissionError:
        raise StoreError(f"cannot create the store {path}: permission denied; choose a folder you can write to "
                         "(--db or $ROLEPLAY_DB)") from None
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-wal"), temp.with_name(temp.name + "-shm"),
                         temp.with_name(temp.name + "-journal")):
            leftover.unlink(missing_ok=True)
