"""Shared fixtures: the repository root, the shipped phrasebook and a matcher per language."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
