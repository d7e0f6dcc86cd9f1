"""Assessment sessions and recorded attempts: joining rules, time limits, resume, pass marks."""

from __future__ import annotations

from datetime import datetime, timedelta, UTC

import pytest

from roleplay.core.attempts.assessment import AssessmentError, create_session, get_session, join_session
from roleplay.core.store import StoreError
from roleplay.core.attempts.attempt import Attempt


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
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    closed = _new(store, examples, deadline=past, now=datetime.now(UTC) - timedelta(hours=2))
    with pytest.raises(AssessmentError, match="closed"):
        join_session(store, closed.code, "小王")
    with pytest.raises(AssessmentError, match="name or staff ID"):
        join_session(store, _new(store, examples).code, "   ")


def test_attempts_allowed_are_enforced(store, examples):
    session = _new(store, examples, attempts_allowed=1)
    good = examples["good"]
    attempt = Attempt.start(examples["scenario"], examples["phrasebook"], "小王", store=store,
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
    attempt = Attempt.start(examples["scenario"], examples["phrasebook"], "小王", store=store,
                            assessment=strict, prepared=good.prepared)
    for text in good.replies:
        attempt.reply(text)
    sheet = store.score_sheet(attempt.attempt_id)
    assert sheet.mode == "assessment" and sheet.pass_mark == sheet.max
    assert sheet.passed == (sheet.total >= sheet.max and not sheet.hard_failed)


class FakeClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_reply_over_the_time_limit_counts_as_silence(store, examples):
    session = _new(store, examples, time_limit_s=30)
    clock = FakeClock()
    attempt = Attempt.start(examples["scenario"], examples["phrasebook"], "小王", store=store, assessment=session,
                            clock=clock)
    first = examples["good"].replies[0]
    clock.now += 45.0
    turn = attempt.reply(first)
    assert turn.reply == "" and turn.labels == [] and turn.elapsed_ms == 45000.0 and turn.over_time
    assert "30" in attempt.notes(turn)[0] and not turn.feedback  # a notice, not coaching
    assert store.replies(attempt.attempt_id) == [""]  # what was played is what replays
    assert store.turns(attempt.attempt_id)[0].over_time  # stored per turn
    clock.now += 3.0
    in_time = attempt.reply(examples["good"].replies[1])
    assert in_time.reply == examples["good"].replies[1] and not in_time.over_time


def test_a_pause_does_not_restart_the_clock(store, examples):
    """Ctrl-D after the client spoke, --resume a minute later: the pending reply is over a 30 s limit."""
    scenario, book, good = examples["scenario"], examples["phrasebook"], examples["good"]
    session = _new(store, examples, time_limit_s=30)
    clock = FakeClock()
    first = Attempt.start(scenario, book, "小王", store=store, assessment=session, prepared=good.prepared,
                          clock=clock)
    clock.now += 5.0
    first.reply(good.replies[0])
    first.close()  # input ended
    clock.now += 60.0
    again = Attempt.resume(store, first.attempt_id, scenario, book, clock=clock)
    assert again.time_limit_s == 30 and again.seconds_left() == -30.0
    late = again.reply(good.replies[1])
    assert late.over_time and late.elapsed_ms == 60000.0 and late.reply == ""


def test_resume_keeps_stored_turns_and_finishes_like_an_uninterrupted_run(store, examples):
    scenario, book, good = examples["scenario"], examples["phrasebook"], examples["good"]
    session = _new(store, examples)
    clock = FakeClock()
    first = Attempt.start(scenario, book, "小王", store=store, assessment=session, prepared=good.prepared,
                          clock=clock)
    for text in good.replies[:2]:
        clock.now += 2.5
        first.reply(text)
    before = store.turns(first.attempt_id)
    first.close()
    # the process "dies": a new one resumes from the store alone (the session's rules included)
    again = Attempt.resume(store, first.attempt_id, scenario, book)
    assert (again.resumed_turns, again.diverged, again.assessment.code) == (2, False, session.code)
    assert again.session.started_at == store.attempt(first.attempt_id).started_at
    assert [t.elapsed_ms for t in again.turns] == [2500.0, 2500.0]
    for text in good.replies[2:]:
        again.reply(text)
    assert store.turns(first.attempt_id)[:2] == before  # elapsed times and all, untouched
    whole = Attempt.start(scenario, book, "小李", store=store, assessment=session, prepared=good.prepared)
    for text in good.replies:
        whole.reply(text)
    resumed_sheet, whole_sheet = store.score_sheet(first.attempt_id), store.score_sheet(whole.attempt_id)
    assert (resumed_sheet.total, resumed_sheet.passed, len(resumed_sheet.turns)) == \
           (whole_sheet.total, whole_sheet.passed, len(whole_sheet.turns))
    with pytest.raises(StoreError, match="cannot be resumed"):
        Attempt.resume(store, first.attempt_id, scenario, book)


def test_a_resume_that_diverges_says_so(store, examples):
    """The scenario changed between the crash and the resume: the stored turns stay, the attempt says so."""
    scenario, book, good = examples["scenario"], examples["phrasebook"], examples["good"]
    first = Attempt.start(scenario, book, "小王", store=store, prepared=good.prepared)
    first.reply(good.replies[0])
    first.reply(good.replies[1])
    first.close()
    from roleplay.core.phrasebook.book import load_phrasebook
    from tests.conftest import ROOT

    bare = load_phrasebook(str(ROOT / "phrasebook" / "categories.yaml"))  # the categories, none of the phrases
    again = Attempt.resume(store, first.attempt_id, scenario, bare)
    assert again.diverged and [t.reply for t in store.turns(first.attempt_id)] == good.replies[:2]


def test_abandon_is_stored_as_abandoned_not_failed(store, examples):
    session = _new(store, examples, attempts_allowed=1)
    attempt = Attempt.start(examples["scenario"], examples["phrasebook"], "小王", store=store, assessment=session)
    attempt.reply(examples["good"].replies[0])
    sheet = attempt.abandon()
    info = store.attempt(attempt.attempt_id)
    assert sheet.abandoned and not sheet.passed
    assert info.finished and info.abandoned and info.lease_owner is None
    assert store.score_sheet(attempt.attempt_id).abandoned
    with pytest.raises(AssessmentError, match="used all 1 attempt"):  # it counted as the attempt
        join_session(store, session.code, "小王")


def test_a_live_attempt_has_one_driver(store, examples):
    """A second terminal cannot take over while the first is active; a stale lease needs a confirmed take-over,
    and the first terminal is then refused at its next write."""
    from roleplay.core.store.leases import STALE_AFTER_S, LeaseHeld, LeaseLost, LeaseStale, heartbeat

    scenario, book, good = examples["scenario"], examples["phrasebook"], examples["good"]
    clock = FakeClock()
    first = Attempt.start(scenario, book, "小王", store=store, prepared=good.prepared, owner="a@pc1 pid 1 #aa",
                          clock=clock)
    first.reply(good.replies[0])
    with pytest.raises(LeaseHeld, match="another terminal") as held:
        Attempt.resume(store, first.attempt_id, scenario, book, owner="b@pc2 pid 2 #bb", clock=clock)
    assert held.value.holder == "a@pc1 pid 1 #aa"
    assert store.attempt(first.attempt_id).lease_owner == "a@pc1 pid 1 #aa"  # the assessor sees who
    assert heartbeat(store, first.attempt_id, "a@pc1 pid 1 #aa", now=clock.now + 10)
    clock.now += 10 + STALE_AFTER_S + 1  # the first terminal goes quiet
    with pytest.raises(LeaseStale):  # no silent take-over even then
        Attempt.resume(store, first.attempt_id, scenario, book, owner="b@pc2 pid 2 #bb", clock=clock)
    second = Attempt.resume(store, first.attempt_id, scenario, book, owner="b@pc2 pid 2 #bb", take_over=True,
                            clock=clock)
    with pytest.raises(LeaseLost):
        first.reply(good.replies[1])
    second.reply(good.replies[1])
    assert store.replies(first.attempt_id) == good.replies[:2]  # nothing mixed in from the first terminal


def test_a_paused_attempt_resumes_without_a_take_over(store, examples):
    scenario, book = examples["scenario"], examples["phrasebook"]
    first = Attempt.start(scenario, book, "小王", store=store)
    first.reply(examples["good"].replies[0])
    first.close()
    assert store.attempt(first.attempt_id).lease_owner is None
    assert Attempt.resume(store, first.attempt_id, scenario, book).resumed_turns == 1


def test_deadline_in_the_past_is_refused(store, examples):
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    with pytest.raises(AssessmentError, match="already past"):
        _new(store, examples, deadline=past)
    assert store.sessions() == []


def test_not_attempted_lists_who_started_but_has_no_finished_attempt(store, examples):
    from roleplay.core.attempts.assessment import not_attempted

    session = _new(store, examples, attempts_allowed=2)
    done = Attempt.start(examples["scenario"], examples["phrasebook"], "小王", store=store, assessment=session)
    done.abandon()
    Attempt.start(examples["scenario"], examples["phrasebook"], "小李", store=store, assessment=session)
    assert not_attempted(store, session) == ["小李"]


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
                Attempt.start(examples["scenario"], examples["phrasebook"], "小王", store=mine, assessment=session)
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
