"""The content version of an attempt: a hash of the scenario file and the phrasebook files it was scored with."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roleplay.core.phrasebook.book import Phrasebook
    from roleplay.core.scenario.model import Scenario


def content_version(scenario: Scenario, phrasebook: Phrasebook) -> str | None:
    """16 hex digits over the bytes of the scenario file and every phrasebook file (in name order), so an LRS
    or a reviewer can tell which attempts were scored against the same content. None when a file is gone."""
    paths = [Path(scenario.path)] + sorted(Path(p) for p in getattr(phrasebook, "sources", []) or [])
    digest = hashlib.sha256()
    try:
        for path in paths:
            digest.update(path.name.encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:16]
