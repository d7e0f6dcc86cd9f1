"""The scenario engine: a Session drives a `transitions` Machine generated from a scenario's states.

Each state's rules become ordered transitions on one trigger (`respond`); their conditions are
session methods bound to the rule, so the first rule whose `when` holds fires, then the state's
reactions (on_taboo, on_closing), the retry-exhaustion transition, and the miss that fits the reply
(silence, off-track, filler: see misses.py). Deterministic: one random.Random(seed) per session.
"""

from __future__ import annotations

import random
from datetime import datetime, UTC
from typing import TYPE_CHECKING, Any

from roleplay.core.matching.matcher import MAX_REPLY_CHARS
from roleplay.core.conversation.conditions import describe_when  # noqa: F401 - kept importable from here
from roleplay.core.conversation.conditions import said_names, scenario_captures, within
from roleplay.core.conversation.lines import plain, rephrased, without_repeats
from roleplay.core.conversation.machine import TRIGGER, WALK_OUT, scenario_machine
from roleplay.core.conversation.memory import Memory
from roleplay.core.conversation.misses import (BUILTIN, CARD, CLOSING, NOTE, OFF_TRACK, PHONE_CLOSED, RASH, RUDE,
                                               SILENCE, Answer, below_bar_ending, miss_answer, miss_kind,
                                               promise_categories, rash_answer, reaction)
from roleplay.core.conversation.results import ScoreSheet, TurnResult
from roleplay.core.conversation.turn import Reply, Step, as_written
from roleplay.core.scenario.model import AnswerRule, Exhausted, Objective, Reaction, Rule, Scenario, StateSpec, When, fill

if TYPE_CHECKING:
    from roleplay.core.matching.memo import RememberingMatcher
    from roleplay.core.phrasebook.book import Phrasebook

