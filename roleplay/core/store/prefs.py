"""Trainee preferences (name, 工号, UI language) kept in a small JSON file between runs.

The mode is not kept: an assessment is joined on purpose each time, and a plain start is practice."""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

PREFS_FILE = "prefs.json"
MAX_NAME_CHARS = 40  # a trainee name is a label, not a paragraph


@lru_cache(maxsize=1)
def _prefs_model() -> Any:
    """The file's shape, built on first read: the TUI imports this module before its first frame, and
    pydantic is imported only when there is a file to check. Unknown keys (an older file's `mode`) are
    ignored so versions can share the file."""
    from pydantic import BaseModel, ConfigDict, Field

    class PrefsFile(BaseModel):
        model_config = ConfigDict(extra="ignore")

        trainee: str = Field(default="", max_length=MAX_NAME_CHARS)
        employee_id: str = Field(default="", max_length=64)
        lang: Literal["zh", "en"] | None = None

    return PrefsFile


@dataclass
class Prefs:
    """What the start screen remembers: who trains, in which UI language."""

    trainee: str = ""
    lang: str | None = None  # None: follow the locale
    employee_id: str = ""  # 工号; checked where it is typed (roleplay.core.attempts.identity)


def config_dir() -> Path:
    """$ROLEPLAY_HOME when set (tests, portable installs), else the per-user config folder."""
    from roleplay.core.settings import home_dir

    home = home_dir()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_config_dir("roleplay"))


def prefs_path() -> Path:
    return config_dir() / PREFS_FILE


def clean_name(name: str) -> str:
    """A trainee name safe to store and show: NFKC (full-width Ａ123 is A123), printable characters only,
    trimmed, bounded."""
    name = unicodedata.normalize("NFKC", name or "")
    printable = "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in name)
    return " ".join(printable.split())[:MAX_NAME_CHARS]


def load_prefs(path: Path | None = None) -> Prefs:
    """Read the prefs file; a missing, unreadable or malformed file yields the defaults (never raises)."""
    path = path or prefs_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        spec = _prefs_model().model_validate(data)
    except (OSError, ValueError):  # pydantic's ValidationError is a ValueError
        # Preferences are a convenience: a damaged file must not stop a trainee from training.
        return Prefs()
    return Prefs(trainee=clean_name(spec.trainee), lang=spec.lang, employee_id=clean_name(spec.employee_id))


def save_prefs(prefs: Prefs, path: Path | None = None) -> Path:
    """Write the prefs atomically (temp file + rename) so a crash never leaves half a file."""
    path = path or prefs_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(prefs)
    data["trainee"] = clean_name(prefs.trainee)
    fd, tmp = tempfile.mkstemp(prefix=".prefs-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
