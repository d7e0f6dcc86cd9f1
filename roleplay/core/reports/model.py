"""What a report shows, computed once from stored attempts: per trainee, per scenario, per category."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.store import AttemptInfo, Store

Progress = Callable[[int, int], None]  # (done, total) after each attempt is loaded


@dataclass
class CategoryResult:
    """Rubric points won over points possible, for the checks that concern one phrase category."""

    category: str
    won: float = 0.0
    possible: float = 0.0

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.won / self.possible, 1) if self.possible else None


@dataclass
class TraineeReport:
    """One trainee's finished attempts (newest last) with their sheets and per-category results."""

    trainee: str
    session_code: str | None
    session_title: str | None
    attempts: list[tuple[AttemptInfo, ScoreSheet]]
    categories: dict[str, CategoryResult]
    category_names: dict[str, str]
    generated_at: str


@dataclass
class CohortRow:
    trainee: str
    results: dict[str, ScoreSheet | None]  # scenario id -> the counted (best) sheet
    attempts: int
    categories: dict[str, CategoryResult]

    @property
    def average(self) -> float | None:
        taken = [s.percent for s in self.results.values() if s is not None and not s.abandoned]  # abandoned: no score
        return round(sum(taken) / len(taken), 1) if taken else None

    @property
    def all_passed(self) -> bool:
        return bool(self.results) and all(s is not None and s.passed for s in self.results.values())


@dataclass
class CohortReport:
    """A cohort: one row per trainee, scenario columns, category results, pass rate, weakest categories."""

    session_code: str | None
    session_title: str | None
    pass_mark: float | None
    scenario_ids: list[str]
    scenario_titles: dict[str, str]
    rows: list[CohortRow]
    categories: dict[str, CategoryResult]
    category_names: dict[str, str]
    generated_at: str
    weakest: list[str] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return round(100.0 * sum(r.all_passed for r in self.rows) / len(self.rows), 1) if self.rows else None


class CheckCategories:
    """Which phrase categories each rubric check concerns, read from the scenario files (cached),
    and the categories' display names (the phrasebook is read once per export, not per sheet)."""

    def __init__(self, scenario_paths: list | None = None):
        self.paths = scenario_paths
        self._cache: dict[str, dict[str, list[str]]] = {}
        self._names: dict[str, dict[str, str]] = {}

        self._local_names: dict[str, str] = {}  # scenario-local categories, named in the scenario file

    def names(self, lang: str) -> dict[str, str]:
        if lang not in self._names:
            self._names[lang] = category_names(lang)
        return {**self._local_names, **self._names[lang]}

    def __call__(self, scenario_id: str) -> dict[str, list[str]]:
        if scenario_id not in self._cache:
            self._cache[scenario_id] = self._load(scenario_id)
        return self._cache[scenario_id]

    def _load(self, scenario_id: str) -> dict[str, list[str]]:
        from roleplay.core.content.problems import ContentError
        from roleplay.core.scenario.model import find_scenario

        try:
            scenario = find_scenario(scenario_id, self.paths)
            checks = scenario.checks
        except (ContentError, LookupError, FileNotFoundError, ValueError):
            return {}  # scenario gone or broken: its checks count towards no category
        for cid, local in scenario.categories.items():
            if local.name:
                self._local_names.setdefault(cid, local.name)
        mapping = {}
        for check in checks:
            cats = list(check.said or []) + list(check.never or [])
            if check.order is not None:
                cats += list(check.order.first) + list(check.order.then)
            mapping[check.id] = list(dict.fromkeys(cats))
        return mapping


def add_categories(into: dict[str, CategoryResult], sheet: ScoreSheet, mapping: dict[str, list[str]]) -> None:
    for check in sheet.checks:
        won = min(max(check.points, 0.0), check.max_points)  # penalties below zero count as zero
        for cat in mapping.get(check.id, []):
            result = into.setdefault(cat, CategoryResult(cat))
            result.won += won
            result.possible += check.max_points


def category_names(lang: str) -> dict[str, str]:
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.content.problems import ContentError

    try:
        book = load_phrasebook()
    except ContentError:
        return {}
    return {cid: cat.name(lang) for cid, cat in book.categories.items()}


