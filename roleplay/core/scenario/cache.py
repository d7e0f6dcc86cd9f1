"""Loaded scenarios remembered by file stamp: once per process, and across runs in the cache folder.

Parsing a scenario (YAML with line marks), validating it and checking its references costs ~25 ms a
file; a run that looks up 28 scenarios used to pay it 28 times per lookup. Here a scenario that loaded
without problems is kept under a key made of its resolved path, size and modification time, the
shipped phrasebook files' stamps (the checks read its category ids) and the package version: any edit
gives a new key, so a stale entry is never read. In a process the loaded object itself is reused; on
disk it is a pickle read back by an unpickler that only builds the scenario model classes.
The folder follows $ROLEPLAY_HOME (settings.cache_dir); ROLEPLAY_NO_CACHE=1 bypasses both layers.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.core.content.cache_files import store_entry
from roleplay.core.settings import cache_dir

if TYPE_CHECKING:
    from pydantic import BaseModel

    from roleplay.core.scenario.model import Scenario, ScenarioFile

FORMAT = 3  # bump when the scenario model classes change shape
_MODEL_MODULES = frozenset({"roleplay.core.scenario.model", "roleplay.core.scenario.rubric"})


def load_cached(path: str | Path) -> Scenario:
    """The scenario in `path`, parsed and checked at most once per file version. Raises ContentError."""
    key = _key(Path(path)) if cache_dir() is not None else None  # None: ROLEPLAY_NO_CACHE, or unreadable
    if key is None:  # parse every time (an unreadable file is reported by the loader with its location)
        from roleplay.core.scenario.loader import load_scenario_file

        return load_scenario_file(path)
    return _load(str(path), key)


@lru_cache(maxsize=512)
def _load(path: str, key: str) -> Scenario:
    from roleplay.core.scenario.model import Scenario

    entry = _entry(path, key)
    if entry is not None:
        try:
            spec, marks = _SafeUnpickler(io.BytesIO(entry.read_bytes())).load()
            return Scenario(spec, path, marks)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            pass  # a damaged entry is rebuilt below
    from roleplay.core.scenario.loader import load_scenario_file  # YAML and the checks: only on a miss

    scenario = load_scenario_file(path)  # ContentError propagates and is never cached
    if entry is not None:
        _write(entry, (scenario.spec, scenario.marks))
    return scenario


def _key(path: Path) -> str | None:
    from roleplay import __version__
    from roleplay.core.settings import phrasebook_dir

    digest = hashlib.sha256(f"{FORMAT}|{__version__}".encode())
    try:
        st = path.stat()
        digest.update(f"|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
        for f in sorted(phrasebook_dir().glob("*.y*ml")):
            fst = f.stat()
            digest.update(f"|{f.name}|{fst.st_size}|{fst.st_mtime_ns}".encode())
    except OSError:
        return None
    return digest.hexdigest()[:32]


def _entry(path: str, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    # one entry per file: the name starts with a hash of the path so older versions can be removed
    tag = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
    return folder / "scenarios" / f"{tag}-{key}.pickle"


def _write(entry: Path, value: tuple[ScenarioFile, dict[tuple[Any, ...], tuple[int, int]]]) -> None:
    tag = entry.name.split("-", 1)[0]  # older versions of this file are never read again: keep only the newest
    store_entry(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), f"{tag}-*.pickle", 1)


class _SafeUnpickler(pickle.Unpickler):
    """Builds only the scenario model classes: a planted cache file cannot name any other callable."""

    def find_class(self, module: str, name: str) -> type[BaseModel]:
        if module in _MODEL_MODULES:
            from pydantic import BaseModel

            cls = super().find_class(module, name)
            if isinstance(cls, type) and issubclass(cls, BaseModel):
                return cls
        raise pickle.UnpicklingError(f"{module}.{name} is not a scenario model class")
