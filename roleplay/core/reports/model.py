"""What a report shows, computed once from stored sheets: per trainee, per scenario, per category, with trends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypedDict, Unpack, overload

from roleplay.core.attempts.identity import parse_identity
from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.reports.facts import CheckCategories, ScenarioFacts
from roleplay.core.store import AttemptInfo, Store

Progress = Callable[[int, int | None], None]  # (done, total or None while unknown) as attempts load

__all__ = ["CheckCategories", "CohortReport", "CohortRow", "ScenarioFacts", "TraineeReport", "build_cohort",
           "build_trainee", "employee_id"]


def employee_id(info: AttemptInfo | object) -> str:
    """The trainee's employee id (工号) where the store knows one, else blank — the one place that asks.

    The roster column wins; without it, the 工号 the trainee typed is the one kept in the stored name (名字 [工号]).
    """
    return str(getattr(info, "employee_id", None) or parse_identity(str(getattr(info, "trainee", "") or "")).employee_id)


@dataclass
class CategoryResult:
    """Rubric points won over points possible for the checks of one phrase category; for a taboo-like
    (negative) category, how many counted sheets stayed clear of it and how many did not."""

    category: str
    won: float = 0.0
    possible: float = 0.0
    negative: bool = False
    clear: int = 0
    said: int = 0

    @property
    def percent(self) -> float | None:
        if self.negative:
            return None  # "100 % taboo" would read backwards: shown as clear/said counts instead
        return round(100.0 * self.won / self.possible, 1) if self.possible else None


@dataclass
class TraineeReport:
    """One trainee's finished attempts (oldest first) with their sheets and per-category results."""

    trainee: str
    session_code: str | None
    session_title: str | None
    attempts: list[tuple[AttemptInfo, ScoreSheet]]
    categories: dict[str, CategoryResult]
    category_names: dict[str, str]
    generated_at: str
    employee_id: str = ""
    facts: ScenarioFacts | None = None

    @property
    def name(self) -> str:
        """The trainee as a sheet's heading shows them: the name alone when the 工号 has its own line."""
        identity = parse_identity(self.trainee)
        return identity.name if self.employee_id and identity.employee_id == self.employee_id else self.trainee

    def trend(self) -> dict[str, list[tuple[float, bool]]]:
        """Scenario id -> (percent, passed) of each scored attempt, oldest first (abandoned ones have no score)."""
        found: dict[str, list[tuple[float, bool]]] = {}
        for _, sheet in self.attempts:
            if not sheet.abandoned:
                found.setdefault(sheet.scenario, []).append((sheet.percent, sheet.passed))
        return found


@dataclass
class CohortRow:
    trainee: str
    results: dict[str, SheetRow | None]  # scenario id -> the counted (best) sheet
    attempts: int
    categories: dict[str, CategoryResult]
    employee_id: str = ""
    history: dict[str, list[tuple[float, bool]]] = field(default_factory=dict)  # scenario -> every attempt

    @property
    def average(self) -> float | None:
        taken = [s.percent for s in self.results.values() if s is not None and not s.abandoned]  # abandoned: no score
        return round(sum(taken) / len(taken), 1) if taken else None

    @property
    def all_passed(self) -> bool:
        return bool(self.results) and all(s is not None and s.passed for s in self.results.values())


@dataclass
class CohortReport:
    """A cohort: one row per trainee, scenario results, category results, pass rate, weakest categories."""

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


class SheetRow:
    """What a cohort table needs of one stored sheet, read straight from its JSON (no dataclass per check or
    turn: building full ScoreSheets cost more than reading the rows)."""

    __slots__ = ("scenario", "title", "percent", "passed", "checks", "abandoned")

    def __init__(self, data: dict[str, Any]):
        self.scenario, self.title, self.passed = data["scenario"], data.get("title", ""), bool(data["passed"])
        self.abandoned = bool(data.get("abandoned", False))
        total, most = float(data.get("total") or 0.0), float(data.get("max") or 0.0)
        self.percent = round(100.0 * total / most, 1) if most else 0.0  # as ScoreSheet.percent
        self.checks = [(c["id"], float(c["points"]), float(c["max_points"]), bool(c["passed"]))
                       for c in data.get("checks", ())]


