"""Store round trip, immutability of finished attempts, migrations, URLs: on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from roleplay.core.conversation.results import CheckResult, Evidence, ScoreSheet, TurnResult
from roleplay.core.store import StoreError, open_store
from roleplay.core.store.store import SessionRow


def make_turn(n: int, reply: str) -> TurnResult:
    return TurnResult(turn=n, state=f"s{n}", reply=reply, labels=["greeting"], client="您好，请坐",
                      evidence=[Evidence("greeting", 97.5, "您好", "您好", 0, 2)], mood=5 * n, mood_delta=5,
                      next_state=f"s{n + 1}", feedback=["问候到位"])


def make_sheet(trainee="小王", total=7.0) -> ScoreSheet:
    return ScoreSheet(
        scenario="visit_intro", title="首次拜访", language="zh", trainee=trainee, seed=3, total=total, max=10.0,
        pass_mark=6.0, passed=total >= 6, outcome="appointment", final_state="end",
        checks=[CheckResult("greeting", "开场问候", 2, 2, True, ["turn 1: 您好 (问候 97)"], [1])],
        turns=[make_turn(1, "您好")], categories={"greeting": 1}, mode="assessment",
        started_at="2026-11-28T09:00:00+00:00", finished_at="2026-11-28T09:05:00+00:00")


def test_round_trip(store):
    attempt = store.start_attempt("小王", "visit_intro", 3, "assessment", prepared=["card", "badge"])
    written = [make_turn(1, "您好，我是建行的小王"), make_turn(2, "/card"), make_turn(3, "")]
    for turn in written:
        store.record_turn(attempt, turn)
    assert store.replies(attempt) == ["您好，我是建行的小王", "/card", ""]
    assert store.turns(attempt) == written
    [info] = store.unfinished_attempts("小王")
    assert (info.id, info.turns, info.prepared, info.finished) == (attempt, 3, ["card", "badge"], False)
    assert store.score_sheet(attempt) is None

    sheet = make_sheet()
    store.finish_attempt(attempt, sheet)
    assert store.score_sheet(attempt) == sheet
    assert store.unfinished_attempts() == []
    [info] = store.history("小王")
    assert (info.total, info.max, info.passed, info.percent) == (7.0, 10.0, True, 70.0)
    assert info.finished_at == sheet.finished_at


def test_history_newest_first_and_filters(store):
    ids = [store.start_attempt(name, scenario, 0, "practice")
           for name, scenario in [("甲", "a"), ("乙", "a"), ("甲", "b")]]
    assert [i.id for i in store.history()] == ids[::-1]
    assert [i.id for i in store.history(trainee="甲")] == [ids[2], ids[0]]
    assert [i.id for i in store.history(scenario_id="a")] == [ids[1], ids[0]]
    assert [i.id for i in store.history("甲", "a")] == [ids[0]]
    assert store.unfinished_attempts("nobody") == []


def test_finished_attempt_is_immutable(store):
    attempt = store.start_attempt("小王", "visit_intro", 3, "assessment")
    store.record_turn(attempt, make_turn(1, "您好"))
    store.finish_attempt(attempt, make_sheet())
    with pytest.raises(StoreError, match="cannot be changed"):
        store.record_turn(attempt, make_turn(2, "再见"))
    with pytest.raises(StoreError, match="cannot be changed"):
        store.finish_attempt(attempt, make_sheet(total=10))
    assert store.score_sheet(attempt).total == 7.0
    assert store.replies(attempt) == ["您好"]


@pytest.mark.parametrize("statement", [
    "UPDATE attempts SET total = 10",
    "DELETE FROM attempts",
    "UPDATE turns SET reply = 'x'",
    "DELETE FROM turns",
    "INSERT INTO turns (attempt_id, turn, reply, data, recorded_at) VALUES (1, 9, 'x', '{}', 'now')",
])
def test_database_refuses_edits_behind_the_stores_back(store, statement):
    attempt = store.start_attempt("小王", "visit_intro", 3, "assessment")
    assert attempt == 1
    store.record_turn(attempt, make_turn(1, "您好"))
    store.finish_attempt(attempt, make_sheet())
    with pytest.raises(Exception, match="finished|written once"):
        with store.engine.begin() as conn:
            conn.execute(text(statement))
    assert store.score_sheet(attempt).total == 7.0
    assert store.replies(attempt) == ["您好"]


def test_written_turns_cannot_be_rewritten_even_before_finishing(store):
    attempt = store.start_attempt("小王", "visit_intro", 3, "practice")
    store.record_turn(attempt, make_turn(1, "您好"))
    with pytest.raises(StoreError, match="already has a turn 1"):
        store.record_turn(attempt, make_turn(1, "改过的回答"))
    assert store.replies(attempt) == ["您好"]


def test_unknown_attempt(store):
    with pytest.raises(StoreError, match="no attempt 99"):
        store.record_turn(99, make_turn(1, "您好"))
    assert store.attempt(99) is None
    assert store.score_sheet(99) is None


def test_sessions_and_attempt_counts(store):
    row = SessionRow("AB12CD", "2026年11月 新员工考核", ["visit_intro", "complaint_fee"], 60.0, 90.0,
                     "2026-12-01T18:00:00+08:00", 2)
    store.add_session(row)
    assert store.get_session("AB12CD") == row
    assert store.get_session("NOPE") is None
    assert [s.code for s in store.sessions()] == ["AB12CD"]
    with pytest.raises(StoreError, match="already exists"):
        store.add_session(row)
    store.start_attempt("小王", "visit_intro", 0, "assessment", session_code="AB12CD")
    store.start_attempt("小王", "complaint_fee", 0, "assessment", session_code="AB12CD")
    store.start_attempt("小李", "visit_intro", 0, "assessment", session_code="AB12CD")
    assert store.count_attempts("AB12CD", "小王") == 2
    assert store.count_attempts("AB12CD", "小王", "visit_intro") == 1
    assert [i.trainee for i in store.history(session_code="AB12CD")] == ["小李", "小王", "小王"]


def test_reopen_keeps_everything(store_url):
    with open_store(store_url) as first:
        attempt = first.start_attempt("小王", "visit_intro", 1, "practice")
        first.record_turn(attempt, make_turn(1, "您好"))
    with open_store(store_url) as second:
        assert second.replies(attempt) == ["您好"]


def test_tampered_sheet_is_detected(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    with open_store(url) as store:
        attempt = store.start_attempt("小王", "visit_intro", 3, "assessment")
        store.finish_attempt(attempt, make_sheet(total=3.5))
        with store.engine.begin() as conn:  # someone with file access drops the guard and edits
            conn.execute(text("DROP TRIGGER attempts_frozen_update"))
            conn.exec_driver_sql("UPDATE attempts SET sheet = replace(sheet, '\"total\":3.5', '\"total\":9.5')")
        with pytest.raises(StoreError, match="edited outside roleplay"):
            store.score_sheet(attempt)


def test_migration_head_constant_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from roleplay.core.store.migrations import HEAD

    config = Config()
    config.set_main_option("script_location", "roleplay.core.store:migrations")
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_default_location_honours_roleplay_home(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "h"))
    with open_store() as store:
        store.start_attempt("小王", "x", 0, "practice")
    assert (tmp_path / "h" / "roleplay.db").is_file()
    monkeypatch.setenv("ROLEPLAY_DB", str(tmp_path / "other.db"))  # a bare path is a SQLite file
    with open_store() as store:
        assert store.history() == []
    assert (tmp_path / "other.db").is_file()


@pytest.mark.parametrize("url, message", [
    ("mysql+nosuchdriver://u@h/db", "unsupported database|not installed"),
    ("postgresql://nobody@127.0.0.1:1/none", "cannot open the store"),
])
def test_bad_urls_give_clear_errors(url, message):
    with pytest.raises(StoreError, match=message) as caught:
        open_store(url)
    assert "Traceback" not in str(caught.value)
