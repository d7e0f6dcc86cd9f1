"""Settings: where the shipped content lives (installed or in a checkout) and what the environment says."""

from __future__ import annotations

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
