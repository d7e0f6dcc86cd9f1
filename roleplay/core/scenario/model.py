"""Scenario model (the YAML format as pydantic models), the loaded Scenario, and discovery.

The format is documented in docs/scenario-format.md; the JSON Schema generated from these models
ships as roleplay/schema/scenario.schema.json. Loading and checking live in scenario_loader.py.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from roleplay.core.scenario.rubric import Check, Ident, Rubric

if TYPE_CHECKING:
    from roleplay.core.matching.memo import RememberingMatcher
    from roleplay.core.phrasebook.book import Phrasebook

StateId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500)]
MATCHERS_KEPT = 2  # matchers cached per scenario (one per phrasebook object; ~3 MB each)
PLACEHOLDERS = ("client.name", "client.company", "client.role", "trainee.name")
SAID = "said."  # {said.time}, {said.phone}: facts from conversation memory
DEFAULT_ACTIONS = {
    "zh": {
        "card": ("递名片", "双手递上名片，正面朝向客户"),
        "note": ("记笔记", "拿出笔和笔记本，记下客户的问题和需求"),
        "end": ("结束", "结束谈话并离开"),
    },
    "en": {
        "card": ("Hand over a card", "Hand your name card over with both hands, text facing the client"),
        "note": ("Take notes", "Take out a pen and notebook and write down the client's points"),
        "end": ("Leave", "End the conversation and leave"),
    },
}


class _Strict(BaseModel):
    # defer_build: validators are built on first validation, so a run that only reads cached scenarios never pays
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


def _lines(value: Any) -> Any:
    """A single line may be written without a list."""
    return [value] if isinstance(value, str) else value


class Range(_Strict):
    """Inclusive bounds; either may be left out."""

    min: int | None = None
    max: int | None = None


class ScoreRange(_Strict):
    min: float | None = None
    max: float | None = None


class Persona(_Strict):
    name: str = Field(min_length=1, description="how the client is addressed, e.g. 陈总")
    company: str = ""
    role: str = ""
    mood: int = Field(0, ge=-100, le=100, description="starting mood, -100 (furious) .. 100 (delighted)")


MoveRef = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}(\.[a-z][a-z0-9_]{0,29})?$")]


class LocalCategory(_Strict):
    """A scenario-local phrase category, or extra phrases for a phrasebook category."""

    name: str | None = Field(None, description="needed for a new category; omit to extend an existing one")
    description: str = ""
    negative: bool = Field(False, description="true for taboo-like categories (penalised, never earned)")
    threshold: float | None = Field(None, ge=0, le=100)
    # same limits as phrasebook files: these are merged into a phrasebook at play time
    phrases: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(default_factory=list)
    templates: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(
        default_factory=list, description="phrases with {slot} holes, as in phrasebook files")
    moves: list[MoveRef] = Field(
        default_factory=list, description="shared moves or negatives of the phrasebook whose phrases and templates "
                                          "this category also recognises: offer_calculation, compliance, or one "
                                          "kind of one: compliance.discount")

    def stands_on(self, move: str) -> bool:
        """Does the category reuse the shared `move` (any of its kinds: compliance, compliance.discount …)?"""
        return any(str(ref).partition(".")[0] == move for ref in self.moves)


class ActionSpec(_Strict):
    label: str = Field(min_length=1)
    description: str = ""


class ChecklistSpec(_Strict):
    id: Ident
    label: str = Field(min_length=1)
    correct: bool = Field(description="true if a well-prepared trainee picks this item")


class When(_Strict):
    """Conditions of a rule; all given conditions must hold (an empty `when` always holds)."""

    all: list[Ident] = Field(default_factory=list, description="the reply carries every one of these categories")
    any: list[Ident] = Field(default_factory=list, description="the reply carries at least one of these")
    none: list[Ident] = Field(default_factory=list, description="the reply carries none of these")
    action: Ident | None = Field(None, description="the reply is this /action command")
    silent: bool | None = Field(None, description="true: only an empty reply; false: only a non-empty one")
    mood: Range | None = Field(None, description="client's mood before this reply")
    turn: Range | None = Field(None, description="number of this reply in the whole attempt (1-based)")
    state_turn: Range | None = Field(None, description="number of this reply in the current state (1-based)")
    known: list[Ident] = Field(default_factory=list, description="the client has heard every one of these facts")
    not_known: list[Ident] = Field(default_factory=list, description="the client has heard none of these facts")

    _lists = field_validator("all", "any", "none", "known", "not_known", mode="before",
                             json_schema_input_type=str | list[str])(_lines)


class Rule(_Strict):
    """When the reply fits `when`: the client says `say`, mood changes by `mood`, go to `goto`."""

    id: Ident | None = Field(None, description="shown in the debug view and score sheet; default <state>_<n>")
    # pydantic declares Field's positional default (`Field(None, ...)`) in a way mypy's dataclass_transform
    # support does not read, so it thinks When() needs every field; at run time all of them have defaults
    when: When = Field(default_factory=When)  # type: ignore[arg-type]
    say: list[Line] = Field(default_factory=list, description="variants; one is picked by the seeded RNG")
    mood: int = Field(0, ge=-200, le=200)
    goto: StateId | None = Field(None, description="next state; omitted: stay")
    feedback: str | None = Field(None, description="a coaching remark shown with this turn")

    _lists = field_validator("say", mode="before", json_schema_input_type=str | list[str])(_lines)


class AnswerRule(_Strict):
    """A scenario-wide answer to a good move made early or late: tried in every state after its own rules.

    The client answers (`say`) and stays; no retry is used up, and it never moves the conversation on,
    so the state's key move is still needed.
    """

    id: Ident = Field(description="shown in the debug view; unique among the scenario's rule ids")
    when: When = Field(default_factory=When)  # type: ignore[arg-type]
    say: list[Line] = Field(min_length=1, description="variants; one is picked by the seeded RNG")
    mood: int = Field(0, ge=-200, le=200)
    feedback: str | None = Field(None, description="a coaching remark shown with this turn")
    states: list[StateId] = Field(default_factory=list, description="only in these states (default: every state)")

    _lists = field_validator("say", mode="before", json_schema_input_type=str | list[str])(_lines)


class Fallback(_Strict):
    say: list[Line] = Field(default_factory=list)
    mood: int = Field(0, ge=-200, le=200)
    feedback: str | None = None

    _lists = field_validator("say", mode="before", json_schema_input_type=str | list[str])(_lines)


class Exhausted(Fallback):
    goto: StateId


class Reaction(Fallback):
    """The client's answer to one kind of reply no rule took (taboo, silence, off-track, a goodbye)."""

    goto: StateId | None = Field(None, description="next state; omitted: stay")


