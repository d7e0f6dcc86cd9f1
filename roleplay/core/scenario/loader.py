"""Load scenario files and check them beyond types: references, reachability, rubric, tests, placeholders.

Every problem is located (`path:line:col: message`) from the YAML node marks; nothing in a file is
ever executed (conditions are data, placeholders are looked up, never formatted with attributes).
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from roleplay.core.lang.normalize import clauses
from roleplay.core.phrasebook.book import Phrasebook, template_problems
from roleplay.core.content.problems import ContentError, Problem, errors
from roleplay.core.scenario.moves import move_problem
from roleplay.core.scenario.answers_check import check_answers
from roleplay.core.scenario.model import DEFAULT_ACTIONS, Scenario, ScenarioFile, When
from roleplay.core.scenario.local_book import merge_local_categories, scenario_phrasebook  # noqa: F401 (re-exported)
from roleplay.core.scenario.lines_check import line_warnings
from roleplay.core.scenario.reactions_check import WARNING, check_placeholders, check_reactions, reaction_warnings, texts
from roleplay.core.content.yamlsafe import YamlDoc, load_yaml, validation_problems


@lru_cache(maxsize=1)
def _shipped_index() -> tuple[frozenset[str], frozenset[str]]:
    """Category ids of the shipped phrasebook, and which of them are taboo-like (negative)."""
    from roleplay.core.phrasebook.book import CORE_CATEGORIES, load_phrasebook

    try:
        categories = load_phrasebook().categories
    except ContentError:  # a broken phrasebook is reported by `roleplay validate phrasebook`
        return frozenset(CORE_CATEGORIES), frozenset({"taboo"})
    negative = frozenset(cid for cid, cat in categories.items() if cat.negative)
    return frozenset(categories) | frozenset(CORE_CATEGORIES), negative


def _shipped_categories() -> frozenset[str]:  # what rules and checks may refer to, besides their own
    return _shipped_index()[0]


def _shipped_negative() -> frozenset[str]:  # taboo-like categories: said, never earned
    return _shipped_index()[1]


def parse_scenario_doc(doc: YamlDoc) -> ScenarioFile:
    """Validate the document's shape and types; raise ContentError with located problems."""
    if not isinstance(doc.data, dict):
        raise ContentError([doc.problem((), "a scenario file must be a mapping (id:, title:, states:, ...)", "S300")])
    try:
        return ScenarioFile.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError(validation_problems(doc, exc)) from None


def check_scenario(doc: YamlDoc, spec: ScenarioFile, known_categories: frozenset[str] | None = None) -> list[Problem]:
    """Semantic problems of a well-typed scenario (empty when it is sound)."""
    return _Checker(doc, spec, known_categories or _shipped_categories()).run()


def load_scenario_file(path: str | Path) -> Scenario:
    doc = load_yaml(path)
    spec = parse_scenario_doc(doc)
    problems = errors(check_scenario(doc, spec))  # warnings are for `roleplay validate`
    if problems:
        raise ContentError(problems)
    return Scenario(spec, str(path), doc.marks)


def validate_scenario_docs(docs: list[YamlDoc], extra_categories: set[str] | None = None,
                           warnings: bool = False) -> list[Problem]:
    """Every problem in these scenario documents, including ids used by more than one file.

    `extra_categories`: ids defined by phrasebook files validated alongside (besides the shipped ones);
    `warnings`: add the `warning: …` notes of sound files too.
    """
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    known = _shipped_categories() | frozenset(extra_categories or ())
    for doc in docs:
        try:
            spec = parse_scenario_doc(doc)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        checker = _Checker(doc, spec, known)
        problems.extend(checker.run())
        if warnings:
            problems.extend(checker.warnings())
        if spec.id in seen:
            problems.append(doc.problem(("id",), f"scenario id {spec.id!r} is already used by {seen[spec.id]}", "S307"))
        else:
            seen[spec.id] = doc.path
    return problems





@lru_cache(maxsize=1)
def _shipped_phrasebook() -> Phrasebook:
    from roleplay.core.phrasebook.book import load_phrasebook

    try:
        return load_phrasebook()
    except ContentError:
        return Phrasebook()


