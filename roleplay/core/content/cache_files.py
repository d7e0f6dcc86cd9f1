"""Cache entries on disk: written atomically, only the newest few of a kind kept."""

from __future__ import annotations

import os
from pathlib import Path


def store_entry(target: Path, payload: bytes, kind: str, keep: int) -> None:
    """Write `payload` to `target` atomically and keep only the `keep` newest files matching the glob `kind`.

    Several are kept, not one, so two installed versions (or checkouts) sharing a cache folder do not evict
    each other's entry on every start. A folder that cannot be written means no cache (nothing is raised).
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        tmp.replace(target)  # atomic: a concurrent reader sees all or nothing
        entries = sorted(target.parent.glob(kind), key=_age_key)
        for old in entries[:-keep]:
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        return


def _age_key(path: Path) -> int:
    """Modification time, or 0 for an entry another process removed meanwhile (it sorts first and is skipped)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
