"""Shared fixtures: the repository root, the shipped phrasebook and a matcher per language."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SANDBOX: list[str] = []


def pytest_configure(config):
    """Before anything is collected (some modules load scenarios at import): every cache, store and
    preference of this test process lives in a temporary folder, one per process (xdist workers too),
    and subprocesses inherit it. Tests that need their own home still set ROLEPLAY_HOME themselves."""
    sandbox = tempfile.mkdtemp(prefix="roleplay-tests-")
    _SANDBOX.append(sandbox)
    os.environ["ROLEPLAY_HOME"] = os.path.join(sandbox, "home")
    os.environ["ROLEPLAY_CACHE_DIR"] = os.path.join(sandbox, "cache")
    os.environ.pop("ROLEPLAY_DB", None)


def pytest_unconfigure(config):
    for sandbox in _SANDBOX:
        shutil.rmtree(sandbox, ignore_errors=True)


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


@pytest.fixture(scope="session")
def moves_on(phrasebook):
    """Matchers over the shipped phrasebook with every shared move turned on (as a scenario using all of them would)."""
    from roleplay.core.matching.matcher import Matcher

    book = phrasebook.copy()
    for cat in book.categories.values():
        cat.move = False
    return {"zh": Matcher(book, "zh"), "en": Matcher(book, "en")}


def write_scenario(folder: Path, text: str):
    """Load a scenario written inline in a test (dedented) from `folder`/probe.yaml."""
    import textwrap

    from roleplay.core.scenario.library import load_scenario

    path = folder / "probe.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_scenario(path)


def first_free_port(ports: range, what: str) -> int:
    """The first loopback port of `ports` nothing listens on; the test skips (saying for what) when none is."""
    import socket

    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {ports.start}-{ports.stop - 1} for {what}")
