"""Run the tests written inside scenario files: replay scripted replies, compare with `expect`, track coverage."""

from __future__ import annotations

from dataclasses import dataclass, field

from roleplay.core.conversation.engine import Session
from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.phrasebook.book import Phrasebook
from roleplay.core.scenario.model import Scenario, ScenarioTest


@dataclass
class TestOutcome:
    """One in-file test: passed or not, with expected-vs-actual lines for each mismatch."""

    name: str
    passed: bool
    failures: list[str]
    visited: list[str]
    sheet: ScoreSheet
    line: int = 1
    col: int = 1


@dataclass
class ScenarioReport:
    """All tests of one scenario and which of its states they visited."""

    scenario: Scenario
    outcomes: list[TestOutcome] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def visited(self) -> set[str]:
        return {s for o in self.outcomes for s in o.visited}

    @property
    def unvisited(self) -> list[str]:
        return [sid for sid in self.scenario.states if sid not in self.visited]

    @property
    def rules(self) -> list[str]:
        return [r.id or f"{sid}_{i + 1}" for sid, st in self.scenario.states.items() for i, r in enumerate(st.rules)]

    @property
    def unfired(self) -> list[str]:
        """Rules no test made fire (a rule only a rude or odd reply fires deserves a test too)."""
        fired = {t.rule for o in self.outcomes for t in o.sheet.turns if t.rule}
        return [rid for rid in self.rules if rid not in fired]

    @property
    def coverage(self) -> float:
        states = list(self.scenario.states)
        return len(self.visited & set(states)) / len(states) if states else 1.0


def compare(test: ScenarioTest, session: Session, sheet: ScoreSheet) -> list[str]:
    """Expected-vs-actual lines for every `expect` field that does not hold."""
    expect = test.expect
    failures = []
    if expect.state is not None and session.state != expect.state:
        failures.append(f"state: expected {expect.state}, got {session.state}")
    if expect.outcome is not None and session.outcome != expect.outcome:
        failures.append(f"outcome: expected {expect.outcome}, got {session.outcome or '(not ended)'}")
    if expect.ended is not None and session.ended != expect.ended:
        failures.append(f"ended: expected {str(expect.ended).lower()}, got {str(session.ended).lower()}")
    if expect.passed is not None and sheet.passed != expect.passed:
        failures.append(f"passed: expected {str(expect.passed).lower()}, got {str(sheet.passed).lower()} "
                        f"(score {sheet.total:g}/{sheet.max:g}, pass mark {sheet.pass_mark:g})")
    score = expect.score
    if score is not None:
        low = score.min if score.min is not None else float("-inf")
        high = score.max if score.max is not None else float("inf")
        if not low <= sheet.total <= high:
            shown = f"{'' if score.min is None else f'{score.min:g}'}..{'' if score.max is None else f'{score.max:g}'}"
            failures.append(f"score: expected {shown}, got {sheet.total:g}")
    return failures


def run_test(scenario: Scenario, phrasebook: Phrasebook, test: ScenarioTest, index: int = 0) -> TestOutcome:
    session = Session.replay(scenario, phrasebook, test.seed, test.trainee, "practice", test.replies, test.prepared)
    sheet = session.score_sheet()
    failures = compare(test, session, sheet)
    unused = len(test.replies) - len(session.turns)
    if unused > 0 and not failures:
        failures.append(f"replies: the scenario ended after {len(session.turns)} replies; "
                        f"{unused} more were never used (remove them or check the script)")
    line, col = scenario.marks.get(("tests", index), (1, 1))
    return TestOutcome(test.name, not failures, failures, list(dict.fromkeys(session.visited)), sheet, line, col)


def run_scenario_tests(scenario: Scenario, phrasebook: Phrasebook) -> ScenarioReport:
    report = ScenarioReport(scenario)
    for i, test in enumerate(scenario.tests):
        report.outcomes.append(run_test(scenario, phrasebook, test, i))
    return report