class Capture(_Strict):
    """A fact the client remembers when a reply names one of `values` or matches one of `templates`."""

    description: str = Field("", description="how the fact is named on the score sheet, e.g. 预算")
    values: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(default_factory=list)
    templates: list[Annotated[str, StringConstraints(min_length=1, max_length=300)]] = Field(
        default_factory=list, description="phrasebook templates with {slot} holes; the matched words are kept")


class StateSpec(_Strict):
    description: str = ""
    say: list[Line] = Field(default_factory=list, description="what the client says on entering the state")
    rules: list[Rule] = Field(default_factory=list, description="tried in order; the first that holds fires")
    fallback: Fallback | None = None
    retries: int | None = Field(None, ge=0, description="fallbacks allowed in this state before on_exhausted")
    on_exhausted: Exhausted | None = None
    on_taboo: Reaction | None = Field(None, description="answer to a rude (taboo) reply; default: the scenario's")
    on_silence: Reaction | None = Field(None, description="answer to silence; default: the scenario's, then fallback")
    on_off_track: Reaction | None = Field(
        None, description="answer to a courteous reply no rule took: restate what the client wants (mood 0 by default)")
    on_closing: Reaction | None = Field(None, description="a goodbye (closing) ends here: usually a goto to a final state")
    on_rash: Reaction | None = Field(
        None, description="reaction to a rash promise, absolute claim or other negative move that is not rude "
                          "(compliance, the scenario's negative categories); said before the rule that takes the reply; "
                          "default: the scenario's, then a built-in line")
    final: bool = False
    outcome: str | None = Field(None, description="final states: success, failure, ...")
    min_mood: int | None = Field(None, ge=-100, le=100,
                                 description="success endings: mood needed (default: the scenario's success_mood)")
    below_mood: StateId | None = Field(None, description="success endings: where the attempt ends when the mood is lower")

    _lists = field_validator("say", mode="before", json_schema_input_type=str | list[str])(_lines)


class Patience(_Strict):
    """The client walks out (to `goto`) once the mood drops below `mood_below`."""

    mood_below: int = Field(ge=-100, le=100)
    goto: StateId


class TestExpect(_Strict):
    state: StateId | None = None
    outcome: str | None = None
    passed: bool | None = None
    ended: bool | None = None
    score: ScoreRange | None = None


class ScenarioTest(_Strict):
    name: str = Field(min_length=1)
    seed: int = 0
    trainee: str | None = None
    prepared: list[Ident] = Field(default_factory=list)
    replies: list[Annotated[str, StringConstraints(max_length=2000)]]
    expect: TestExpect