def _check_tuples(sheet: ScoreSheet | SheetRow) -> list[tuple[str, float, float, bool]]:
    if isinstance(sheet, SheetRow):
        return sheet.checks
    return [(c.id, c.points, c.max_points, c.passed) for c in sheet.checks]


def add_categories(into: dict[str, CategoryResult], sheet: ScoreSheet | SheetRow, mapping: dict[str, list[str]],
                   negative: set[str] | frozenset[str] = frozenset()) -> None:
    for check_id, points, most, passed in _check_tuples(sheet):
        cats = mapping.get(check_id)
        if not cats:
            continue
        won = most if points > most else (points if points > 0.0 else 0.0)  # penalties below zero count as zero
        for cat in cats:
            result = into.get(cat)
            if result is None:
                result = into[cat] = CategoryResult(cat, negative=cat in negative)
            result.won += won
            result.possible += most
            if result.negative:
                result.clear += passed
                result.said += not passed


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Where(TypedDict, total=False):
    """Which finished attempts to load (the filters of Store.finished_sheets)."""

    trainee: str | None
    session_code: str | None
    attempt_id: int | None


@overload
def _load(store: Store, progress: Progress | None, light: Literal[False],
          **where: Unpack[_Where]) -> list[tuple[AttemptInfo, ScoreSheet]]: ...
@overload
def _load(store: Store, progress: Progress | None, light: Literal[True],
          **where: Unpack[_Where]) -> list[tuple[AttemptInfo, SheetRow]]: ...
def _load(store: Store, progress: Progress | None, light: bool, **where: Unpack[_Where]) -> list[Any]:
    """Finished attempts straight from their stored sheets (one query, no replay); `light` reads only what a
    cohort table shows (SheetRow), else full ScoreSheets."""
    loaded: list[Any] = []  # all SheetRow or all ScoreSheet, as the overloads say
    for n, (info, data) in enumerate(store.finished_sheets(**where), 1):
        loaded.append((info, SheetRow(data) if light else ScoreSheet.from_dict(data)))
        if progress and n % 100 == 0:
            progress(n, None)
    if progress:
        progress(len(loaded), len(loaded))
    return loaded


def build_trainee(store: Store, trainee: str, session_code: str | None = None, attempt_id: int | None = None,
                  lang: str = "zh", progress: Progress | None = None,
                  check_categories: ScenarioFacts | None = None) -> TraineeReport:
    """A trainee's finished attempts (one session's, one attempt, or all)."""
    where: _Where = {"attempt_id": attempt_id} if attempt_id is not None else {"trainee": trainee,
                                                                             "session_code": session_code}
    attempts = _load(store, progress, False, **where)
    facts = check_categories or ScenarioFacts()
    negative = facts.negative()
    categories: dict[str, CategoryResult] = {}
    for _, sheet in attempts:
        add_categories(categories, sheet, facts(sheet.scenario), negative)
    row = store.get_session(session_code) if session_code else None
    staff = employee_id(attempts[-1][0]) if attempts else ""
    return TraineeReport(trainee, session_code, row.title if row else None, attempts, categories,
                         facts.names(lang), _now(), staff, facts)


def report_for_sheet(sheet: ScoreSheet, lang: str = "zh", attempt_id: int = 0) -> TraineeReport:
    """A one-attempt report for a sheet that was never stored (the trainer run without a store)."""
    info = AttemptInfo(attempt_id, sheet.trainee, sheet.scenario, sheet.mode, None, sheet.seed,
                       sheet.started_at or _now(), sheet.finished_at or _now(), sheet.total, sheet.max, sheet.passed,
                       abandoned=sheet.abandoned)
    facts = ScenarioFacts()
    categories: dict[str, CategoryResult] = {}
    add_categories(categories, sheet, facts(sheet.scenario), facts.negative())
    return TraineeReport(sheet.trainee, None, None, [(info, sheet)], categories, facts.names(lang), _now(), "",
                         facts)


