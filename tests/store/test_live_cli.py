"""Headless session attempts as real processes: no coaching, limits that hold for pipes and across a pause,
one driver per attempt, located messages for input that is not text, abandon, deadlines, what the assessor sees."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from sqlalchemy import text

from roleplay.core.attempts.assessment import create_session
from roleplay.core.attempts.attempt import Attempt
from roleplay.core.store import open_store
from tests.conftest import ROOT


def _env(tmp_path) -> dict[str, str]:
    return {**os.environ, "ROLEPLAY_HOME": str(tmp_path / "home"), "PYTHONIOENCODING": "utf-8"}


def _run(tmp_path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roleplay", *args], cwd=ROOT, env=_env(tmp_path), input=stdin,
                          capture_output=True)


def _coached_run(examples):
    """One of the scenario's in-file runs whose turns carry coaching remarks."""
    from roleplay.core.conversation.engine import Session

    scenario, book = examples["scenario"], examples["phrasebook"]
    for test in scenario.tests:
        played = Session.replay(scenario, book, 0, "小王", "assessment", test.replies, test.prepared)
        remarks = [r for t in played.turns for r in t.feedback]
        if remarks:
            return test, remarks
    return None, []


def test_headless_assessment_prints_no_coaching(store_url, examples, tmp_path):
    run, remarks = _coached_run(examples)
    if run is None:
        import pytest

        pytest.skip("the example scenario's runs carry no coaching remarks")
    with open_store(store_url) as store:
        code = create_session(store, "无提示", [examples["scenario"].id], code="QUIET1").code
    played = _run(tmp_path, "play", "--session", code, "--trainee", "小王", "--db", store_url,
                  "--prepared", ",".join(run.prepared), stdin="\n".join(run.replies).encode("utf-8") + b"\n")
    assert played.returncode in (0, 3), played.stderr.decode()
    stderr = played.stderr.decode("utf-8")
    transcript = played.stdout.decode("utf-8").split("\n\n", 1)[0]  # the conversation, before the sheet
    assert not [r for r in remarks if r in stderr or r in transcript]
    with open_store(store_url) as store:
        (info,) = store.history("小王")
        assert any(t.feedback for t in store.turns(info.id))  # kept for the sheet afterwards