class ScenarioFile(_Strict):
    """One scenario YAML file as written by a coach."""

    id: Ident
    title: str = Field(min_length=1)
    language: Literal["zh", "en"]
    kind: Literal["visit", "call", "complaint", "knowledge"]
    difficulty: Literal["easy", "medium", "hard"]
    brief: str = Field(min_length=1, description="what the trainee is told before starting")
    persona: Persona
    trainee_name: str | None = Field(None, description="default {trainee.name} when none is given")
    categories: dict[Ident, LocalCategory] = Field(default_factory=dict)
    actions: dict[Ident, ActionSpec] = Field(default_factory=dict, description="extra /actions or relabelled defaults")
    checklist: list[ChecklistSpec] = Field(default_factory=list)
    start: StateId
    max_turns: int = Field(30, ge=1, le=200, description="the attempt stops after this many replies")
    patience: Patience | None = None
    success_mood: int = Field(0, ge=-100, le=100, description="a success ending needs at least this mood")
    on_taboo: Reaction | None = Field(None, description="default answer to a rude reply in every state")
    on_silence: Reaction | None = Field(None, description="default answer to silence in every state")
    on_off_track: Reaction | None = Field(None, description="default answer to a courteous reply no rule took")
    on_closing: Reaction | None = Field(None, description="default: a goodbye ends the talk (goto a final state)")
    on_rash: Reaction | None = Field(None, description="default reaction to a rash promise or claim in every state "
                                     "(without it: a built-in line of suspicion, mood -5)")
    memory: dict[Ident, Capture] = Field(default_factory=dict, description="facts the client remembers besides "
                                         "the built-in ones (offered_times, time, deadline, phone, amount, documents, "
                                         "client_name, org)")
    answers: list[AnswerRule] = Field(default_factory=list, description="scenario-wide answers to good moves made "
                                  "early or late (tried in every state after its own rules; the client stays)")
    states: dict[StateId, StateSpec] = Field(min_length=1)
    rubric: Rubric
    tests: list[ScenarioTest] = Field(default_factory=list)


@dataclass(frozen=True)
class Action:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    correct: bool


@dataclass
class Objective:
    id: str
    description: str
    done: bool = False


def placeholder_fields(text: str) -> list[str]:
    """Field names used in `text` (raises ValueError on unbalanced braces)."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def fill(text: str, values: dict[str, str]) -> str:
    """Fill `{client.name}`-style placeholders by plain lookup: no attribute access, no format specs."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return text
    out = []
    for literal, name, _spec, _conv in parts:
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


@dataclass
class Scenario:
    """A loaded, checked scenario: the file's model plus what the engine and the UI ask of it."""

    spec: ScenarioFile
    path: str
    marks: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict, repr=False)
    _matchers: dict[int, tuple[Phrasebook, RememberingMatcher]] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        # cached matchers are rebuilt on demand: they are large and hold compiled patterns
        return {**self.__dict__, "_matchers": {}}

    def __getattr__(self, name: str) -> Any:
        # id, title, language, kind, difficulty, brief, persona, start, states, rubric, tests, ...
        spec = self.__dict__.get("spec")  # absent while copy/pickle rebuild the object
        if spec is None or name.startswith("_"):
            raise AttributeError(name)
        return getattr(spec, name)

    @property
    def categories(self) -> dict[str, LocalCategory]:
        return self.spec.categories

    @property
    def actions(self) -> list[Action]:
        defaults = DEFAULT_ACTIONS[self.spec.language]
        found = {aid: Action(aid, label, desc) for aid, (label, desc) in defaults.items()}
        for aid, spec in self.spec.actions.items():
            found[aid] = Action(aid, spec.label, spec.description)
        return list(found.values())

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)

    @property
    def checklist(self) -> list[ChecklistItem]:
        return [ChecklistItem(c.id, c.label, c.correct) for c in self.spec.checklist]

    @property
    def objectives(self) -> list[Objective]:
        return [Objective(c.id, c.description) for c in self.spec.rubric.checks]

    @property
    def checks(self) -> list[Check]:
        return self.spec.rubric.checks

    @property
    def pass_mark(self) -> float:
        return self.spec.rubric.pass_mark

    @property
    def max_points(self) -> float:
        return self.spec.rubric.max_points

    @property
    def final_states(self) -> list[str]:
        return [sid for sid, st in self.spec.states.items() if st.final]

    def matcher_for(self, phrasebook: Phrasebook) -> RememberingMatcher:
        """A Matcher over a copy of `phrasebook` plus this scenario's categories (cached per phrasebook). It
        remembers its result per reply text: a cohort repeats replies, and rescore replays them all."""
        cached = self._matchers.get(id(phrasebook))
        if cached is not None and cached[0] is phrasebook:
            return cached[1]
        from roleplay.core.scenario.local_book import scenario_phrasebook
        from roleplay.core.matching.matcher import Matcher
        from roleplay.core.matching.memo import RememberingMatcher

        matcher = RememberingMatcher(Matcher(scenario_phrasebook(self, phrasebook), self.spec.language))
        while len(self._matchers) >= MATCHERS_KEPT:  # loaded scenarios are shared: keep a few phrasebooks only
            self._matchers.pop(next(iter(self._matchers)))
        self._matchers[id(phrasebook)] = (phrasebook, matcher)
        return matcher
