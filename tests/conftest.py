"""Shared fixtures: the repository root, the shipped phrasebook and a matcher per language."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _shared_phrasebook_cache(tmp_path_factory):
    """Tests give each test its own $ROLEPLAY_HOME, which also moves the phrasebook cache; one cache folder
    for the whole run keeps every CLI subprocess from re-parsing the YAML (tests of the cache set their own)."""
    import os

    if "ROLEPLAY_CACHE_DIR" not in os.environ:
        os.environ["ROLEPLAY_CACHE_DIR"] = str(tmp_path_factory.mktemp("phrasebook-cache"))


@pytest.fixture(scope="session")
def phrasebook():
    from roleplay.core.phrasebook.book import load_phrasebook

    return load_phrasebook()


@pytest.fixture(scope="session")
def matcher_zh(phrasebook):
    from roleplay.core.matching.matcher import Matcher

    return Matcher(phrasebook, "zh")


@pytest.fixture(scope="session")
def matcher_en(phrasebook):
    from roleplay.core.matching.matcher import Matcher

    return Matcher(phrasebook, "en")


def write_scenario(folder: Path, text: str):
    """Load a scenario written inline in a test (dedented) from `folder`/probe.yaml."""
    import textwrap

    from roleplay.core.scenario.model import load_scenario

    path = folder / "probe.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_scenario(path)
