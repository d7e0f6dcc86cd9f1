"""Real processes: one killed with SIGKILL mid-scenario and resumed; 20 writing to one SQLite store at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from roleplay.core.attempts.assessment import create_session
from roleplay.core.store import open_store
from tests.conftest import ROOT


def _roleplay(*args: str) -> list[str]:
    return [sys.executable, "-m", "roleplay", *args]


def _env(tmp_path) -> dict[str, str]:
    return {**os.environ, "ROLEPLAY_HOME": str(tmp_path / "home"), "PYTHONIOENCODING": "utf-8"}


def _wait_for_turns(url: str, attempt_count: int, turns: int, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open_store(url) as store:
            found = store.unfinished_attempts()
            if len(found) == attempt_count and all(a.turns >= turns for a in found):
                return found
        time.sleep(0.05)
    raise AssertionError(f"the child did not write {turns} turns within {timeout} s")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_mid_scenario_then_resume_loses_nothing(store_url, examples, tmp_path):
    scenario, good = examples["scenario"], examples["good"]
    with open_store(store_url) as store:
        code = create_session(store, "断电演练", [scenario.id]).code
    base = ["play", "--session", code, "--trainee", "小王", "--db", store_url]
    child = subprocess.Popen(_roleplay(*base, "--prepared", ",".join(good.prepared)), cwd=ROOT, env=_env(tmp_path),
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for text in good.replies[:3]:
            child.stdin.write((text + "\n").encode("utf-8"))
        child.stdin.flush()  # stdin stays open: the child is waiting for reply 4 when it dies
        [info] = _wait_for_turns(store_url, 1, 3)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    with open_store(store_url) as store:
        assert store.replies(info.id) == good.replies[:3]
        kept = store.turns(info.id)
        assert (store.attempt(info.id).prepared or []) == list(good.prepared)

    refused = subprocess.run(_roleplay(*base), cwd=ROOT, env=_env(tmp_path), input=b"", capture_output=True)
    assert refused.returncode == 1 and b"--resume" in refused.stderr

    rest = tmp_path / "rest.txt"
    rest.write_text("\n".join(good.replies[3:]) + "\n", encoding="utf-8")
    resumed = subprocess.run(_roleplay(*base, "--resume", "--replies", str(rest), "--json"), cwd=ROOT,
                             env=_env(tmp_path), capture_output=True)
    assert resumed.returncode == 0, resumed.stderr.decode()
    with open_store(store_url) as store:
        assert store.replies(info.id) == good.replies
        assert store.turns(info.id)[:3] == kept
        sheet = store.score_sheet(info.id)
    from roleplay.core.conversation.engine import Session

    whole = Session.replay(scenario, examples["phrasebook"], 0, "小王", "assessment", good.replies, good.prepared)
    assert [t.client for t in sheet.turns] == [t.client for t in whole.turns]
    assert sheet.total == whole.score_sheet().total and sheet.passed is True


@pytest.mark.slow
def test_twenty_concurrent_headless_attempts_into_one_sqlite_store(tmp_path, examples):
    url = f"sqlite:///{tmp_path / 'centre.db'}"
    scenario, good = examples["scenario"], examples["good"]
    with open_store(url) as store:
        code = create_session(store, "20人同时考核", [scenario.id]).code
    replies = tmp_path / "replies.txt"
    replies.write_text("\n".join(good.replies) + "\n", encoding="utf-8")
    children = [subprocess.Popen(
        _roleplay("play", "--session", code, "--trainee", f"学员{n:02d}", "--db", url, "--replies", str(replies),
                  "--prepared", ",".join(good.prepared), "--json"),
        cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(20)]
    results = [(c.wait(timeout=180), c.stderr.read().decode(), c.stdout.close(), c.stderr.close()) for c in children]
    assert [rc for rc, *_ in results] == [0] * 20, [err for rc, err, *_ in results if rc]
    with open_store(url) as store:
        history = store.history(session_code=code)
        assert sorted(a.trainee for a in history) == [f"学员{n:02d}" for n in range(20)]
        for attempt in history:
            assert attempt.finished and attempt.passed
            assert store.replies(attempt.id) == good.replies
            assert [t.turn for t in store.turns(attempt.id)] == list(range(1, len(good.replies) + 1))


def test_concurrent_first_opens_migrate_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    errors: list[BaseException] = []

    def open_and_write(n: int) -> None:
        try:
            with open_store(url) as store:
                store.start_attempt(f"t{n}", "s", 0, "practice")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(url) as store:
        assert len(store.history()) == 8
