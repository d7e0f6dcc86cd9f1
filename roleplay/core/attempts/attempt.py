"""One attempt's lifecycle for every front end (TUI, `play`, `play --session`): start, reply, resume, finish,
abandon. Each turn is stored before the next reply is read, timed against the limit from when the client's line
was shown, and written only by the terminal that holds the attempt's lease."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from roleplay.core.attempts.assessment import AssessmentSession
from roleplay.core.attempts.modes import coaching_allowed
from roleplay.core.conversation.engine import Session
from roleplay.core.conversation.results import ScoreSheet, TurnResult

if TYPE_CHECKING:  # the store (SQLAlchemy, ~0.25 s to import) loads only when an attempt uses one
    from roleplay.core.phrasebook.book import Phrasebook
    from roleplay.core.scenario.model import Scenario
    from roleplay.core.store.store import AttemptInfo, Store

Clock = Callable[[], float]  # epoch seconds; tests pass a fake one


def _untimed() -> float:
    """The clock of a scripted run with no limit (`roleplay play --replies`): no reply times are recorded."""
    return 0.0

OVER_TIME = {"zh": "超时：本轮回答超过 {limit:g} 秒，按沉默处理。",
             "en": "Over time: the reply came after the {limit:g} s limit and counts as silence."}


def replay_session(scenario: Scenario, phrasebook: Phrasebook, info: AttemptInfo, replies: list[str]) -> Session:
    """The engine session an attempt's stored replies lead to with today's scenario and phrasebook."""
    return Session.replay(scenario, phrasebook, info.seed, info.trainee, info.mode, replies, info.prepared)


def replay_sheet(scenario: Scenario, phrasebook: Phrasebook, info: AttemptInfo, replies: list[str],
                 assessment: AssessmentSession | None = None) -> ScoreSheet:
    """Score an attempt's stored replies again (nothing is written): the entry point for rescoring."""
    sheet = replay_session(scenario, phrasebook, info, replies).score_sheet()
    return assessment.apply_pass_mark(sheet) if assessment is not None else sheet


UNTIMED = _untimed


