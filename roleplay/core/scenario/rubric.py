"""The rubric section of a scenario file: named checks with points, and the pass mark.

Each check has exactly one kind key (said, did, never, order, reach, turn_budget, checklist,
final_mood); the qualifiers next to it narrow it. Evaluation lives in roleplay.core.conversation.scoring.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]

CHECK_KINDS = ("said", "did", "never", "order", "reach", "turn_budget", "checklist", "final_mood")


class _Strict(BaseModel):
    # defer_build: validators are built on first validation, so a run that only reads cached scenarios never pays
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


def _as_list(value: Any) -> Any:
    """`x` and `[x]` mean the same thing in the file; the model always keeps a list."""
    return [value] if isinstance(value, str) else value


class OrderSpec(_Strict):
    """先处理心情、后处理事情: a category of `first` must come before any category of `then`."""

    first: list[Ident] = Field(min_length=1, description="categories that must come first (any of them)")
    then: list[Ident] = Field(min_length=1, description="categories that must not come before them")

    _lists = field_validator("first", "then", mode="before", json_schema_input_type=str | list[str])(_as_list)


class TurnBudget(_Strict):
    """Reach one of `reach` (default: the final states with outcome `success`) within `max` replies."""

    max: int = Field(ge=1, description="most replies allowed")
    reach: list[Ident] = Field(default_factory=list, description="states that count as done")

    _lists = field_validator("reach", mode="before", json_schema_input_type=str | list[str])(_as_list)


class Check(_Strict):
    """One named rubric check."""

    id: Ident
    description: str = Field(min_length=1, description="what the trainee must do, shown on the score sheet")
    points: float = Field(gt=0, le=1000)
    hard_fail: bool = Field(False, description="failing this check fails the attempt whatever the total")
    # kinds (exactly one)
    said: list[Ident] | None = Field(None, description="a reply carried one of these categories")
    did: list[Ident] | None = Field(None, description="one of these /actions was typed")
    never: list[Ident] | None = Field(None, description="none of these categories was ever said")
    order: OrderSpec | None = None
    reach: list[Ident] | None = Field(None, description="the attempt reached one of these states")
    turn_budget: TurnBudget | None = None
    checklist: bool | None = Field(None, description="preparation checklist: points in proportion to right picks")
    final_mood: int | None = Field(None, ge=-100, le=100, description="client's mood at the end is at least this")
    # qualifiers
    in_state: list[Ident] | None = Field(None, description="said/did: only replies given in these states count")
    within_turns: int | None = Field(None, ge=1, description="said/did: only the first N replies count")
    min_times: int = Field(1, ge=1, description="said/did: how many replies must carry it")
    penalty: float = Field(0, ge=0, le=1000, description="never: points taken off per offending reply")

    _lists = field_validator("said", "did", "never", "reach", "in_state", mode="before",
                             json_schema_input_type=str | list[str] | None)(_as_list)

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        kinds = [k for k in CHECK_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            shown = ", ".join(kinds) if kinds else "none"
            raise PydanticCustomError("check_kind", "a check needs exactly one of {kinds} (found: {shown})",
                                      {"kinds": ", ".join(CHECK_KINDS), "shown": shown})
        kind = kinds[0]
        if kind not in ("said", "did") and (self.in_state or self.within_turns or self.min_times != 1):
            raise PydanticCustomError("check_qualifier", "in_state, within_turns and min_times apply only to said/did checks")
        if kind != "never" and self.penalty:
            raise PydanticCustomError("check_qualifier", "penalty applies only to never checks")
        if kind == "checklist" and self.checklist is not True:
            raise PydanticCustomError("check_checklist", "write `checklist: true`")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in CHECK_KINDS if getattr(self, k) is not None)


class Rubric(_Strict):
    """Checks and the pass mark (points needed, out of the sum of the checks' points)."""

    pass_mark: float = Field(ge=0)
    checks: list[Check] = Field(min_length=1)

    @property
    def max_points(self) -> float:
        return float(sum(c.points for c in self.checks))
