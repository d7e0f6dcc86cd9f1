"""`roleplay session` create/list/show/key, store URLs, and a store written by a newer roleplay."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import text

from roleplay.core.store import StoreError, open_store
from roleplay.core.store.connect import normalise_url
from tests.conftest import ROOT


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roleplay", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


@pytest.mark.slow
def test_create_list_show(store_url, examples):
    sid = examples["scenario"].id
    made = _cli("session", "create", "--title", "十二月考核", "--scenario", sid, "--code", "dec26", "--pass-mark", "75",
                "--time-limit", "90", "--deadline", "2099-12-01", "--attempts", "2", "--json", "--db", store_url)
    assert made.returncode == 0, made.stderr
    session = json.loads(made.stdout)
    assert (session["code"], session["pass_mark"], session["time_limit_s"], session["attempts_allowed"]) == \
           ("DEC26", 75.0, 90.0, 2)
    assert session["deadline"].startswith("2099-12-01T23:59:59")
    listed = _cli("session", "list", "--db", store_url)
    assert "DEC26" in listed.stdout and "十二月考核" in listed.stdout
    shown = _cli("session", "show", "DEC26", "--json", "--db", store_url)
    assert json.loads(shown.stdout)["attempts"] == []
    again = _cli("session", "create", "--title", "x", "--scenario", sid, "--code", "DEC26", "--db", store_url)
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr
    unknown = _cli("session", "create", "--title", "x", "--scenario", "no_such_scenario", "--db", store_url)
    assert unknown.returncode == 1 and unknown.stderr.startswith("no_such_scenario:1:1:")


def test_coach_key_is_private_and_never_overwritten(tmp_path):
    env = {"ROLEPLAY_HOME": str(tmp_path / "home")}
    made = _cli("session", "key", env=env)
    assert made.returncode == 0, made.stderr
    key_file = tmp_path / "home" / "coach.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_text().strip()) == 64
    before = key_file.read_text()
    again = _cli("session", "key", env=env)
    assert again.returncode == 1 and "already exists" in again.stderr and key_file.read_text() == before


def test_store_written_by_a_newer_roleplay_is_refused_clearly(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer roleplay"):
        open_store(url)


@pytest.mark.parametrize("given, expected", [
    ("postgresql://u:p@db/roleplay", "postgresql+psycopg://u:p@db/roleplay"),
    ("postgres://u@db/roleplay", "postgresql+psycopg://u@db/roleplay"),
    ("postgresql+psycopg://u@db/r", "postgresql+psycopg://u@db/r"),
    ("sqlite:////data/r.db", "sqlite:////data/r.db"),
])
def test_url_forms(given, expected):
    assert normalise_url(given) == expected


def test_bare_path_is_a_sqlite_file(tmp_path):
    assert normalise_url(str(tmp_path / "r.db")) == f"sqlite:///{tmp_path / 'r.db'}"
