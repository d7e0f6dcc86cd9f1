"""The content version of an attempt: a hash of the scenario file and the phrasebook files it was scored with."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roleplay.core.phrasebook.book import Phrasebook
    from roleplay.core.scenario.model import Scenario

# (path, mtime_ns, size, inode) of every file hashed -> the version: rescore scores thousands of attempts
# against the same few files, and reading and hashing them for each attempt cost more than the scoring.
_Stamp = tuple[tuple[str, int, int, int], ...]
_KNOWN: dict[_Stamp, str] = {}
_KNOWN_LIMIT = 256


def content_version(scenario: Scenario, phrasebook: Phrasebook) -> str | None:
    """16 hex digits over the bytes of the scenario file and every phrasebook file (in name order), so an LRS
    or a reviewer can tell which attempts were scored against the same content. None when a file is gone.
    A file whose size, mtime and inode are unchanged since it was last hashed in this process is not read again."""
    paths = _ordered(str(scenario.path), tuple(getattr(phrasebook, "sources", []) or []))
    try:
        stamp = tuple(_stat(path) for path in paths)
    except OSError:
        return None
    known = _KNOWN.get(stamp)
    if known is not None:
        return known
    digest = hashlib.sha256()
    try:
        for path in paths:
            digest.update(path.name.encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    except OSError:
        return None
    version = digest.hexdigest()[:16]
    if len(_KNOWN) >= _KNOWN_LIMIT:
        _KNOWN.clear()
    _KNOWN[stamp] = version
    return version


@lru_cache(maxsize=64)
def _ordered(scenario: str, sources: tuple[str, ...]) -> tuple[Path, ...]:
    """The scenario file, then the phrasebook files in name order (the order they are hashed in)."""
    return (Path(scenario), *sorted(Path(p) for p in sources))


def _stat(path: Path) -> tuple[str, int, int, int]:
    st = os.stat(path)
    return str(path), st.st_mtime_ns, st.st_size, st.st_ino