class Attempt:
    """A live attempt: an engine Session plus, when a store is given, its stored row, clock and lease.

    Without a store (`roleplay play`, `roleplay --no-store`) it plays and scores the same way and writes nothing."""

    def __init__(self, session: Session, store: Store | None = None, attempt_id: int | None = None,
                 assessment: AssessmentSession | None = None, time_limit_s: float | None = None,
                 owner: str | None = None, asked_at: float | None = None, resumed_turns: int = 0,
                 diverged: bool = False, clock: Clock = time.time) -> None:
        self.session = session
        self.store = store
        self.attempt_id = attempt_id
        self.assessment = assessment
        self.time_limit_s = time_limit_s
        self.owner = owner
        self.clock = clock
        self.asked_at = clock() if asked_at is None else asked_at  # when the client's current line was shown
        self.resumed_turns = resumed_turns
        self.diverged = diverged  # replaying the stored replies gave other results (content changed since)
        self.sheet: ScoreSheet | None = None
        self._beating: threading.Event | None = None

    # -- starting and resuming -----------------------------------------------------------------
    @classmethod
    def start(cls, scenario: Scenario, phrasebook: Phrasebook, trainee: str, *, store: Store | None = None,
              seed: int = 0, mode: str = "practice", assessment: AssessmentSession | None = None,
              prepared: list[str] | None = None, time_limit_s: float | None = None, owner: str | None = None,
              clock: Clock = time.time, employee_id: str | None = None) -> Attempt:
        """A new attempt. In a session, the session's mode, time limit and attempt allowance apply (the
        allowance is checked and used in one atomic store step: StoreError when none is left; counted by
        `employee_id`, the 工号 from the session's roster, when given)."""
        if assessment is not None:
            mode, time_limit_s = "assessment", assessment.time_limit_s
        session = Session(scenario, phrasebook, seed=seed, trainee=trainee, mode=mode)
        session.prepare(prepared or [])
        attempt_id = None
        now = clock()
        if store is not None:
            from roleplay.core.store.leases import new_owner

            owner = owner or new_owner()
            attempt_id = store.start_attempt(
                trainee, scenario.id, seed, mode, assessment.code if assessment else None,
                list(session.prepared) if prepared is not None else None,
                assessment.attempts_allowed if assessment else None, time_limit_s, owner, now,
                employee_id=employee_id)
        attempt = cls(session, store, attempt_id, assessment, time_limit_s, owner, now, clock=clock)
        if session.ended:  # a scenario whose start state is final
            attempt.finish()
        return attempt

    @classmethod
    def resume(cls, store: Store, attempt_id: int, scenario: Scenario, phrasebook: Phrasebook, *,
               owner: str | None = None, take_over: bool = False, clock: Clock = time.time) -> Attempt:
        """Continue an unfinished attempt: its session rules, time limit and running clock come from the store
        (a pause does not restart the clock); the stored turns are kept as written. Raises LeaseHeld while
        another terminal plays it, LeaseStale when that terminal went quiet (confirm, then take_over=True)."""
        from roleplay.core.store.errors import StoreError
        from roleplay.core.store.leases import claim, new_owner

        info = store.attempt(attempt_id)
        if info is None:
            raise StoreError(f"no attempt {attempt_id} to resume")
        if info.finished:
            raise StoreError(f"attempt {attempt_id} finished at {info.finished_at}; it cannot be resumed")
        if info.scenario_id != scenario.id:
            raise StoreError(f"attempt {attempt_id} is scenario {info.scenario_id!r}, not {scenario.id!r}")
        owner = owner or new_owner()
        claim(store, attempt_id, owner, take_over, clock())
        row = store.get_session(info.session_code) if info.session_code else None
        assessment = AssessmentSession.from_row(row) if row else None
        limit = info.time_limit_s
        if limit is None and assessment is not None:  # attempts stored before limits were kept per attempt
            limit = assessment.time_limit_s
        stored = store.turns(attempt_id)
        session = replay_session(scenario, phrasebook, info, [t.reply for t in stored])
        session.started_at = info.started_at
        diverged = len(session.turns) != len(stored) or any(
            (a.state, a.next_state, a.labels) != (b.state, b.next_state, b.labels)
            for a, b in zip(session.turns, stored, strict=False))
        if not diverged:  # keep what only the live run knew: reply times and over-time marks
            session.turns[:] = stored
        attempt = cls(session, store, attempt_id, assessment, limit, owner, info.asked_at, len(stored),
                      diverged, clock)
        if session.ended:  # stopped after the last turn was written but before the sheet was
            attempt.finish()
        return attempt

    # -- what front ends read ------------------------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        return self.session.scenario

    @property
    def mode(self) -> str:
        return self.session.mode

    @property
    def coaching(self) -> bool:
        return coaching_allowed(self.mode)

    @property
    def ended(self) -> bool:
        return self.session.ended

    @property
    def finished(self) -> bool:
        return self.sheet is not None

    @property
    def turns(self) -> list[TurnResult]:
        return self.session.turns

    def seconds_left(self) -> float | None:
        """Time left for the current reply (negative once over), or None without a limit."""
        if self.time_limit_s is None or self.ended:
            return None
        return self.time_limit_s - (self.clock() - self.asked_at)

    def notes(self, turn: TurnResult) -> list[str]:
        """What the trainee is told after a turn: an over-time notice always, coaching remarks only in practice."""
        lang = "en" if self.scenario.language == "en" else "zh"
        notes = [OVER_TIME[lang].format(limit=self.time_limit_s)] if turn.over_time else []
        return notes + (list(turn.feedback) if self.coaching else [])

    def hints(self) -> list[tuple[str, str]]:
        return self.session.hints() if self.coaching else []

    def debug(self) -> dict[str, Any] | None:
        return self.session.debug() if self.coaching else None

    # -- playing -------------------------------------------------------------------------------
    def reply(self, text: str) -> TurnResult:
        """Play one reply and store the turn. A reply after the time limit counts as silence and is marked."""
        now = self.clock()
        elapsed = max(0.0, now - self.asked_at)
        over = self.time_limit_s is not None and elapsed > self.time_limit_s
        turn = self.session.reply("" if over else text)
        turn.elapsed_ms = None if self.clock is _untimed else round(elapsed * 1000.0, 1)
        turn.over_time = over
        self.asked_at = self.clock()  # the client's answer is shown now: the next reply's clock starts
        if self.store is not None and self.attempt_id is not None:
            self.store.record_turn(self.attempt_id, turn, self.owner, self.asked_at)
        if self.session.ended:
            self.finish()
        return turn

    def finish(self) -> ScoreSheet:
        """Score and freeze the attempt (also when stopping early: the sheet says where it stopped)."""
        if self.sheet is not None:
            return self.sheet
        return self._freeze(self.current_sheet())

    def abandon(self) -> ScoreSheet:
        """Give the attempt up (after the trainee confirmed): stored and reported as abandoned, never passed."""
        if self.sheet is not None:
            return self.sheet
        sheet = self.current_sheet()
        sheet.abandoned, sheet.passed = True, False
        return self._freeze(sheet)

    def current_sheet(self) -> ScoreSheet:
        """The sheet as the attempt stands now (scored, the session's pass mark applied; nothing stored)."""
        sheet = self.session.score_sheet()
        return self.assessment.apply_pass_mark(sheet) if self.assessment is not None else sheet

    def _freeze(self, sheet: ScoreSheet) -> ScoreSheet:
        if self.store is not None and self.attempt_id is not None:
            self.store.finish_attempt(self.attempt_id, sheet, self.owner)
        self.sheet = sheet
        self._stop_beating()
        return sheet

    # -- the lease -----------------------------------------------------------------------------
    def keep_alive(self, every: float | None = None) -> None:
        """Renew the lease in the background (every HEARTBEAT_S by default) while the trainee thinks (a blocked
        stdin read included)."""
        from roleplay.core.store.errors import StoreError
        from roleplay.core.store.leases import HEARTBEAT_S, heartbeat

        every = HEARTBEAT_S if every is None else every
        if self.store is None or self.attempt_id is None or self.owner is None or self._beating is not None \
                or self.finished:
            return
        stop = self._beating = threading.Event()
        store, attempt_id, owner = self.store, self.attempt_id, self.owner

        def beat() -> None:
            failures = 0
            while not stop.wait(every) and failures < 3:
                try:
                    if not heartbeat(store, attempt_id, owner):
                        return  # finished or taken over: the next write says so
                    failures = 0
                except StoreError:  # a busy or unreachable store: try again, then give up quietly
                    failures += 1

        threading.Thread(target=beat, name=f"attempt-{attempt_id}-lease", daemon=True).start()

    def close(self) -> None:
        """Stop driving the attempt (paused, window closed): an unfinished one can be resumed without a take-over."""
        self._stop_beating()
        if self.store is not None and self.attempt_id is not None and self.owner is not None and not self.finished:
            from roleplay.core.store.errors import StoreError
            from roleplay.core.store.leases import release

            try:
                release(self.store, self.attempt_id, self.owner)
            except StoreError:
                pass  # the store is gone: the lease goes stale and the next start offers a take-over

    def _stop_beating(self) -> None:
        if self._beating is not None:
            self._beating.set()
            self._beating = None