def _finished(store: Store, infos: Iterable[AttemptInfo], progress: Progress | None):
    infos = [i for i in infos if i.finished]
    loaded = []
    for n, info in enumerate(sorted(infos, key=lambda i: (i.started_at, i.id)), 1):
        sheet = store.score_sheet(info.id)
        if sheet is not None:
            loaded.append((info, sheet))
        if progress:
            progress(n, len(infos))
    return loaded


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def build_trainee(store: Store, trainee: str, session_code: str | None = None, attempt_id: int | None = None,
                  lang: str = "zh", progress: Progress | None = None,
                  check_categories: CheckCategories | None = None) -> TraineeReport:
    """A trainee's finished attempts (one session's, one attempt, or all)."""
    if attempt_id is not None:
        info = store.attempt(attempt_id)
        infos = [info] if info else []
    else:
        infos = store.history(trainee, session_code=session_code)
    attempts = _finished(store, infos, progress)
    mapping = check_categories or CheckCategories()
    categories: dict[str, CategoryResult] = {}
    for _, sheet in attempts:
        add_categories(categories, sheet, mapping(sheet.scenario))
    row = store.get_session(session_code) if session_code else None
    return TraineeReport(trainee, session_code, row.title if row else None, attempts, categories,
                         mapping.names(lang), _now())


def report_for_sheet(sheet: ScoreSheet, lang: str = "zh", attempt_id: int = 0) -> TraineeReport:
    """A one-attempt report for a sheet that was never stored (the trainer run without a store)."""
    info = AttemptInfo(attempt_id, sheet.trainee, sheet.scenario, sheet.mode, None, sheet.seed,
                       sheet.started_at or _now(), sheet.finished_at or _now(), sheet.total, sheet.max, sheet.passed,
                       abandoned=sheet.abandoned)
    mapping = CheckCategories()
    categories: dict[str, CategoryResult] = {}
    add_categories(categories, sheet, mapping(sheet.scenario))
    return TraineeReport(sheet.trainee, None, None, [(info, sheet)], categories, mapping.names(lang), _now())


def build_cohort(store: Store, session_code: str | None = None, scenario_ids: list[str] | None = None,
                 lang: str = "zh", progress: Progress | None = None, weakest: int = 3,
                 check_categories: CheckCategories | None = None) -> CohortReport:
    """Every trainee of a session (or every finished attempt in the store), best attempt per scenario."""
    row = store.get_session(session_code) if session_code else None
    infos = store.history(session_code=session_code)
    attempts = _finished(store, infos, progress)
    if row is not None:
        wanted = list(row.scenario_ids)
    else:
        wanted = scenario_ids or sorted({sheet.scenario for _, sheet in attempts})
    attempts = [(i, s) for i, s in attempts if s.scenario in wanted]
    mapping = check_categories or CheckCategories()
    titles: dict[str, str] = {}
    by_trainee: dict[str, list[ScoreSheet]] = {}
    for info, sheet in attempts:
        titles.setdefault(sheet.scenario, sheet.title)
        by_trainee.setdefault(info.trainee, []).append(sheet)
    rows, cohort_categories = [], {}
    for trainee in sorted(by_trainee):
        sheets = by_trainee[trainee]
        best: dict[str, ScoreSheet | None] = {sid: None for sid in wanted}
        for sheet in sheets:  # best percent counts (any scored attempt beats an abandoned one); later wins a tie
            current = best.get(sheet.scenario)
            if current is None or (not sheet.abandoned, sheet.percent, sheet.passed) >= \
                    (not current.abandoned, current.percent, current.passed):
                best[sheet.scenario] = sheet
        cats: dict[str, CategoryResult] = {}
        for sheet in best.values():
            if sheet is not None:
                add_categories(cats, sheet, mapping(sheet.scenario))
                add_categories(cohort_categories, sheet, mapping(sheet.scenario))
        rows.append(CohortRow(trainee, best, len(sheets), cats))
    ranked = sorted((c for c in cohort_categories.values() if c.possible),
                    key=lambda c: (c.percent, c.category))
    return CohortReport(
        session_code, row.title if row else None, row.pass_mark if row else None, wanted,
        {sid: titles.get(sid, sid) for sid in wanted}, rows, dict(sorted(cohort_categories.items())),
        mapping.names(lang), _now(), _weakest(ranked, weakest))


def _weakest(ranked: list[CategoryResult], n: int) -> list[str]:
    """The n lowest categories, but only those below the cohort's best one (a tie singles out nobody)."""
    best = max((c.percent for c in ranked if c.percent is not None), default=None)
    return [c.category for c in ranked[:n] if c.percent is not None and best is not None and c.percent < best]