class _Checker:
    """Collects the semantic problems of one scenario document."""

    def __init__(self, doc: YamlDoc, spec: ScenarioFile, known: frozenset[str]):
        self.doc = doc
        self.spec = spec
        self.problems: list[Problem] = []
        self.categories = set(known) | set(spec.categories)
        self.actions = set(DEFAULT_ACTIONS[spec.language]) | set(spec.actions)
        self.states = set(spec.states)
        local_negative = {cid for cid, c in spec.categories.items() if c.negative}
        self.negative = (set(_shipped_negative()) - set(spec.categories)) | local_negative

    def add(self, code: str, loc: tuple[Any, ...], message: str) -> None:
        self.problems.append(self.doc.problem(loc, message, code))

    def run(self) -> list[Problem]:
        self._local_categories()
        self._states()
        self._graph()
        self._rubric()
        self._tests()
        self._reactions()
        return self.problems

    # references -----------------------------------------------------------------------------
    def _category(self, loc: tuple[Any, ...], cid: str) -> None:
        if cid not in self.categories:
            self.add("S301", loc, f"category {cid!r} is not defined{_did_you_mean(cid, self.categories)}: add it under "
                          f"`categories:` or use one of {', '.join(sorted(self.categories))}")

    def _state(self, loc: tuple[Any, ...], sid: str) -> None:
        if sid not in self.states:
            self.add("S302", loc, f"state {sid!r} is not defined{_did_you_mean(sid, self.states)} "
                          f"(states: {', '.join(sorted(self.states))})")

    def _action(self, loc: tuple[Any, ...], aid: str) -> None:
        if aid not in self.actions:
            self.add("S303", loc, f"action {aid!r} is not defined{_did_you_mean(aid, self.actions)}: add it under "
                          f"`actions:` (known: {', '.join(sorted(self.actions))})")

    def _local_categories(self) -> None:
        shipped = _shipped_categories()
        for cid, local in self.spec.categories.items():
            loc = ("categories", cid)
            if cid not in shipped and not local.name:
                self.add("S304", loc, f"new category {cid!r} needs a `name`")
            if not local.phrases and not local.templates and not local.moves:
                self.add("S305", loc, f"category {cid!r} has no phrases or templates: it could never be recognised")
            for i, ref in enumerate(local.moves):
                problem = move_problem(ref, _shipped_phrasebook(), _did_you_mean)
                if problem:
                    self.add("S309", loc + ("moves", i), problem)
            for i, phrase in enumerate(local.phrases):
                if len(clauses(phrase)) > 1:  # replies are matched clause by clause
                    self.add("S306", loc + ("phrases", i), (
                        f"phrase {phrase!r} spans several clauses, but replies are matched one clause at a "
                        f"time, so it could never match whole: split it into separate phrases"))
            slots = _shipped_phrasebook().slots.get(self.spec.language, {})  # the grammar's checks, located
            for i, template in enumerate(local.templates):
                at = loc + ("templates", i)
                self.problems += template_problems(self.doc, at, template) + template_problems(self.doc, at, template, slots)

    def _states(self) -> None:
        spec = self.spec
        self._state(("start",), spec.start)
        if spec.start in spec.states and spec.states[spec.start].final:
            self.add("S310", ("start",), f"start state {spec.start!r} is final: the attempt would end before the first reply")
        if spec.patience:
            self._state(("patience", "goto"), spec.patience.goto)
        rule_ids: dict[str, tuple[Any, ...]] = {}
        check_answers(spec.answers, rule_ids, self.add, self._category, self._action, self._state)
        for sid, st in spec.states.items():
            at = ("states", sid)
            if st.final:
                if not st.outcome:
                    self.add("S311", at, f"final state {sid!r} needs an `outcome` (e.g. success, failure)")
                for key in ("rules", "fallback", "retries", "on_exhausted"):
                    if getattr(st, key):
                        self.add("S312", at + (key,), f"final state {sid!r} ends the attempt: `{key}` would never be used")
                continue
            if st.outcome:
                self.add("S313", at + ("outcome",), f"`outcome` is only for final states; add `final: true` to {sid!r}")
            if (st.retries is None) != (st.on_exhausted is None):
                self.add("S314", at, f"state {sid!r}: `retries` and `on_exhausted` go together (give both or neither)")
            if st.on_exhausted:
                self._state(at + ("on_exhausted", "goto"), st.on_exhausted.goto)
            for i, rule in enumerate(st.rules):
                rat = at + ("rules", i)
                rid = rule.id or f"{sid}_{i + 1}"
                if rid in rule_ids:
                    self.add("S315", rat, f"rule id {rid!r} is used twice: rule ids must be unique in a scenario")
                rule_ids[rid] = rat
                if rule.goto:
                    self._state(rat + ("goto",), rule.goto)
                when = rule.when
                for key in ("all", "any", "none"):
                    for j, cid in enumerate(getattr(when, key)):
                        self._category(rat + ("when", key, j), cid)
                if when.action:
                    self._action(rat + ("when", "action"), when.action)
                if when.silent and (when.all or when.any or when.action):
                    self.add("S316", rat + ("when",), "`silent: true` cannot hold together with categories or an action")
                for key in ("mood", "turn", "state_turn"):
                    bounds = getattr(when, key)
                    if bounds and bounds.min is not None and bounds.max is not None and bounds.min > bounds.max:
                        self.add("S317", rat + ("when", key), f"{key}: min is greater than max, so the rule can never fire")
                excluded = set(when.none)
                clash = sorted(set(when.all) & excluded) or (sorted(when.any) if when.any and set(when.any) <= excluded else [])
                if clash:
                    self.add("S318", rat + ("when",), f"rule {rid!r} can never fire: {', '.join(clash)} both required and excluded")
            always = next((r.id or f"{sid}_{k + 1}" for k, r in enumerate(st.rules) if _always(r.when)), None)
            if always is not None:
                first = next(k for k, r in enumerate(st.rules) if (r.id or f"{sid}_{k + 1}") == always)
                for k in range(first + 1, len(st.rules)):
                    later = st.rules[k].id or f"{sid}_{k + 1}"
                    self.add("S319", at + ("rules", k), f"rule {later!r} can never fire: rule {always!r} before it always holds")

    def _edges(self) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = {sid: set() for sid in self.spec.states}
        for sid, st in self.spec.states.items():
            if st.final:
                if st.below_mood in self.states:  # a success ending below the mood bar ends here instead
                    edges[sid].add(st.below_mood)
                continue
            for key in ("on_taboo", "on_silence", "on_off_track", "on_closing", "on_rash"):
                react = getattr(st, key) or getattr(self.spec, key)
                if react is not None and react.goto in self.states:
                    edges[sid].add(react.goto)
            for rule in st.rules:
                if rule.goto in self.states:
                    edges[sid].add(rule.goto)
            if st.on_exhausted and st.on_exhausted.goto in self.states:
                edges[sid].add(st.on_exhausted.goto)
        return edges

    def _graph(self) -> None:
        spec = self.spec
        if spec.start not in self.states:
            return
        edges = self._edges()
        walk_out = spec.patience.goto if spec.patience and spec.patience.goto in self.states else None
        finals = {sid for sid, st in spec.states.items() if st.final}
        if not finals:
            self.add("S320", ("states",), "no final state: add one with `final: true` and an `outcome`")
        reached = _reachable_all({sid for sid in (spec.start, walk_out) if sid is not None}, edges)
        for sid in spec.states:
            if sid not in reached:
                self.add("S321", ("states", sid), f"state {sid!r} is unreachable from the start state {spec.start!r}")
        reverse: dict[str, set[str]] = {sid: set() for sid in spec.states}
        for sid, targets in edges.items():
            for t in targets:
                reverse[t].add(sid)
        can_finish = _reachable_all(finals, reverse)
        for sid, st in spec.states.items():
            if st.final or sid not in reached:
                continue
            if not (edges[sid] - {sid}):
                self.add("S322", ("states", sid), (
                    f"state {sid!r} is not final and has no way out: give a rule a `goto`, "
                    f"or add `retries` with `on_exhausted`"))
            elif sid not in can_finish:
                self.add("S323", ("states", sid), f"from state {sid!r} no final state can be reached")

    # rubric -----------------------------------------------------------------------------------
    def _rubric(self) -> None:
        rubric = self.spec.rubric
        seen: set[str] = set()
        success = [sid for sid, st in self.spec.states.items() if st.final and st.outcome == "success"]
        for i, check in enumerate(rubric.checks):
            at = ("rubric", "checks", i)
            if check.id in seen:
                self.add("S330", at + ("id",), f"check id {check.id!r} is used twice")
            seen.add(check.id)
            for key in ("said", "never"):
                for j, cid in enumerate(getattr(check, key) or []):
                    self._category(at + (key, j), cid)
            for j, cid in enumerate(check.said or []):
                if cid in self.negative:
                    self.add("S331", at + ("said", j), f"category {cid!r} is taboo-like (negative): it is never earned; "
                                               f"use `never: {cid}` instead")
            if check.order:
                for key in ("first", "then"):
                    for j, cid in enumerate(getattr(check.order, key)):
                        self._category(at + ("order", key, j), cid)
            for j, aid in enumerate(check.did or []):
                self._action(at + ("did", j), aid)
            for key in ("reach", "in_state"):
                for j, sid in enumerate(getattr(check, key) or []):
                    self._state(at + (key, j), sid)
            if check.turn_budget:
                for j, sid in enumerate(check.turn_budget.reach):
                    self._state(at + ("turn_budget", "reach", j), sid)
                if not check.turn_budget.reach and not success:
                    self.add("S332", at + ("turn_budget",), "turn_budget: give `reach:` states (no final state has outcome success)")
            if check.checklist and not self.spec.checklist:
                self.add("S333", at + ("checklist",), "a checklist check needs a `checklist:` of preparation items")
        if rubric.pass_mark > rubric.max_points:
            self.add("S334", ("rubric", "pass_mark"), (
                f"the rubric cannot reach its pass mark: pass_mark {rubric.pass_mark:g} but the checks "
                f"are worth {rubric.max_points:g} points in all"))
        ids = [c.id for c in self.spec.checklist]
        for i, cid in enumerate(ids):
            if cid in ids[:i]:
                self.add("S335", ("checklist", i, "id"), f"checklist id {cid!r} is used twice")
        if self.spec.checklist and not any(c.correct for c in self.spec.checklist):
            self.add("S336", ("checklist",), "the checklist has no correct item: mark at least one `correct: true`")

    # tests ------------------------------------------------------------------------------------
    def _tests(self) -> None:
        names: set[str] = set()
        checklist = {c.id for c in self.spec.checklist}
        top = self.spec.rubric.max_points
        for i, test in enumerate(self.spec.tests):
            at = ("tests", i)
            if test.name in names:
                self.add("S340", at + ("name",), f"test name {test.name!r} is used twice")
            names.add(test.name)
            if test.expect.state:
                self._state(at + ("expect", "state"), test.expect.state)
            outcomes = {st.outcome for st in self.spec.states.values() if st.final}
            if test.expect.outcome and test.expect.outcome not in outcomes | {"timeout", "abandoned"}:
                self.add("S341", at + ("expect", "outcome"), (
                    f"no final state has outcome {test.expect.outcome!r} "
                    f"(outcomes: {', '.join(sorted(o for o in outcomes if o))})"))
            for j, item in enumerate(test.prepared):
                if item not in checklist:
                    self.add("S342", at + ("prepared", j), f"{item!r} is not a checklist item")
            score = test.expect.score
            if score and score.min is not None and score.min > top:
                self.add("S343", at + ("expect", "score"), f"score min {score.min:g} is above the rubric's maximum {top:g}")
            if score and score.min is not None and score.max is not None and score.min > score.max:
                self.add("S344", at + ("expect", "score"), "score: min is greater than max")
            if not test.replies:
                self.add("S345", at + ("replies",), "a test needs at least one reply")

    # reactions, endings, memory, placeholders ----------------------------------------------------
    def _reactions(self) -> None:
        slots = _shipped_phrasebook().slots.get(self.spec.language, {})
        check_reactions(self.spec, lambda loc, message: self._noted("S360", loc, message), self._state, slots)
        check_placeholders(self.spec, texts(self.doc.data, ()), lambda loc, message: self._noted("S350", loc, message))

    def _noted(self, code: str, loc: tuple[Any, ...], message: str) -> None:
        """A finding of the reaction checks: a warning when they mark it so, else an error."""
        if message.startswith(WARNING):
            self.problems.append(self.doc.problem(loc, message[len(WARNING):], "S370", "warning"))
        else:
            self.add(code, loc, message)

    def warnings(self) -> list[Problem]:
        """Likely repeats and misplaced silence lines (`warning: …`); never make a file invalid."""
        found: list[Problem] = []
        reaction_warnings(self.spec, lambda loc, message: found.append(
            self.doc.problem(loc, message.removeprefix(WARNING), "S370", "warning")))
        line_warnings(self.spec, lambda loc, message: found.append(
            self.doc.problem(loc, message.removeprefix(WARNING), "S371", "warning")))
        return found


def _always(when: When) -> bool:
    """A `when` with no condition at all holds for every reply."""
    return not (when.all or when.any or when.none or when.action or when.silent is not None
                or when.mood or when.turn or when.state_turn or when.known or when.not_known)


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _reachable_all(starts: set[str], edges: dict[str, set[str]]) -> set[str]:
    """Every state reachable from `starts` along `edges` (breadth first)."""
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