def test_time_limit_holds_for_a_pipe_and_across_a_pause(store_url, examples, tmp_path):
    good = examples["good"]
    with open_store(store_url) as store:
        code = create_session(store, "限时", [examples["scenario"].id], time_limit_s=0.5, code="PIPE01").code
    base = ["play", "--session", code, "--trainee", "小王", "--db", store_url]
    child = subprocess.Popen([sys.executable, "-m", "roleplay", *base, "--prepared", ",".join(good.prepared)],
                             cwd=ROOT, env=_env(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        child.stdout.readline()  # the client's opening line is on screen now
        time.sleep(1.2)  # slower than the 0.5 s limit
        child.stdin.write((good.replies[0] + "\n" + good.replies[1] + "\n").encode("utf-8"))
        child.stdin.close()  # Ctrl-D: the attempt pauses
        assert child.wait(timeout=60) == 3
    finally:
        if child.poll() is None:
            child.kill()
    time.sleep(1.0)  # the pause does not stop the clock
    rest = tmp_path / "rest.txt"
    rest.write_text("\n".join(good.replies[2:]) + "\n", encoding="utf-8")
    resumed = _run(tmp_path, *base, "--resume", "--replies", str(rest))
    assert resumed.returncode in (0, 3), resumed.stderr.decode()
    with open_store(store_url) as store:
        (info,) = store.history("小王")
        over = [t.over_time for t in store.turns(info.id)]
    assert over[:3] == [True, False, True]  # late, in time, late again after the pause
    assert "超时" in resumed.stdout.decode("utf-8") or "over time" in resumed.stdout.decode("utf-8")  # the sheet
    shown = _run(tmp_path, "session", "show", code, "--db", store_url).stdout.decode("utf-8")
    assert f"{sum(over)} over time" in shown


def test_invalid_utf8_on_stdin_is_located_and_resumable(store_url, examples, tmp_path):
    good = examples["good"]
    with open_store(store_url) as store:
        code = create_session(store, "编码", [examples["scenario"].id], code="UTF801").code
    base = ["play", "--session", code, "--trainee", "小王", "--db", store_url]
    data = (good.replies[0] + "\n").encode("utf-8") + "您好".encode("gbk") + b"\n"
    for extra in ([], ["--resume"]):
        done = _run(tmp_path, *base, *extra, stdin=data)
        err = done.stderr.decode("utf-8")
        assert done.returncode == 1 and "Traceback" not in err
        assert ("<stdin>:2:1: not valid UTF-8" in err) if not extra else ("<stdin>:2:1:" in err)
        assert "--resume" in err
    with open_store(store_url) as store:
        (info,) = store.history("小王")
        assert store.replies(info.id) == [good.replies[0]] * 2 and not info.finished


def test_a_second_terminal_cannot_take_over_a_live_attempt(store_url, examples, tmp_path):
    scenario, book, good = examples["scenario"], examples["phrasebook"], examples["good"]
    with open_store(store_url) as store:
        session = create_session(store, "一人一机", [scenario.id], code="ONE001")
        live = Attempt.start(scenario, book, "小王", store=store, assessment=session, prepared=good.prepared,
                             owner="wang@desk7 pid 4242 #beef")
        live.reply(good.replies[0])
    base = ["play", "--session", "ONE001", "--trainee", "小王", "--db", store_url]
    refused = _run(tmp_path, *base, "--resume", "--take-over")
    err = refused.stderr.decode("utf-8")
    assert refused.returncode == 1 and "another terminal" in err and "wang@desk7" in err
    shown = _run(tmp_path, "session", "show", "ONE001", "--db", store_url).stdout.decode("utf-8")
    assert "playing" in shown and "held by wang@desk7 pid 4242 #beef" in shown
    with open_store(store_url) as store, store.engine.begin() as conn:  # that terminal goes quiet
        conn.execute(text("UPDATE attempts SET lease_seen_at = lease_seen_at - 600"))
    asked = _run(tmp_path, *base, "--resume")
    assert asked.returncode == 1 and "--take-over" in asked.stderr.decode("utf-8")
    taken = _run(tmp_path, *base, "--resume", "--take-over", stdin=(good.replies[1] + "\n").encode("utf-8"))
    assert taken.returncode == 3, taken.stderr.decode()
    with open_store(store_url) as store:
        import pytest

        from roleplay.core.store.leases import LeaseLost

        with pytest.raises(LeaseLost):  # the first terminal learns at its next write, and writes nothing
            live.store = store
            live.reply(good.replies[2])
        assert store.replies(live.attempt_id) == good.replies[:2]


def test_abandon_is_explicit_and_shown_as_abandoned(store_url, examples, tmp_path):
    good = examples["good"]
    with open_store(store_url) as store:
        create_session(store, "放弃", [examples["scenario"].id], code="GIVE01")
    base = ["play", "--session", "GIVE01", "--trainee", "小王", "--db", store_url]
    assert _run(tmp_path, *base, "--prepared", ",".join(good.prepared),
                stdin=(good.replies[0] + "\n").encode("utf-8")).returncode == 3
    refused = _run(tmp_path, *base)  # no silent choice: resume or abandon must be asked for
    assert refused.returncode == 1 and "--abandon" in refused.stderr.decode("utf-8")
    gave_up = _run(tmp_path, *base, "--abandon")
    assert gave_up.returncode == 0 and "abandoned" in gave_up.stderr.decode("utf-8")
    with open_store(store_url) as store:
        (info,) = store.history("小王")
        assert info.abandoned and not info.passed
    shown = _run(tmp_path, "session", "show", "GIVE01", "--db", store_url).stdout.decode("utf-8")
    assert "abandoned" in shown and "failed" not in shown
    sheet = _run(tmp_path, "report", "--attempt", str(info.id), "-o", "-", "--db", store_url, "--no-progress")
    assert "已放弃" in sheet.stdout.decode("utf-8")


def test_deadlines_in_the_past_are_refused_and_sessions_list_their_state(store_url, examples, tmp_path):
    sid = examples["scenario"].id
    past = _run(tmp_path, "session", "create", "--title", "晚了", "--scenario", sid, "--deadline", "2020-01-01",
                "--db", store_url)
    err = past.stderr.decode("utf-8")
    assert past.returncode == 1 and "already past" in err and "Traceback" not in err
    made = _run(tmp_path, "session", "create", "--title", "年末考核", "--scenario", sid, "--code", "END099",
                "--deadline", "2099-12-01", "--db", store_url)
    assert made.returncode == 0, made.stderr.decode()
    listed = _run(tmp_path, "session", "list", "--db", store_url).stdout.decode("utf-8")
    assert "END099" in listed and "open" in listed and "2099-12-01 23:59" in listed and "晚了" not in listed
    shown = _run(tmp_path, "session", "show", "END099", "--db", store_url).stdout.decode("utf-8")
    assert "(open)" in shown and "not attempted yet: nobody" in shown
