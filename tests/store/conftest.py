"""Store fixtures: every store test runs on SQLite and on PostgreSQL (skipped, with the reason, without one)."""

from __future__ import annotations

import os

import pytest

PG_ENV = "ROLEPLAY_TEST_PG_URL"
PG_SKIP_REASON = (f"PostgreSQL store tests skipped: ${PG_ENV} is not set "
                  "(run `export ROLEPLAY_TEST_PG_URL=$(.ci/postgres.sh)` or `.ci/run`)")
_skipped_pg: list[str] = []


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the real user's data dir, config or coach key."""
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "home"))
    for name in ("ROLEPLAY_DB", "ROLEPLAY_COACH_KEY", "ROLEPLAY_COACH_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own database (created once), so no worker drops another's
    tables; a plain run uses the database in $ROLEPLAY_TEST_PG_URL as it is."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine, make_url, text

    from roleplay.core.store.connect import normalise_url

    parsed = make_url(normalise_url(url))
    name = f"{parsed.database or 'roleplay'}_{worker}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from roleplay.core.store.connect import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty store URL per test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = os.environ.get(PG_ENV)
    if not url:
        _skipped_pg.append(request.node.nodeid)
        pytest.skip(PG_SKIP_REASON)
    url = _worker_database(url)
    _reset_postgres(url)
    return url


@pytest.fixture
def store(store_url):
    from roleplay.core.store import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()


def pytest_terminal_summary(terminalreporter):
    if _skipped_pg:
        terminalreporter.write_line(f"{len(_skipped_pg)} {PG_SKIP_REASON}", yellow=True)


@pytest.fixture(scope="session")
def examples():
    """A shipped scenario with one passing and one failing scripted attempt, taken from its own in-file tests.

    Using the scenario authors' tests keeps these store tests valid while the content evolves.
    """
    from roleplay.core.conversation.engine import Session
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.scenario.library import discover_scenarios

    book = load_phrasebook()
    for scenario in discover_scenarios():
        runs = {}
        for test in scenario.tests:
            played = Session.replay(scenario, book, 0, "t", "assessment", test.replies, test.prepared)
            if played.ended and len(test.replies) >= 3:
                runs.setdefault(played.score_sheet().passed, test)
        if True in runs and False in runs:
            return {"scenario": scenario, "phrasebook": book, "good": runs[True], "bad": runs[False]}
    pytest.fail("no shipped scenario has both a passing and a failing in-file test that end the scenario")
