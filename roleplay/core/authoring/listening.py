"""Does the client listen? Fairness counts over played attempts (playthroughs, generated replies).

Counted per attempt: client lines written for silence that answered a spoken reply, client lines
repeated word for word while another variant was still unused, success endings below the mood bar,
outcome/pass contradictions the score sheet does not explain, and spoken turns no rule took.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.core.conversation.engine import Session
from roleplay.core.conversation.outcomes import BAD, GOOD
from roleplay.core.scenario.model import Scenario
from roleplay.core.scenario.reactions_check import sounds_silent

if TYPE_CHECKING:
    from roleplay.core.conversation.results import TurnResult
    from roleplay.core.phrasebook.book import Phrasebook


@dataclass
class Counts:
    """What went wrong in one or more attempts (all should be 0 except the no-rule turns)."""

    attempts: int = 0
    turns: int = 0
    silence_after_speech: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    low_mood_success: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    spoken_turns: int = 0
    no_rule_turns: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("attempts", "turns", "spoken_turns"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("silence_after_speech", "repeats", "low_mood_success", "unexplained", "no_rule_turns"):
            getattr(self, name).extend(getattr(other, name))

    @property
    def no_rule_share(self) -> float:
        return len(self.no_rule_turns) / self.spoken_turns if self.spoken_turns else 0.0


def attempt_counts(session: Session, label: str = "") -> Counts:
    """The fairness counts of one played session."""
    counts = Counts(attempts=1, turns=len(session.turns))
    where = label or session.scenario.id
    lang = session.lang
    for turn in session.turns:
        spoken = bool(turn.reply.strip())
        if spoken:
            counts.spoken_turns += 1
            if turn.rule in (None, "on_exhausted"):
                counts.no_rule_turns.append(f"{where} #{turn.turn}: {turn.reply}")
            if turn.miss is not None and sounds_silent(turn.client, lang):
                counts.silence_after_speech.append(f"{where} #{turn.turn}: {turn.reply} -> {turn.client}")
    seen: list[str] = []
    for line, source in zip(session.said_lines, session.said_sources, strict=False):
        # a repeat is avoidable while another (spoken) variant it was picked from is still unused
        others = [v for v in source if v != line and not sounds_silent(v, lang)]
        if line in seen and any(v not in seen for v in others):
            counts.repeats.append(f"{where}: {line}")
        seen.append(line)
    if session.ended and session.outcome == "success":
        st = session.scenario.states[session.state]
        if session.mood < session.mood_bar(st):
            counts.low_mood_success.append(f"{where}: success at mood {session.mood}")
    sheet = session.score_sheet()
    differs = (sheet.outcome in GOOD and not sheet.passed) or (sheet.outcome in BAD and sheet.passed) \
        or (sheet.outcome == "partial" and sheet.passed)
    if sheet.ended and differs and not sheet.verdict_note:
        counts.unexplained.append(f"{where}: {sheet.outcome} but {'passed' if sheet.passed else 'failed'}")
    return counts


FILLER = {"zh": ["嗯", "那个", "就是", "哦"], "en": ["um", "well", "ok", "hmm"]}
COURTESY = {"zh": ["好的，谢谢您。", "明白了，您说得对。", "您好，打扰您了。"],
            "en": ["Thank you.", "I see, that makes sense.", "Hello, sorry to bother you."]}
RUDE = {"zh": ["你烦不烦啊", "这不归我管"], "en": ["That's not my problem.", "Whatever."]}


def generated_play(scenario: Scenario, phrasebook: Phrasebook, seed: int) -> Session:
    """A seeded trainee mixing the moves the state listens for with silence, filler, courtesy and rudeness."""
    import random

    rng = random.Random(seed)
    lang = scenario.language
    session = Session(scenario, phrasebook, seed=seed)
    mix = ["hint", "hint", "hint", "silence", "filler", "courtesy", "rude"] if seed % 3 else ["hint"] * 6 + ["courtesy"]
    while not session.ended and len(session.turns) < scenario.max_turns:
        kind = rng.choice(mix)
        hints = session.hints()
        if kind == "hint" and hints:
            text = "，".join(p for _, p in rng.sample(hints, min(2, len(hints)))) if lang == "zh" else \
                ", ".join(p for _, p in rng.sample(hints, min(2, len(hints))))
        elif kind == "silence":
            text = ""
        elif kind == "filler":
            text = rng.choice(FILLER[lang])
        elif kind == "rude":
            text = rng.choice(RUDE[lang])
        else:
            text = rng.choice(COURTESY[lang])
        session.reply(text)
    return session


# what an author may mark a reply as, and the labels that count as the matcher catching it
MARKS = {"rude": frozenset({"taboo"}), "rash": frozenset({"taboo", "compliance"})}


@dataclass
class Playthrough:
    """One blind play: a scenario, the kind of trainee (good | poor | mixed) and the replies."""

    path: str
    scenario: str
    trainee: str
    replies: list[str]
    prepared: list[str] = field(default_factory=list)
    seed: int = 0
    marks: dict[int, str] = field(default_factory=dict)  # 1-based reply -> rude | rash, as the author meant it


def load_playthrough(path: str | Path) -> Playthrough:
    """Read a playthrough YAML file (tests/data/playthroughs/README.md); ContentError with a location if broken."""
    from roleplay.core.content.problems import ContentError
    from roleplay.core.content.yamlsafe import load_yaml

    doc = load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    trainee = data.get("trainee")
    if not isinstance(data.get("scenario"), str) or trainee not in ("good", "poor", "mixed") \
            or not isinstance(data.get("replies"), list):
        raise ContentError([doc.problem((), "a playthrough needs `scenario:`, `trainee: good|poor|mixed` and `replies:`")])
    replies = ["" if r is None else str(r) for r in data["replies"]]
    raw_marks = data.get("marks") or {}
    marks = {int(k): v for k, v in raw_marks.items() if str(k).isdigit()} if isinstance(raw_marks, dict) else {}
    bad_mark = not isinstance(raw_marks, dict) or len(marks) != len(raw_marks) or any(
        not 1 <= k <= len(replies) or v not in MARKS for k, v in marks.items())
    if bad_mark:
        raise ContentError([doc.problem(("marks",), "`marks:` maps a reply number (1 to the number of replies) "
                                        "to `rude` or `rash`")])
    return Playthrough(str(path), data["scenario"], trainee, replies, [str(p) for p in data.get("prepared") or []],
                       int(data.get("seed") or 0), dict(marks))


@dataclass
class PlayResult:
    play: Playthrough
    session: Session
    passed: bool
    total: float
    counts: Counts


def replay_playthroughs(plays: list[Playthrough], phrasebook: Phrasebook) -> list[PlayResult]:
    from roleplay.core.scenario.library import find_scenario

    results = []
    for play in plays:
        scenario = find_scenario(play.scenario)
        session = Session.replay(scenario, phrasebook, play.seed, None, "practice", play.replies, play.prepared)
        sheet = session.score_sheet()
        label = f"{play.scenario}.{play.trainee}"
        results.append(PlayResult(play, session, sheet.passed, sheet.total, attempt_counts(session, label)))
    return results


def report(results: list[PlayResult]) -> dict[str, Any]:
    """The figures the issue asks for: pass rates by trainee kind, the 0-counts, the no-rule share of good turns."""
    by_kind: dict[str, list[PlayResult]] = {"good": [], "poor": [], "mixed": []}
    total = Counts()
    good = Counts()
    for result in results:
        by_kind[result.play.trainee].append(result)
        total.add(result.counts)
        if result.play.trainee == "good":
            good.add(result.counts)
    return {
        "playthroughs": len(results),
        "scenarios": len({r.play.scenario for r in results}),
        "good_pass_rate": _rate(by_kind["good"]), "poor_pass_rate": _rate(by_kind["poor"]),
        "mixed_pass_rate": _rate(by_kind["mixed"]),
        "silence_after_speech": len(total.silence_after_speech), "repeats": len(total.repeats),
        "low_mood_success": len(total.low_mood_success), "unexplained": len(total.unexplained),
        "good_turns": good.spoken_turns, "good_no_rule_turns": len(good.no_rule_turns),
        "good_no_rule_share": round(good.no_rule_share, 3),
        "good_failed": [r.play.path for r in by_kind["good"] if not r.passed],
        "poor_passed": [r.play.path for r in by_kind["poor"] if r.passed],
        "no_rule_examples": good.no_rule_turns[:20],
        **_marked(results),
    }


def _marked(results: list[PlayResult]) -> dict[str, Any]:
    """Replies the authors wrote as rude or as a rash promise/threat, and which of them nothing flagged."""
    marked: dict[str, int] = {"rude": 0, "rash": 0}
    missed: dict[str, list[str]] = {"rude": [], "rash": []}
    for result in results:
        turns = result.session.turns
        for number, kind in sorted(result.play.marks.items()):
            # replies after the conversation ended were never played: they cannot be flagged
            turn = turns[number - 1] if number <= len(turns) else None
            if turn is None:
                continue
            marked[kind] += 1
            if not charged(turn, kind):
                missed[kind].append(f"{result.play.scenario}.{result.play.trainee} #{number}: {turn.reply}")
    return {"marked_rude": marked["rude"], "marked_rash": marked["rash"],
            "rude_flagged": _share(marked["rude"] - len(missed["rude"]), marked["rude"]),
            "rash_flagged": _share(marked["rash"] - len(missed["rash"]), marked["rash"]),
            "rude_unflagged": missed["rude"], "rash_unflagged": missed["rash"]}


def charged(turn: TurnResult, kind: str) -> bool:
    """Whether the sheet charges a marked reply with a fault: a shared taboo or compliance category, or the
    scenario's own negative move (a wrong rule stated, a local rash promise)."""
    return bool(MARKS[kind] & set(turn.labels) or turn.taboo)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _rate(results: list[PlayResult]) -> float | None:
    """Share of these plays that passed, to three places (None when there are none)."""
    return round(sum(r.passed for r in results) / len(results), 3) if results else None
