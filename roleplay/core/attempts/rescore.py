"""Replay stored attempts with today's phrasebook and scenarios; report how each score would change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.core.store.store import AttemptInfo, Store

if TYPE_CHECKING:
    from roleplay.core.attempts.assessment import AssessmentSession
    from roleplay.core.phrasebook.book import Phrasebook
    from roleplay.core.scenario.model import Scenario

ScenarioPaths = list[str | Path]  # where scenarios given as files are looked for (find_scenario's `paths`)


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


Progress = Callable[[int, int], None]
CHUNK = 100  # attempts whose sheets and replies are read in one batch (and a progress step in a serial run)


def rescore(store: Store, phrasebook: Phrasebook, trainee: str | None = None, session_code: str | None = None,
            scenario_id: str | None = None, scenario_paths: ScenarioPaths | None = None,
            progress: Progress | None = None, jobs: int = 1) -> list[TraineeChange]:
    """Replay every matching finished attempt (nothing in the store changes). Trainees sorted by name.

    Each scenario is loaded and each matcher built once per process, and a reply seen before in the run
    reuses its match (see RememberingMatcher). With `jobs` > 1 the attempts are replayed by that many worker
    processes, each with its own connection; the result is the same as a serial run's, attempt for attempt.
    """
    infos = [i for i in store.history(trainee, scenario_id, session_code) if i.finished]
    infos.sort(key=lambda i: i.id)
    if jobs > 1 and len(infos) > 1 and _shareable(store):
        results = _in_processes(store, phrasebook, scenario_paths, infos, progress, jobs)
    else:
        replayer = Replayer(store, phrasebook, scenario_paths)
        results = []
        for start in range(0, len(infos), CHUNK):
            results += replayer.replay_many(infos[start:start + CHUNK])
            if progress:
                progress(len(results), len(infos))
    changes: dict[str, TraineeChange] = {}
    for result in results:  # in attempt order, whichever process replayed them
        changes.setdefault(result.trainee, TraineeChange(result.trainee)).attempts.append(result)
    return [changes[name] for name in sorted(changes)]


class Replayer:
    """Replays finished attempts against one store, phrasebook and set of scenario paths (one per process)."""

    def __init__(self, store: Store, phrasebook: Phrasebook, scenario_paths: ScenarioPaths | None = None) -> None:
        self.store = store
        self.phrasebook = phrasebook
        self.scenario_paths = scenario_paths
        # scenario id -> Scenario, or the error that stopped its load
        self.scenarios: dict[str, Scenario | Exception] = {}
        self.sessions: dict[str, AssessmentSession | None] = {}  # session code -> AssessmentSession or None

    def replay_many(self, infos: list[AttemptInfo]) -> list[Rescored]:
        """Replay `infos` in order, their stored sheets and replies read in one batch."""
        inputs = self.store.replay_inputs([info.id for info in infos])
        return [self.replay(info, inputs.get(info.id, (None, []))) for info in infos]

    def replay(self, info: AttemptInfo, stored: tuple[dict[str, Any] | None, list[str]] | None = None) -> Rescored:
        """One attempt; `stored` is its (sheet, replies) when already read (replay_many), else read here."""
        from roleplay.core.attempts.attempt import replay_sheet

        sheet_data, replies = stored if stored is not None else self.store.replay_inputs([info.id]).get(info.id,
                                                                                                       (None, []))
        if sheet_data is None:  # finished attempts always carry a sheet; one without was damaged outside roleplay
            from roleplay.core.store.errors import StoreError

            raise StoreError(f"attempt {info.id} is finished but has no stored score sheet")
        total, most = sheet_data["total"], sheet_data["max"]
        old_percent = round(100.0 * total / most, 1) if most else 0.0  # as ScoreSheet.percent
        result = Rescored(info.id, info.trainee, info.scenario_id, old_percent, None, sheet_data["passed"], None)
        scenario = self._scenario(info.scenario_id)
        if isinstance(scenario, Exception):
            result.problem = f"scenario {info.scenario_id} cannot be loaded: {str(scenario).splitlines()[0]}"
            return result
        sheet = replay_sheet(scenario, self.phrasebook, info, replies, self._session(info.session_code))
        result.new_percent, result.new_passed = sheet.percent, sheet.passed
        return result

    def _scenario(self, scenario_id: str) -> Scenario | Exception:
        from roleplay.core.content.problems import ContentError
        from roleplay.core.scenario.library import find_scenario

        if scenario_id not in self.scenarios:
            try:
                self.scenarios[scenario_id] = find_scenario(scenario_id, self.scenario_paths)
            except (ContentError, LookupError, FileNotFoundError) as exc:
                self.scenarios[scenario_id] = exc
        return self.scenarios[scenario_id]

    def _session(self, code: str | None) -> AssessmentSession | None:
        from roleplay.core.attempts.assessment import AssessmentSession

        if not code:
            return None
        if code not in self.sessions:
            row = self.store.get_session(code)
            self.sessions[code] = AssessmentSession.from_row(row) if row else None
        return self.sessions[code]


def _in_processes(store: Store, phrasebook: Phrasebook, scenario_paths: ScenarioPaths | None, infos: list[AttemptInfo],
                  progress: Progress | None, jobs: int) -> list[Rescored]:
    """Replay `infos` in `jobs` worker processes (spawned: no inherited connections), in chunks."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    url = store.engine.url.render_as_string(hide_password=False)
    chunks = _chunks(infos, jobs)
    by_id: dict[int, Rescored] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(url, phrasebook, scenario_paths)) as pool:
        for future in as_completed([pool.submit(_replay_chunk, chunk) for chunk in chunks]):
            by_id.update((result.attempt_id, result) for result in future.result())
            if progress:
                progress(len(by_id), len(infos))
    return [by_id[info.id] for info in infos]  # attempt order, as a serial run gives


def _chunks(infos: list[AttemptInfo], jobs: int) -> list[list[AttemptInfo]]:
    """One task per scenario (largest first), so each scenario's matcher is built, and its replies remembered,
    in one worker only; a scenario holding more than its share of the work is split so no worker idles."""
    by_scenario: dict[str, list[AttemptInfo]] = {}
    for info in infos:
        by_scenario.setdefault(info.scenario_id, []).append(info)
    share = max(1, -(-len(infos) // (jobs * 2)))  # at most half a worker's share in one task
    chunks = [group[i:i + share] for group in by_scenario.values() for i in range(0, len(group), share)]
    return sorted(chunks, key=len, reverse=True)


def _shareable(store: Store) -> bool:
    """Can worker processes open this store themselves? (Not an in-memory SQLite database.)"""
    url = store.engine.url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


_worker: Replayer | None = None  # the one Replayer of a worker process (set by _start_worker)


def _start_worker(url: str, phrasebook: Phrasebook, scenario_paths: ScenarioPaths | None) -> None:
    global _worker
    import atexit

    from roleplay.core.store import open_store

    store = open_store(url)
    atexit.register(store.close)
    _worker = Replayer(store, phrasebook, scenario_paths)


def _replay_chunk(infos: list[AttemptInfo]) -> list[Rescored]:
    assert _worker is not None, "worker not started"
    worker = _worker
    return [result for start in range(0, len(infos), CHUNK) for result in worker.replay_many(infos[start:start + CHUNK])]
