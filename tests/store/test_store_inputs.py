"""Store and input breaks from the reliability probe: hanging servers, nonsense URLs, permissions, full disks,
read-only and empty stores, NUL bytes, scenario files in sessions, NFKC names, the cache under ROLEPLAY_HOME."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from roleplay.core.attempts.assessment import AssessmentError, check_trainee, create_session, join_session
from roleplay.core.store import StoreError, open_store
from roleplay.core.store.connect import _pg_connect_args
from tests.conftest import ROOT
from tests.store.test_store import make_sheet, make_turn


def _cli(*args: str, cwd=ROOT, env: dict | None = None, obey_permissions: bool = False,
         **kw) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "roleplay", *args]
    if obey_permissions and os.geteuid() == 0:  # root ignores file modes unless it gives up the capabilities
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions cannot be tested")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=120, **kw)


@pytest.fixture
def shared_dir(tmp_path):
    """A folder whose permissions a test changes (restored so pytest can clean it up)."""
    yield tmp_path
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


def test_a_server_that_accepts_and_never_answers_does_not_hang(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    threading.Thread(target=lambda: [held.append(listener.accept()) for _ in range(8)], daemon=True).start()
    port = listener.getsockname()[1]
    try:
        done = _cli("session", "list", "--db", f"postgresql://u:secret@127.0.0.1:{port}/x?connect_timeout=2")
    finally:
        listener.close()
    assert done.returncode == 1
    assert "did not answer in time" in done.stderr and "Traceback" not in done.stderr
    assert "secret" not in done.stderr


def test_postgres_connections_carry_timeouts_by_default():
    args = _pg_connect_args(make_url("postgresql+psycopg://u@h/db"))
    assert args["connect_timeout"] == 10 and "statement_timeout=60000" in args["options"]
    assert "connect_timeout" not in _pg_connect_args(make_url("postgresql+psycopg://u@h/db?connect_timeout=3"))


def test_statement_timeout_is_set_on_a_real_server(store_url):
    if not store_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    with open_store(store_url) as store, store.engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "1min"


@pytest.mark.parametrize("value, message", [("   ", "blank"), ("garbage", "not a store URL")])
def test_nonsense_store_urls_are_refused_and_create_nothing(tmp_path, monkeypatch, value, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROLEPLAY_DB", value)
    with pytest.raises(StoreError, match=message):
        open_store()
    done = _cli("session", "list", cwd=tmp_path, env={"ROLEPLAY_DB": value})
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_in_memory_store_is_refused_for_sessions(examples):
    with pytest.raises(StoreError, match="in-memory"):
        open_store("sqlite://")
    done = _cli("session", "create", "--title", "x", "--scenario", examples["scenario"].id, "--db", "sqlite://")
    assert done.returncode == 1 and "in-memory" in done.stderr and "Traceback" not in done.stderr


def test_unwritable_parent_gives_a_friendly_message(shared_dir):
    locked = shared_dir / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    home = shared_dir / "home"
    for db in (locked / "sub" / "store.db", locked / "store.db"):
        done = _cli("session", "list", "--db", str(db), env={"ROLEPLAY_HOME": str(home)}, obey_permissions=True)
        assert done.returncode == 1, done.stderr
        assert "not writable" in done.stderr or "permission denied" in done.stderr
        assert "Traceback" not in done.stderr and "PermissionError" not in done.stderr


def _finished_session(url: str, code: str = "RO2026") -> None:
    from roleplay.core.store.store import SessionRow

    with open_store(url) as store:
        store.add_session(SessionRow(code, "只读", ["visit_intro"], 60.0, None, None, 1))
        attempt = store.start_attempt("小王", "visit_intro", 3, "assessment", session_code=code)
        store.record_turn(attempt, make_turn(1, "您好"))
        store.finish_attempt(attempt, make_sheet())


def test_store_in_a_read_only_folder_opens_read_only_and_reports_work(shared_dir, examples):
    folder = shared_dir / "archive"
    folder.mkdir()
    db = folder / "store.db"
    _finished_session(f"sqlite:///{db}")
    assert sorted(p.name for p in folder.iterdir()) == ["store.db"]
    folder.chmod(0o555)
    out = shared_dir / "out"
    out.mkdir()
    env = {"ROLEPLAY_HOME": str(out)}
    shown = _cli("session", "show", "RO2026", "--db", str(db), env=env, obey_permissions=True)
    assert shown.returncode == 0, shown.stderr
    assert "小王" in shown.stdout
    report = _cli("report", "--session", "RO2026", "-o", str(out / "c.csv"), "--db", str(db), env=env, obey_permissions=True)
    assert report.returncode == 0, report.stderr
    assert "小王" in (out / "c.csv").read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in folder.iterdir()) == ["store.db"]  # no -wal, no -shm
    refused = _cli("session", "create", "--title", "新", "--scenario", examples["scenario"].id, "--db", str(db),
                   env=env, obey_permissions=True)
    assert refused.returncode == 1 and "read-only" in refused.stderr and "Traceback" not in refused.stderr


def test_a_full_disk_is_reported_clearly_and_keeps_what_was_written(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'full.db'}") as store:
        attempt = store.start_attempt("小王", "visit_intro", 3, "assessment")
        store.record_turn(attempt, make_turn(1, "您好"))
        with store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        store.engine.dispose()

        @event.listens_for(store.engine, "connect")
        def _cap(dbapi_connection, _record):  # the disk fills up: no page can be added
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        with pytest.raises(StoreError) as caught:
            for n in range(2, 200):
                store.record_turn(attempt, make_turn(n, "您好" * 2000))
        assert "disk holding the store is full" in str(caught.value) and "kept" in str(caught.value)
    with open_store(f"sqlite:///{tmp_path / 'full.db'}") as store:
        assert store.replies(attempt)[0] == "您好"


def test_an_empty_store_file_is_never_reinitialised(tmp_path):
    db = tmp_path / "roleplay.db"
    db.touch()
    with pytest.raises(StoreError, match="empty file"):
        open_store(str(db))
    done = _cli("session", "list", "--db", str(db))
    assert done.returncode == 1 and "empty file (0 bytes)" in done.stderr and "Traceback" not in done.stderr
    assert db.stat().st_size == 0


def test_nul_bytes_in_replies_are_stored_alike_on_every_database(store):
    attempt = store.start_attempt("小王", "visit_intro", 3, "assessment")
    store.record_turn(attempt, make_turn(1, "您\x00好"))
    store.finish_attempt(attempt, make_sheet())
    assert store.replies(attempt) == ["您好"]
    assert store.turns(attempt)[0].reply == "您好"
    assert [c.status for c in store.check_seals()] == ["unsigned"]


def test_a_nul_byte_on_stdin_is_handled_alike_on_every_database(store_url, examples):
    scenario, good = examples["scenario"], examples["good"]
    with open_store(store_url) as store:
        code = create_session(store, "NUL", [scenario.id]).code
    replies = [good.replies[0], "\x00" + good.replies[1]] + good.replies[2:]
    done = _cli("play", "--session", code, "--trainee", "小王", "--prepared", ",".join(good.prepared), "--json",
                "--db", store_url, input="\n".join(replies) + "\n")
    assert done.returncode == 1 and "<stdin>:2:1: a NUL byte" in done.stderr and "Traceback" not in done.stderr
    with open_store(store_url) as store:
        [info] = store.history(session_code=code)
        assert store.replies(info.id) == good.replies[:1] and not info.finished  # paused, nothing lost


def test_a_session_made_from_a_scenario_file_can_be_joined(tmp_path, examples):
    scenario, good = examples["scenario"], examples["good"]
    own = tmp_path / "drafts" / "my_visit.yaml"
    own.parent.mkdir()
    own.write_text(Path(scenario.path).read_text(encoding="utf-8").replace(f"id: {scenario.id}", "id: my_draft_visit", 1),
                   encoding="utf-8")
    db = tmp_path / "s.db"
    made = _cli("session", "create", "--title", "草稿", "--scenario", str(own), "--code", "DRAFT1", "--db", str(db))
    assert made.returncode == 0, made.stderr
    answers = tmp_path / "a.txt"
    answers.write_text("\n".join(good.replies) + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    joined = _cli("session", "join", "DRAFT1", "--trainee", "小王", "--replies", str(answers), "--prepared",
                  ",".join(good.prepared), "--json", "--db", str(db), cwd=elsewhere)
    assert joined.returncode == 0, joined.stderr
    with open_store(str(db)) as store:
        [info] = store.history(session_code="DRAFT1")
    assert info.scenario_id == "my_draft_visit" and info.finished and info.passed


def test_full_width_and_half_width_names_are_one_person(store, examples):
    assert check_trainee("Ａ１２３") == check_trainee("A123") == "A123"
    session = create_session(store, "NFKC", [examples["scenario"].id], attempts_allowed=1)
    join_session(store, session.code, "Ａ１２３")
    attempt = store.start_attempt(check_trainee("Ａ１２３"), examples["scenario"].id, 0, "assessment", session.code,
                                  attempts_allowed=1)
    assert [i.id for i in store.unfinished_attempts(check_trainee("A123"))] == [attempt]  # resumable as A123
    store.finish_attempt(attempt, make_sheet("A123"))
    with pytest.raises(AssessmentError, match="used all"):
        join_session(store, session.code, "A123")


def test_roleplay_home_moves_the_phrasebook_cache(tmp_path, monkeypatch):
    from roleplay.core.phrasebook.book import load_phrasebook

    monkeypatch.delenv("ROLEPLAY_CACHE_DIR", raising=False)
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "kiosk"))
    load_phrasebook()
    assert list((tmp_path / "kiosk" / "cache").glob("phrasebook-*.json"))
