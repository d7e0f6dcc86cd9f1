"""Settings: where the shipped content lives (installed or in a checkout) and what the environment says."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the roleplay/ package folder
# A built wheel carries the content under roleplay/_content (see pyproject force-include);
# an editable install or a source checkout finds it at the repository root.
_CANDIDATES = (_PACKAGE_DIR / "_content", _PACKAGE_DIR.parent)


def content_root() -> Path:
    """The folder that holds the shipped `phrasebook/` and `scenarios/`."""
    for root in _CANDIDATES:
        if (root / "phrasebook").is_dir():
            return root
    raise FileNotFoundError(
        "roleplay's shipped content is missing: neither "
        + " nor ".join(str(c / "phrasebook") for c in _CANDIDATES)
        + " exists; reinstall the package"
    )


def phrasebook_dir() -> Path:
    """Folder of the shipped phrasebook YAML files."""
    return content_root() / "phrasebook"


def scenarios_dir() -> Path:
    """Folder of the shipped scenario YAML files."""
    return content_root() / "scenarios"


def cache_dir() -> Path | None:
    """Where parsed content is cached: $ROLEPLAY_CACHE_DIR, else $ROLEPLAY_HOME/cache, else the per-user
    cache folder; None when ROLEPLAY_NO_CACHE is set."""
    import os

    if os.environ.get("ROLEPLAY_NO_CACHE"):
        return None
    base = os.environ.get("ROLEPLAY_CACHE_DIR")
    if base:
        return Path(base)
    home = os.environ.get("ROLEPLAY_HOME")
    if home:
        return Path(home) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("roleplay", appauthor=False))


# The coach key signs exported sheets and seals finished attempts in the store; both layers read it here.
COACH_KEY_ENV = "ROLEPLAY_COACH_KEY"  # the key itself
COACH_KEY_FILE_ENV = "ROLEPLAY_COACH_KEY_FILE"  # or a file holding it
COACH_KEY_FILE_NAME = "coach.key"


class CoachKeyError(Exception):
    """The coach key is configured but cannot be read; the message names the file."""


def coach_key_path() -> Path:
    """The default coach key file: $ROLEPLAY_HOME/coach.key, else the user's config folder."""
    home = os.environ.get("ROLEPLAY_HOME")
    if home:
        return Path(home) / COACH_KEY_FILE_NAME
    from platformdirs import user_config_dir

    return Path(user_config_dir("roleplay", appauthor=False)) / COACH_KEY_FILE_NAME


def coach_key() -> bytes | None:
    """$ROLEPLAY_COACH_KEY, else the file named by $ROLEPLAY_COACH_KEY_FILE, else the default key file."""
    value = os.environ.get(COACH_KEY_ENV)
    if value and value.strip():
        return value.strip().encode("utf-8")
    named = os.environ.get(COACH_KEY_FILE_ENV)
    path = Path(named) if named else coach_key_path()
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        if named:
            raise CoachKeyError(f"{path}: coach key file not found (${COACH_KEY_FILE_ENV})") from None
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CoachKeyError(f"{path}: cannot read the coach key: {exc}") from None
    return text.encode("utf-8") or None


def coach_key_id(key: bytes) -> str:
    """A short public fingerprint saying which key signed, without revealing it."""
    import hashlib

    return hashlib.sha256(b"roleplay-key-id:" + key).hexdigest()[:8]


def lrs_auth() -> str | None:
    """`user:password` for posting learning records to an LRS ($ROLEPLAY_LRS_AUTH), if set."""
    import os

    return os.environ.get("ROLEPLAY_LRS_AUTH") or None


def home_dir() -> Path | None:
    """$ROLEPLAY_HOME: one folder for preferences, the default store, the coach key and the cache (tests,
    kiosks, portable installs); None when unset."""
    import os

    home = os.environ.get("ROLEPLAY_HOME")
    return Path(home) if home else None


def store_url_setting() -> str | None:
    """$ROLEPLAY_DB as set (None when unset; a blank value is returned blank so the store can refuse it)."""
    import os

    return os.environ.get("ROLEPLAY_DB")


def room_password_setting() -> str:
    """$ROLEPLAY_ROOM_PASSWORD for `roleplay serve`, stripped ("" when unset)."""
    import os

    return os.environ.get("ROLEPLAY_ROOM_PASSWORD", "").strip()
