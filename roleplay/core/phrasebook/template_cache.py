"""Template gates remembered in the cache folder, so a run that builds one matcher does not parse every template.

`roleplay play` and the TUI build one matcher per scenario, and parsing its ~600 templates into gates was a
third of `play`'s time. The gates (plain strings) of a whole template set are stored under a key made of the
set, the slot values and normaliser (the caller's context), the package version and the stamps of the code
that computes gates (lang/, phrasebook/, matching/encode.py): any change gives a new key, so a stale entry is
never read. Regexes are still compiled from the template text on first use. Follows settings.cache_dir
(ROLEPLAY_NO_CACHE=1 bypasses it); a folder that cannot be written means no cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from roleplay.core.content.cache_files import store_entry

FORMAT = 1  # bump when the stored shape changes
KEEP = 64  # entries kept (one per scenario and language, roughly); the oldest go first
Gates = list[tuple[frozenset[str], tuple[str, ...]]]
Items = list[tuple[str, str]]  # (category id, template text), in the matcher's order


def read(context: tuple[object, ...], items: Items, words: bool) -> list[Gates | None] | None:
    """Each item's gates (None: the template does not parse), or None when nothing is stored for this set."""
    path = _entry(context, items, words)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, list) or len(data) != len(items):
        return None
    try:
        return [None if g is None else [(frozenset(short), tuple(long)) for short, long in g] for g in data]
    except (TypeError, ValueError):
        return None


def write(context: tuple[object, ...], items: Items, words: bool, gates: list[Gates | None]) -> None:
    path = _entry(context, items, words)
    if path is None:
        return
    data = [None if g is None else [[sorted(short), list(long)] for short, long in g] for g in gates]
    store_entry(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), "gates-*.json", KEEP)


def _entry(context: tuple[object, ...], items: Items, words: bool) -> Path | None:
    from roleplay.core.settings import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}|{_code_stamp()}|{words}|{context!r}".encode())
    for category, template in items:
        digest.update(f"\x1f{category}\x1e{template}".encode())
    return folder / f"gates-{digest.hexdigest()[:32]}.json"


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """The package version and the size and mtime of every module that shapes gates."""
    from roleplay import __version__

    core = Path(__file__).resolve().parent.parent
    files = sorted([*core.glob("lang/*.py"), *core.glob("phrasebook/*.py"), core / "matching" / "encode.py"])
    stamps = [__version__]
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        stamps.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(stamps)