DEFAULT_TRAINEE = {"zh": "小王", "en": "Alex"}
_OVER = {"zh": "对话已经结束。", "en": "The conversation is over."}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Session:
    """One attempt at one scenario. See the Engine API in docs/scenario-format.md."""

    state: str  # the current state id, set by the scenario's machine as the session's transitions fire

    def __init__(self, scenario: Scenario, phrasebook: Phrasebook, seed: int = 0, trainee: str | None = None,
                 mode: str = "practice"):
        self.scenario = scenario
        self.phrasebook = phrasebook
        self.seed = seed
        self.lang = scenario.language
        self.trainee = trainee or scenario.trainee_name or DEFAULT_TRAINEE[self.lang]
        self.mode = mode
        self.rng = random.Random(seed)
        self.matcher: RememberingMatcher = scenario.matcher_for(phrasebook)
        self.mood = scenario.persona.mood
        self.turns: list[TurnResult] = []
        self.transcript: list[tuple[str, str]] = []
        self.prepared: list[str] = []
        self.visited: list[str] = [scenario.start]
        self.ended = False
        self.outcome: str | None = None
        self.started_at = _now()
        self.finished_at: str | None = None
        self._values = {
            "client.name": scenario.persona.name, "client.company": scenario.persona.company,
            "client.role": scenario.persona.role, "trainee.name": self.trainee,
        }
        self.memory = Memory(self.lang, phrasebook.slots.get(self.lang, {}), scenario.persona.name,
                             scenario_captures(scenario, phrasebook), random.Random(seed),
                             phrasebook.cue("not_negation", self.lang))
        self.negative = {cid for cid, cat in self.matcher.phrasebook.categories.items() if cat.negative}
        self.promises = promise_categories(scenario)
        self._rash: Answer | None = None  # the client's reaction to a rash move in the reply being handled
        self._said: set[str] = set()  # client lines said so far: variants rotate before any repeats
        self.said_lines: list[str] = []  # every client line in order (one per say list), for fairness checks
        self.said_sources: list[tuple[str, ...]] = []  # the variants each of them was picked from
        self._kind: str | None = None  # miss kind of the reply being handled
        self._silences = 0  # consecutive silent replies (phone practice)
        self._facts: dict[str, list[str]] = {}
        self._last: Reply | None = None
        self._state_turns = 0
        self._fallbacks = 0
        self._answered: set[str] = set()  # answers given in the current state
        self._handling = False  # true while the machine evaluates the current reply
        self._step = Step()
        self.machine = scenario_machine(scenario)
        self.state = scenario.start
        self.opening = self._say(scenario.states[scenario.start].say)
        if self.opening:
            self.transcript.append(("client", self.opening))
        self._check_final()

    # machine ------------------------------------------------------------------------------------
    def trigger(self, name: str) -> bool:
        """Run one event of the scenario's shared machine (machine.py) on this session."""
        event = self.machine.events.get(name)
        return bool(event.trigger(self)) if event is not None else False

    def rule_holds(self, when: When, reply: Reply | None = None) -> bool:
        """Does the reply (default: the one being handled) satisfy a rule's `when`?"""
        reply = reply or self._last
        if reply is None:
            return False
        if when.silent is not None and when.silent != reply.silent:
            return False
        if when.action is not None and reply.action != when.action:
            return False
        labels = reply.labels
        if "taboo" in labels and not self.negative & {*when.all, *when.any}:
            # every rule has an implicit `none: [taboo]` unless it listens for taboo or another negative move:
            # a coach's own reaction to a rash or rude move is more specific than the scenario's on_taboo
            return False
        if when.known and not all(self.memory.known(f) for f in when.known):
            return False
        if any(self.memory.known(f) for f in when.not_known):
            return False
        if when.all and not all(c in labels for c in when.all):
            return False
        if when.any and not any(c in labels for c in when.any):
            return False
        if any(c in labels for c in when.none):
            return False
        turn = len(self.turns) + 1  # the reply being handled (or, in the debug view, the next one)
        state_turn = self._state_turns if self._handling else self._state_turns + 1
        return (within(when.mood, self.mood) and within(when.turn, turn)
                and within(when.state_turn, state_turn))

    def retries_exhausted(self, st: StateSpec) -> bool:
        if self._kind == RASH or (self._kind in (NOTE, CARD) and not (self.scenario.kind == "call" and self._kind == CARD)):
            return False  # a note, a card or a rash move is answered, not counted: it never uses up the state's patience
        own = reaction(self.scenario, st, "on_silence")
        if self._kind == SILENCE and self.scenario.kind == "call" and (own is None or own.goto is None):
            return False  # the phone practice handles silence on a call
        return st.retries is not None and self._fallbacks >= st.retries

    def _is_kind(self, kind: str) -> bool:
        if kind == CLOSING:
            return self._kind == OFF_TRACK and self._last is not None and "closing" in self._last.labels
        return self._kind == kind

    def _heard_well(self) -> bool:
        # answers: never to rudeness as if it were a move, nor to a note (the client does not hear what is
        # written), nor to a reply with a rash move in it (the client reacts to that and waits for the state's move)
        return self._kind not in (RUDE, NOTE) and not (self._last is not None and self._last.labels & self.negative)

    def _fire_reaction(self, key: str, react: Reaction) -> None:
        self._step.rule = key
        self._step.miss = RUDE if key == "on_taboo" else None
        self._rash = None
        default = getattr(self.scenario.spec, key)
        spare = default.say if default is not None and default is not react else None
        self._effect(react.say, react.mood, react.feedback, moved=react.goto is not None, spare=spare)

    def _fire_rule(self, rid: str, rule: Rule, st: StateSpec) -> None:
        self._step.rule = rid
        # a rule that stays may fire again: once its own lines are used, the state's nudge says it afresh
        nudge = reaction(self.scenario, st, "on_off_track") if rule.goto is None else None
        self._effect(rule.say, rule.mood, rule.feedback, moved=rule.goto is not None,
                     spare=nudge.say if nudge is not None else None)

    def _fire_answer(self, answer: AnswerRule, st: StateSpec) -> None:
        self._step.rule = answer.id
        self._fallbacks += answer.id in self._answered  # told the same thing twice in one state: uses up patience
        self._answered.add(answer.id)
        nudge = reaction(self.scenario, st, "on_off_track")  # once its lines are used: restate what the client wants
        agreed = self.memory.agreed  # an answer may say an offered time back; only a rule of the state agrees it
        self._effect(answer.say, answer.mood, answer.feedback, moved=False, spare=nudge.say if nudge is not None else None)
        self.memory.agreed = agreed

    def _fire_exhausted(self, exhausted: Exhausted) -> None:
        self._step.rule = "on_exhausted"
        self._effect(exhausted.say, exhausted.mood, exhausted.feedback, moved=True)

    def _fire_miss(self, st: StateSpec) -> None:
        if self._last is not None and self._last.action == "end":  # leaving without a rule for it
            self._fallbacks += 1
            self._effect([], 0, None, moved=False)
            self._step.lines.append(BUILTIN[self.lang]["bye"])
            self._finish("abandoned")
            return
        answer = miss_answer(self.scenario, st, self._kind or OFF_TRACK, self._silences)
        self._fallbacks += answer.counts
        # a note or a card is a recognised move (the client waits), not a miss
        self._step.rule, self._step.miss = (answer.kind, None) if answer.kind in (NOTE, CARD) else (None, answer.kind)
        if answer.kind == RASH:
            self._step.rule, self._step.miss = "on_rash", None  # answered: the reaction to the promise
        self._effect(answer.say, answer.mood, answer.feedback, moved=answer.goto is not None, spare=answer.spare)
        if answer.kind == "phone_close":
            self._finish(PHONE_CLOSED)

    def _effect(self, say: list[str], mood: int, feedback: str | None, moved: bool,
                spare: list[str] | None = None) -> None:
        self._speak(say, spare)
        self._step.delta += mood
        self.mood = max(-100, min(100, self.mood + mood))
        if feedback:
            self._step.feedback.append(fill(feedback, self._values))
        self._step.moved = moved

    def _say(self, variants: list[str], spare: list[str] | None = None) -> str:
        """One variant, filled: never one whose facts are unknown, and a fresh one before any repeats.

        `spare`: the scenario-wide lines of the same reaction, said when the state's own are used up.
        """
        if not variants:
            return ""
        values = self._values | {k: plain(v) for k, v in self.memory.values().items()}  # plain speech, no quotes
        usable = [v for v in variants if all(n in values for n in said_names(v))] or variants
        # a line that can repeat back what the trainee said wins over a generic one
        usable = [v for v in usable if said_names(v)] or usable
        filled = [_tidy(fill(v, values)) for v in usable]
        extra = [_tidy(fill(v, values)) for v in spare or [] if not said_names(v)]
        fresh = [line for line in filled if line not in self._said] \
            or [line for line in extra if line not in self._said]
        # every variant heard already: said again in other words (You haven't answered me. …), never word for word
        line = self.rng.choice(fresh) if fresh else rephrased(self.rng.choice(filled), self.lang, self._said)
        self.said_sources.append(tuple(dict.fromkeys(filled + extra)))
        names = said_names(next((v for v, f in zip(usable, filled, strict=False) if f == line), ""))
        if "said.time" in names:
            self.memory.agreed = True  # the client said the time back: it is agreed
        elif "said.deadline" in names and self.memory.known("time"):
            self.memory.agree_on(values["said.deadline"])  # it picked the deadline among the times offered
        self._said.add(line)
        self.said_lines.append(line)
        return line

    def _speak(self, variants: list[str], spare: list[str] | None = None) -> None:
        line = without_repeats(self._step.lines, self._say(variants, spare), self.lang)
        if line:  # a sentence or a narration already said in this turn is not said twice
            self._step.lines.append(line)

    def _enter(self) -> None:
        """After a move: reset the per-state counters and let the new state speak."""
        self._state_turns = 0
        self._fallbacks = 0
        self._answered = set()
        st = self.scenario.states[self.state]
        if st.final and st.outcome == "success" and self.mood < self.mood_bar(st):
            self._below_bar(st)
            return
        self.visited.append(self.state)
        self._speak(st.say)
        self._check_final()

    def mood_bar(self, st: StateSpec) -> int:
        """The mood a success ending needs."""
        return self.scenario.success_mood if st.min_mood is None else st.min_mood

    def _below_bar(self, st: StateSpec) -> None:
        """A success ending below the mood bar: go to its below_mood ending, else a partial one."""
        target = below_bar_ending(self.scenario, st, self.state)
        if target is None:  # no partial ending written: a neutral line, outcome partial
            self.visited.append(self.state)
            self._step.lines.append(BUILTIN[self.lang]["below_mood"])
            self._finish("partial")
            return
        self.machine.set_state(target, model=self)
        self.visited.append(self.state)
        self._speak(self.scenario.states[target].say)
        self._check_final()

    def _check_final(self) -> None:
        st = self.scenario.states[self.state]
        if st.final:
            self._finish(st.outcome)

    def _finish(self, outcome: str | None) -> None:
        if not self.ended:
            self.ended = True
            self.outcome = outcome
            self.finished_at = _now()

    # public API ---------------------------------------------------------------------------------
    @property
    def current(self) -> StateSpec:
        return self.scenario.spec.states[self.state]

    def prepare(self, item_ids: list[str]) -> None:
        """Record the preparation checklist picks (known ids only, in the order given)."""
        known = {c.id for c in self.scenario.checklist}
        self.prepared = [i for i in dict.fromkeys(item_ids) if i in known]

    def parse(self, text: str) -> Reply:
        """Split an /action command from the text and match the text against the phrasebook."""
        text = (text or "")[:MAX_REPLY_CHARS]
        stripped = text.strip()
        action = unknown = None
        if stripped.startswith("/"):
            head, _, rest = stripped[1:].partition(" ")
            if self.scenario.action(head.lower()):
                action, text = head.lower(), rest
            else:
                unknown, text = head, ""
        if not text.strip():
            return Reply(text, action, unknown)
        result = self.matcher.match(text)
        if action == "note":
            result = as_written(result)
        return Reply(text, action, unknown, result, frozenset(result.labels))

    def reply(self, text: str) -> TurnResult:
        """Handle one trainee reply (text, /action, or silence) and return what happened."""
        raw = (text or "")[:MAX_REPLY_CHARS]
        if self.ended:
            return TurnResult(len(self.turns) + 1, self.state, raw, client="", mood=self.mood,
                              next_state=self.state, ended=True, outcome=self.outcome, feedback=[_OVER[self.lang]])
        reply = self.parse(raw)
        before = self.state
        mood_before = self.mood
        self._last = reply
        self._kind = miss_kind(reply.silent, reply.labels, reply.action, self.negative)
        self._silences = self._silences + 1 if reply.silent else 0
        self._facts = self.memory.capture(reply.text) if not reply.silent and reply.action != "note" else {}  # not heard
        self._step = Step()
        self.transcript.append(("trainee", raw))
        if reply.unknown_action is not None:
            known = " ".join("/" + a.id for a in self.scenario.actions)
            self._step.feedback.append(f"/{reply.unknown_action}: unknown action (available: {known})")
        else:
            self._state_turns += 1
            rash = set() if self._kind == RUDE or reply.action == "note" else set(reply.labels & self.negative)
            kind = next((m.kind for m in (reply.match.matches if reply.match else []) if m.category in rash and m.kind),
                        None)
            self._rash = rash_answer(self.scenario, self.current, rash, self.promises, kind)
            if self._rash is not None and self._rash.goto is None:  # the client reacts, then hears the rest
                self._effect(self._rash.say, self._rash.mood, self._rash.feedback, moved=False)
            self._handling = True
            try:
                self.trigger(TRIGGER)
            finally:
                self._handling = False
            if self._step.moved:
                self._enter()
            patience = self.scenario.patience
            if not self.ended and patience and self.mood < patience.mood_below and self.state != patience.goto:
                self.trigger(WALK_OUT)
                self._enter()
        if not self.ended and len(self.turns) + 1 >= self.scenario.max_turns:
            self._finish("timeout")
        turn = self._turn_result(raw, reply, before, mood_before)
        self.turns.append(turn)
        if turn.client:
            self.transcript.append(("client", turn.client))
        return turn

    def _turn_result(self, raw: str, reply: Reply, before: str, mood_before: int) -> TurnResult:
        from roleplay.core.conversation.inspect import turn_result

        return turn_result(self, raw, reply, before, mood_before)

    def hints(self) -> list[tuple[str, str]]:
        """(category id, phrase) for the categories the current state's rules listen for (none in assessments)."""
        from roleplay.core.conversation.inspect import hints

        return hints(self)

    def objectives(self) -> list[Objective]:
        from roleplay.core.conversation.scoring import evaluate_checks

        return [Objective(c.id, c.description, c.passed) for c in evaluate_checks(self)]

    def debug(self) -> dict[str, Any]:
        """State, mood, which rules of the current state the last reply would fire, its raw scores, memory."""
        from roleplay.core.conversation.inspect import debug

        return debug(self)

    def score_sheet(self) -> ScoreSheet:
        from roleplay.core.conversation.scoring import score_session

        return score_session(self)

    @classmethod
    def replay(cls, scenario: Scenario, phrasebook: Phrasebook, seed: int, trainee: str | None, mode: str,
               replies: list[str], prepared: list[str] | None = None) -> Session:
        """Rebuild a session deterministically from its replies (resume, rescore)."""
        session = cls(scenario, phrasebook, seed=seed, trainee=trainee, mode=mode)
        session.prepare(prepared or [])
        for text in replies:
            if session.ended:
                break
            session.reply(text)
        return session


def _tidy(line: str) -> str:
    """A filled line as said: no unfilled {said.*} left (never template syntax), a capital first letter."""
    for name in said_names(line):
        line = line.replace("{" + name + "}", "")
    return line[0].upper() + line[1:] if line[:1].islower() else line
