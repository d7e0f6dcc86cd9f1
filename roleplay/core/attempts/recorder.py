"""An attempt played against the store: each turn committed as it happens, resumable after a crash."""

from __future__ import annotations

from roleplay.core.conversation.results import ScoreSheet, TurnResult
from roleplay.core.store.connect import StoreError
from roleplay.core.store.store import Store

OVER_TIME = {"zh": "超时：本轮回答超过 {limit:g} 秒，按沉默处理", "en": "Over time: replies after {limit:g} s count as silence"}


class RecordedAttempt:
    """Wraps an engine Session so every reply is written to the store before the next one is read."""

    def __init__(self, store: Store, attempt_id: int, session, assessment=None, resumed_turns: int = 0,
                 diverged: bool = False):
        self.store = store
        self.attempt_id = attempt_id
        self.session = session
        self.assessment = assessment  # roleplay.core.attempts.assessment.AssessmentSession or None
        self.resumed_turns = resumed_turns
        self.diverged = diverged  # replaying the stored replies gave different results (content changed)
        self.sheet: ScoreSheet | None = None

    @classmethod
    def start(cls, store: Store, scenario, phrasebook, trainee: str, seed: int = 0, mode: str = "practice",
              assessment=None, prepared: list[str] | None = None,
              employee_id: str | None = None) -> RecordedAttempt:
        from roleplay.core.conversation.engine import Session

        if assessment is not None:
            mode = "assessment"
        session = Session(scenario, phrasebook, seed=seed, trainee=trainee, mode=mode)
        session.prepare(prepared or [])
        attempt_id = store.start_attempt(trainee, scenario.id, seed, mode,
                                         assessment.code if assessment else None,
                                         list(session.prepared) if prepared is not None else None,
                                         assessment.attempts_allowed if assessment else None, employee_id)
        recorded = cls(store, attempt_id, session, assessment)
        if session.ended:  # a scenario whose start state is final
            recorded.finish()
        return recorded

    @classmethod
    def resume(cls, store: Store, attempt_id: int, scenario, phrasebook, assessment=None) -> RecordedAttempt:
        """Rebuild the attempt from its stored replies; the stored turns are kept exactly as written."""
        from roleplay.core.conversation.engine import Session

        info = store.attempt(attempt_id)
        if info is None:
            raise StoreError(f"no attempt {attempt_id} to resume")
        if info.finished:
            raise StoreError(f"attempt {attempt_id} finished at {info.finished_at}; it cannot be resumed")
        if info.scenario_id != scenario.id:
            raise StoreError(f"attempt {attempt_id} is scenario {info.scenario_id!r}, not {scenario.id!r}")
        stored = store.turns(attempt_id)
        session = Session.replay(scenario, phrasebook, info.seed, info.trainee, info.mode,
                                 [t.reply for t in stored], info.prepared)
        session.started_at = info.started_at
        diverged = len(session.turns) != len(stored) or any(
            (a.state, a.next_state, a.labels) != (b.state, b.next_state, b.labels)
            for a, b in zip(session.turns, stored))
        if not diverged:  # keep what only the live run knew: reply times and over-time notes
            session.turns[:] = stored
        recorded = cls(store, attempt_id, session, assessment, len(stored), diverged)
        if session.ended:  # killed after the last turn was written but before the sheet was
            recorded.finish()
        return recorded

    @property
    def ended(self) -> bool:
        return self.session.ended

    def reply(self, text: str, elapsed_s: float | None = None) -> TurnResult:
        """Play one reply and commit the turn. Over the session's time limit, the reply counts as silence."""
        over = self.assessment is not None and self.assessment.over_time(elapsed_s)
        turn = self.session.reply("" if over else text)
        if elapsed_s is not None:
            turn.elapsed_ms = round(elapsed_s * 1000.0, 1)
        if over:
            lang = "en" if self.session.scenario.language == "en" else "zh"
            turn.feedback.insert(0, OVER_TIME[lang].format(limit=self.assessment.time_limit_s))
        self.store.record_turn(self.attempt_id, turn)
        if self.session.ended:
            self.finish()
        return turn

    def finish(self) -> ScoreSheet:
        """Score and freeze the attempt (also when stopping early: the sheet says where it stopped)."""
        if self.sheet is not None:
            return self.sheet
        sheet = self.session.score_sheet()
        if self.assessment is not None:
            self.assessment.apply_pass_mark(sheet)
        self.store.finish_attempt(self.attempt_id, sheet)
        self.sheet = sheet
        return sheet
