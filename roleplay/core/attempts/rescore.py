"""Replay stored attempts with today's phrasebook and scenarios; report how each score would change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from roleplay.core.store.store import Store


@dataclass
class Rescored:
    """One finished attempt: the stored score and the score its replies earn now."""

    attempt_id: int
    trainee: str
    scenario_id: str
    old_percent: float
    new_percent: float | None  # None when the attempt could not be replayed
    old_passed: bool
    new_passed: bool | None
    problem: str | None = None

    @property
    def delta(self) -> float | None:
        return None if self.new_percent is None else round(self.new_percent - self.old_percent, 1)


@dataclass
class TraineeChange:
    """Per trainee: mean percent before and after, and attempts whose pass/fail flipped."""

    trainee: str
    attempts: list[Rescored] = field(default_factory=list)

    def _mean(self, values: list[float]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    @property
    def old_mean(self) -> float | None:
        return self._mean([a.old_percent for a in self.attempts if a.new_percent is not None])

    @property
    def new_mean(self) -> float | None:
        return self._mean([a.new_percent for a in self.attempts if a.new_percent is not None])

    @property
    def delta(self) -> float | None:
        if self.old_mean is None or self.new_mean is None:
            return None
        return round(self.new_mean - self.old_mean, 1)

    @property
    def flipped(self) -> list[Rescored]:
        return [a for a in self.attempts if a.new_passed is not None and a.new_passed != a.old_passed]


def rescore(store: Store, phrasebook, trainee: str | None = None, session_code: str | None = None,
            scenario_id: str | None = None, scenario_paths: list | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[TraineeChange]:
    """Replay every matching finished attempt (nothing in the store changes). Trainees sorted by name."""
    from roleplay.core.attempts.assessment import AssessmentSession
    from roleplay.core.conversation.engine import Session
    from roleplay.core.content.problems import ContentError
    from roleplay.core.scenario.model import find_scenario

    infos = [i for i in store.history(trainee, scenario_id, session_code) if i.finished]
    infos.sort(key=lambda i: i.id)
    scenarios: dict[str, object] = {}
    sessions: dict[str, AssessmentSession | None] = {}
    changes: dict[str, TraineeChange] = {}
    for n, info in enumerate(infos, 1):
        old = store.score_sheet(info.id)
        result = Rescored(info.id, info.trainee, info.scenario_id, old.percent, None, old.passed, None)
        if info.scenario_id not in scenarios:
            try:
                scenarios[info.scenario_id] = find_scenario(info.scenario_id, scenario_paths)
            except (ContentError, LookupError, FileNotFoundError) as exc:
                scenarios[info.scenario_id] = exc
        scenario = scenarios[info.scenario_id]
        if isinstance(scenario, Exception):
            result.problem = f"scenario {info.scenario_id} cannot be loaded: {str(scenario).splitlines()[0]}"
        else:
            replayed = Session.replay(scenario, phrasebook, info.seed, info.trainee, info.mode,
                                      store.replies(info.id), info.prepared)
            sheet = replayed.score_sheet()
            code = info.session_code
            if code and code not in sessions:
                row = store.get_session(code)
                sessions[code] = AssessmentSession.from_row(row) if row else None
            if code and sessions.get(code):
                sessions[code].apply_pass_mark(sheet)
            result.new_percent, result.new_passed = sheet.percent, sheet.passed
        changes.setdefault(info.trainee, TraineeChange(info.trainee)).attempts.append(result)
        if progress:
            progress(n, len(infos))
    return [changes[name] for name in sorted(changes)]
