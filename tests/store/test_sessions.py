"""Assessment sessions and recorded attempts: joining rules, time limits, resume, pass marks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from roleplay.core.attempts.assessment import AssessmentError, create_session, get_session, join_session
from roleplay.core.store import StoreError
from roleplay.core.attempts.recorder import RecordedAttempt


def _new(store, examples, **kw):
    return create_session(store, "新员工考核", [examples["scenario"].id], **kw)


def test_create_and_join(store, examples):
    session = _new(store, examples, pass_mark=75, time_limit_s=90, attempts_allowed=2, code="ab12cd")
    assert session.code == "AB12CD"
    assert get_session(store, " ab12cd ") == session
    assert join_session(store, "AB12CD", " 小王 ").scenario_ids == [examples["scenario"].id]


def test_generated_codes_are_unambiguous(store, examples):
    codes = {_new(store, examples).code for _ in range(5)}
    assert len(codes) == 5
    assert all(len(c) == 6 and not set(c) & set("01OIL") for c in codes)


@pytest.mark.parametrize("kw, message", [
    ({"pass_mark": 120}, "between 0 and 100"),
    ({"time_limit_s": 0}, "more than 0"),
    ({"attempts_allowed": 0}, "at least 1"),
    ({"code": "a!"}, "4 to 16"),
    ({"deadline": "next friday"}, "not a date"),
])
def test_bad_session_settings(store, examples, kw, message):
    with pytest.raises(AssessmentError, match=message):
        _new(store, examples, **kw)


def test_join_refusals(store, examples):
    with pytest.raises(AssessmentError, match="no session with code"):
        join_session(store, "NOPE42", "小王")
    past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    closed = _new(store, examples, deadline=past)
    with pytest.raises(AssessmentError, match="closed"):
        join_session(store, closed.code, "小王")
    with pytest.raises(AssessmentError, match="name or staff ID"):
        join_session(store, _new(store, examples).code, "   ")


def test_attempts_allowed_are_enforced(store, examples):
    session = _new(store, examples, attempts_allowed=1)
    good = examples["good"]
    attempt = RecordedAttempt.start(store, examples["scenario"], examples["phrasebook"], "小王",
                                    assessment=session, prepared=good.prepared)
    for text in good.replies:
        attempt.reply(text)
    assert attempt.ended and store.attempt(attempt.attempt_id).finished
    with pytest.raises(AssessmentError, match="used all 1 attempt"):
        join_session(store, session.code, "小王")
    join_session(store, session.code, "小李")  # others still may


def test_session_pass_mark_replaces_the_scenarios(store, examples):
    good = examples["good"]
    strict = _new(store, examples, pass_mark=100)
    attempt = RecordedAttempt.start(store, examples["scenario"], examples["phrasebook"], "小王",
                                    assessment=strict, prepared=good.prepared)
    for text in good.replies:
        attempt.reply(text)
    sheet = store.score_sheet(attempt.attempt_id)
    assert sheet.mode == "assessment" and sheet.pass_mark == sheet.max
    assert sheet.passed == (sheet.total >= sheet.max and not sheet.hard_failed)


def test_reply_over_the_time_limit_counts_as_silence(store, examples):
    session = _new(store, examples, time_limit_s=30)
    attempt = RecordedAttempt.start(store, examples["scenario"], examples["phrasebook"], "小王", assessment=session)
    first = examples["good"].replies[0]
    turn = attempt.reply(first, elapsed_s=45.0)
    assert turn.reply == "" and turn.labels == [] and turn.elapsed_ms == 45000.0
    assert "30" in turn.feedback[0]
    assert store.replies(attempt.attempt_id) == [""]  # what was played is what replays
    in_time = attempt.reply(examples["good"].replies[1], elapsed_s=3.0)
    assert in_time.reply == examples["good"].replies[1]


def test_resume_keeps_stored_turns_and_finishes_like_an_uninterrupted_run(store, examples):
    scenario, book, good = examples["scenario"], examples["phrasebook"], examples["good"]
    session = _new(store, examples)
    first = RecordedAttempt.start(store, scenario, book, "小王", assessment=session, prepared=good.prepared)
    for text in good.replies[:2]:
        first.reply(text, elapsed_s=2.5)
    before = store.turns(first.attempt_id)
    # the process "dies": a new one resumes from the store alone
    again = RecordedAttempt.resume(store, first.attempt_id, scenario, book, session)
    assert (again.resumed_turns, again.diverged) == (2, False)
    for text in good.replies[2:]:
        again.reply(text)
    assert store.turns(first.attempt_id)[:2] == before  # elapsed times and all, untouched
    whole = RecordedAttempt.start(store, scenario, book, "小李", assessment=session, prepared=good.prepared)
    for text in good.replies:
        whole.reply(text)
    resumed_sheet, whole_sheet = store.score_sheet(first.attempt_id), store.score_sheet(whole.attempt_id)
    assert (resumed_sheet.total, resumed_sheet.passed, len(resumed_sheet.turns)) == \
           (whole_sheet.total, whole_sheet.passed, len(whole_sheet.turns))
    with pytest.raises(StoreError, match="cannot be resumed"):
        RecordedAttempt.resume(store, first.attempt_id, scenario, book, session)


def test_racing_terminals_cannot_exceed_attempts_allowed(store_url, examples):
    """Eight threads (think: terminals) start the same trainee's single allowed attempt at once."""
    import threading

    from roleplay.core.store import open_store

    with open_store(store_url) as setup:
        session = _new(setup, examples, attempts_allowed=1)
    outcomes: list[str] = []

    def start() -> None:
        with open_store(store_url) as mine:
            try:
                RecordedAttempt.start(mine, examples["scenario"], examples["phrasebook"], "小王", assessment=session)
                outcomes.append("started")
            except StoreError as exc:
                outcomes.append(str(exc))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("started") == 1
    assert all("used all 1 attempt" in o for o in outcomes if o != "started")
