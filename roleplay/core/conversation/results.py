"""What the engine hands out: turn results and score sheets (plain data, JSON round-trippable).

These types are the contract between the engine and its consumers (TUI, CLI, store, reports).
Add fields with defaults; never rename or remove one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_D = TypeVar("_D", bound="DataclassInstance")


def _from(cls: type[_D], data: dict[str, Any]) -> _D:
    """Build a dataclass from a dict, ignoring unknown keys (forward compatible)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Evidence:
    """Why a category was recognised in a reply: the phrasebook phrase, the score, where in the reply."""

    category: str
    score: float
    phrase: str
    text: str = ""  # the reply's words that matched
    start: int = 0
    end: int = 0
    kind: str | None = None  # taboo / compliance kind; shown as Phrasebook.label(category, kind, lang)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return _from(cls, data)


@dataclass
class TurnResult:
    """One exchange: the trainee's reply, what was recognised, and how the client reacted."""

    turn: int  # 1-based
    state: str  # state the reply was given in
    reply: str  # the trainee's reply (or /action)
    action: str | None = None  # the action id when the reply was an /action command
    labels: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    rule: str | None = None  # id/description of the rule that fired; None for the fallback
    client: str = ""  # what the client answers
    mood: int = 0  # client's mood after this turn (-100..100)
    mood_delta: int = 0
    next_state: str = ""
    retries_left: int | None = None
    ended: bool = False
    outcome: str | None = None  # outcome of the final state when ended
    feedback: list[str] = field(default_factory=list)  # short coaching remarks for this turn
    taboo: list[Evidence] = field(default_factory=list)
    elapsed_ms: float | None = None  # time the trainee took (assessment time limits)
    over_time: bool = False  # answered after the time limit: played as silence, marked on the sheet
    miss: str | None = None  # no rule took the reply: silence | off_track | rude | unclear | phone_close
    facts: dict[str, list[str]] = field(default_factory=dict)  # facts the client noted from this reply
    memory: list[str] = field(default_factory=list)  # everything the client remembers after it, in words

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TurnResult:
        obj = _from(cls, data)
        obj.evidence = [Evidence.from_dict(e) if isinstance(e, dict) else e for e in obj.evidence]
        obj.taboo = [Evidence.from_dict(e) if isinstance(e, dict) else e for e in obj.taboo]
        return obj


@dataclass
class CheckResult:
    """One rubric check on the score sheet."""

    id: str
    description: str
    points: float  # points won (negative for penalties)
    max_points: float
    passed: bool
    evidence: list[str] = field(default_factory=list)  # human-readable: "turn 2: 您好 (问候 100)"
    turns: list[int] = field(default_factory=list)
    suggestion: str | None = None  # a phrase that would have earned it, when missed
    hard_fail: bool = False  # failing this check fails the whole attempt
    kind: str = ""  # rubric check kind: said, did, never, order, reach, turn_budget, checklist, final_mood

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        return _from(cls, data)


@dataclass
class ScoreSheet:
    """The result of one attempt at one scenario."""

    scenario: str  # scenario id
    title: str
    language: str
    trainee: str
    seed: int
    total: float
    max: float
    pass_mark: float
    passed: bool
    outcome: str | None  # outcome of the final state, None when the attempt stopped early
    final_state: str
    checks: list[CheckResult] = field(default_factory=list)
    turns: list[TurnResult] = field(default_factory=list)
    categories: dict[str, int] = field(default_factory=dict)  # category id -> times recognised
    hard_failed: list[str] = field(default_factory=list)  # ids of hard-fail checks that failed
    started_at: str | None = None  # ISO 8601
    finished_at: str | None = None
    mode: str = "practice"  # practice | assessment
    version: int = 1
    prepared: list[str] = field(default_factory=list)  # checklist items picked before the first reply
    ended: bool = False  # False when the sheet was taken mid-attempt
    abandoned: bool = False  # the trainee gave the attempt up (confirmed); never counts as passed
    content_version: str | None = None  # hash of the scenario and phrasebook files scored with (version.py)
    outcome_text: str = ""  # the outcome in words, in the sheet's language (客户答应了… / The client agreed…)
    verdict_note: str | None = None  # one line when the outcome and pass/fail seem to disagree
    remembered: list[str] = field(default_factory=list)  # what the client noted, in words (客户记下：周四上午10点)

    @property
    def percent(self) -> float:
        return round(100.0 * self.total / self.max, 1) if self.max else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["percent"] = self.percent
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreSheet:
        obj = _from(cls, data)
        obj.checks = [CheckResult.from_dict(c) if isinstance(c, dict) else c for c in obj.checks]
        obj.turns = [TurnResult.from_dict(t) if isinstance(t, dict) else t for t in obj.turns]
        return obj
