"""Every shipped scenario: its in-file tests pass, and rude-only or filler-only trainees fail it."""

import pytest

from roleplay.core.engine import Session
from roleplay.core.scenario import discover_scenarios
from roleplay.core.scenario_tests import run_scenario_tests

SHIPPED = discover_scenarios()
STARTERS = {"zh_visit_group_first", "zh_complaint_qixintong_fees", "en_call_busy_owner"}
RUDE = {
    "zh": ["这不归我管", "你自己看着办", "你怎么连这个都不懂", "爱办不办", "跟我说有什么用"],
    "en": ["that's not my problem", "figure it out yourself", "are you stupid", "whatever", "not my job"],
}
FILLER = {"zh": ["嗯", "啊", "ok", "嗯嗯", "哦"], "en": ["ok", "hmm", "uh", "yeah", "ok ok"]}


def ids(scenarios):
    return [s.id for s in scenarios]


def test_the_starter_scenarios_ship():
    assert STARTERS <= set(ids(SHIPPED))


@pytest.mark.parametrize("scenario", SHIPPED, ids=ids(SHIPPED))
def test_in_file_tests_pass(scenario, phrasebook):
    report = run_scenario_tests(scenario, phrasebook)
    failures = {o.name: o.failures for o in report.outcomes if not o.passed}
    assert not failures
    if scenario.id in STARTERS:
        assert len(report.outcomes) >= 3
        verdicts = [o.sheet.passed for o in report.outcomes]
        assert True in verdicts and verdicts.count(False) >= 2  # a model answer passes; rude and partial fail


@pytest.mark.parametrize("kind", ["rude", "filler"])
@pytest.mark.parametrize("scenario", SHIPPED, ids=ids(SHIPPED))
def test_rude_or_filler_only_trainee_fails(scenario, phrasebook, kind):
    lines = (RUDE if kind == "rude" else FILLER)[scenario.language]
    replies = [lines[i % len(lines)] for i in range(scenario.max_turns)]
    session = Session.replay(scenario, phrasebook, 0, None, "practice", replies, [])
    sheet = session.score_sheet()
    assert session.ended, f"{scenario.id}: still running after {scenario.max_turns} {kind} replies"
    assert not sheet.passed, f"{scenario.id}: {kind}-only replies scored {sheet.total}/{sheet.max}"
    assert sheet.outcome != "success"
