"""Over every shipped scenario (its in-file tests and seeded generated trainees): the client listens.

0 silence lines after a spoken reply, 0 repeats while a variant is unused, 0 success endings below the
mood bar, 0 outcome/pass differences the sheet does not explain.
"""

import pytest

from roleplay.core.authoring.listening import Counts, attempt_counts, generated_play
from roleplay.core.conversation.engine import Session
from roleplay.core.scenario.library import discover_scenarios

SHIPPED = discover_scenarios()


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_the_client_listens_in_every_shipped_scenario(scenario, phrasebook):
    total = Counts()
    for test in scenario.tests:
        session = Session.replay(scenario, phrasebook, test.seed, test.trainee, "practice", test.replies, test.prepared)
        total.add(attempt_counts(session, f"{scenario.id}/{test.name}"))
    for seed in range(4):
        total.add(attempt_counts(generated_play(scenario, phrasebook, seed), f"{scenario.id}/generated{seed}"))
    assert total.attempts >= 4 and total.turns > 0
    assert total.silence_after_speech == []
    assert total.repeats == []
    assert total.low_mood_success == []
    assert total.unexplained == []


def test_the_counts_catch_what_they_count(tmp_path, phrasebook):
    """Each count fails when its fault is there (faults the engine prevents are injected by hand)."""
    from dataclasses import replace

    from tests.conftest import write_scenario

    scenario = write_scenario(tmp_path, """
id: counted
title: 计数
language: zh
kind: visit
difficulty: easy
brief: 测试。
persona: {name: 陈总, mood: -50}
categories:
  alpha: {name: 甲, phrases: [红苹果香蕉橙子]}
start: door
success_mood: -100
states:
  door:
    say: 你好。
    rules:
      - {id: win, when: {any: [alpha]}, goto: won}
    fallback: {say: [你到底想说什么？, 什么？]}
  won: {final: true, outcome: success, say: 好。}
rubric:
  pass_mark: 20
  checks:
    - {id: alpha, description: 说甲, points: 10, said: alpha}
    - {id: never, description: 不说忌语, points: 10, never: taboo}
""")
    session = Session.replay(scenario, phrasebook, 0, None, "practice", ["嗯嗯", "红苹果香蕉橙子"])
    clean = attempt_counts(session)
    assert (clean.silence_after_speech, clean.repeats, clean.low_mood_success) == ([], [], [])
    assert len(clean.no_rule_turns) == 1 and clean.no_rule_share == 0.5
    session.turns[0] = replace(session.turns[0], client="喂？你在听吗？")
    session.said_lines += [session.said_lines[1]]  # said again while the other fallback line is unused
    session.said_sources += [session.said_sources[1]]
    session.mood_bar = lambda st: 0  # a bar of 0: the success at mood -50 is below it
    sheet = session.score_sheet()
    session.score_sheet = lambda: replace(sheet, passed=False, verdict_note=None)
    caught = attempt_counts(session)
    assert caught.silence_after_speech and caught.repeats and caught.low_mood_success and caught.unexplained


@pytest.mark.parametrize("scenario", SHIPPED, ids=[s.id for s in SHIPPED])
def test_never_checks_give_nothing_to_a_trainee_who_does_not_take_part(scenario, phrasebook):
    filler = {"zh": ["嗯", "", "那个", "就是"], "en": ["um", "", "well", "ok"]}[scenario.language]
    session = Session.replay(scenario, phrasebook, 0, None, "practice", filler * 4)
    sheet = session.score_sheet()
    never = [c for c in sheet.checks if c.kind == "never"]
    assert never and all(c.points == 0 and not c.passed for c in never)
    assert not set(sheet.hard_failed) & {c.id for c in never}  # not taking part is no offence