def build_cohort(store: Store, session_code: str | None = None, scenario_ids: list[str] | None = None,
                 lang: str = "zh", progress: Progress | None = None, weakest: int = 3,
                 check_categories: ScenarioFacts | None = None) -> CohortReport:
    """Every trainee of a session (or every finished attempt in the store), best attempt per scenario."""
    row = store.get_session(session_code) if session_code else None
    attempts = _load(store, progress, True, session_code=session_code)
    if row is not None:
        wanted = list(row.scenario_ids)
    else:
        wanted = scenario_ids or sorted({sheet.scenario for _, sheet in attempts})
    chosen = set(wanted)
    facts = check_categories or ScenarioFacts()
    negative = facts.negative()
    titles: dict[str, str] = {}
    by_trainee: dict[str, list[tuple[AttemptInfo, SheetRow]]] = {}
    for info, sheet in attempts:
        if sheet.scenario in chosen:
            titles.setdefault(sheet.scenario, sheet.title)
            by_trainee.setdefault(info.trainee, []).append((info, sheet))
    rows: list[CohortRow] = []
    cohort_categories: dict[str, CategoryResult] = {}
    for trainee in sorted(by_trainee):
        taken = by_trainee[trainee]
        best: dict[str, SheetRow | None] = {sid: None for sid in wanted}
        history: dict[str, list[tuple[float, bool]]] = {}
        for _, sheet in taken:  # best percent counts (any scored attempt beats an abandoned one); later wins a tie
            if not sheet.abandoned:  # an abandoned attempt has no meaningful score to plot
                history.setdefault(sheet.scenario, []).append((sheet.percent, sheet.passed))
            current = best.get(sheet.scenario)
            if current is None or (not sheet.abandoned, sheet.percent, sheet.passed) >= \
                    (not current.abandoned, current.percent, current.passed):
                best[sheet.scenario] = sheet
        cats: dict[str, CategoryResult] = {}
        for counted in best.values():
            if counted is not None:
                add_categories(cats, counted, facts(counted.scenario), negative)
        for cid, mine in cats.items():  # the cohort's totals are the sum of the rows'
            total = cohort_categories.get(cid)
            if total is None:
                total = cohort_categories[cid] = CategoryResult(cid, negative=mine.negative)
            total.won += mine.won
            total.possible += mine.possible
            total.clear += mine.clear
            total.said += mine.said
        rows.append(CohortRow(trainee, best, len(taken), cats, employee_id(taken[-1][0]), history))
    return CohortReport(
        session_code, row.title if row else None, row.pass_mark if row else None, wanted,
        {sid: titles.get(sid, sid) for sid in wanted}, rows, dict(sorted(cohort_categories.items())),
        facts.names(lang), _now(), weakest_categories(cohort_categories, weakest))


def weakest_categories(categories: dict[str, CategoryResult], n: int) -> list[str]:
    """The n lowest-scoring categories; a tie at the cut takes in every tied category (never an arbitrary pick),
    and categories level with the best single out nobody. Taboo-like categories are not ranked by percent."""
    scored = {c: r.percent for c, r in categories.items() if r.percent is not None}
    if not scored or n <= 0:
        return []
    best = max(scored.values())
    ranked = sorted((p, c) for c, p in scored.items() if p < best)
    if not ranked:
        return []
    cut = ranked[min(n, len(ranked)) - 1][0]
    return [c for p, c in ranked if p <= cut]


def ties(categories: dict[str, CategoryResult]) -> set[str]:
    """Categories whose percent equals another category's: the chart marks them rather than ordering them."""
    seen: dict[float, list[str]] = {}
    for cid, result in categories.items():
        if result.percent is not None:
            seen.setdefault(result.percent, []).append(cid)
    return {c for group in seen.values() if len(group) > 1 for c in group}
