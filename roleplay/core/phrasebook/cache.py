"""A JSON cache of the shipped phrasebook, so `roleplay match` starts without PyYAML and pydantic.

Parsing ten YAML files with line marks and validating them costs more than everything else at
start-up. The merged result is stored in the user's cache folder under a key made of every
file's path, size and modification time (and the package version): any edit, added or removed
file gives a new key, so a stale entry is never read. Only a phrasebook that loaded without
problems is written; the four newest entries are kept. The folder follows $ROLEPLAY_HOME (see settings.cache_dir); ROLEPLAY_NO_CACHE=1
bypasses the cache; write errors are ignored (a read-only home simply means no cache).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from roleplay.core.content.cache_files import store_entry

FORMAT = 3  # bump when the Phrasebook/Category fields change
KEEP = 4  # entries kept: edited files' entries age out, another installed version's stays


def _cache_dir() -> Path | None:
    from roleplay.core.settings import cache_dir

    return cache_dir()


def _key(files: list[Path]) -> str | None:
    from roleplay import __version__

    digest = hashlib.sha256(f"{FORMAT}|{__version__}".encode())
    for f in files:
        try:
            st = f.stat()
        except OSError:
            return None
        digest.update(f"|{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def read(files: list[Path]) -> dict[str, Any] | None:
    """The cached phrasebook (as the dict `write` was given) for exactly these files as they are now, or None."""
    folder = _cache_dir()
    key = _key(files) if folder and files else None
    if folder is None or key is None:
        return None
    try:
        data = json.loads((folder / f"phrasebook-{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(files: list[Path], data: dict[str, Any]) -> None:
    """Keep a loaded phrasebook (as plain data) for these files; a folder that cannot be written means no cache."""
    folder = _cache_dir()
    key = _key(files) if folder and files else None
    if folder is None or key is None:
        return
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    store_entry(folder / f"phrasebook-{key}.json", payload, "phrasebook-*.json", KEEP)
