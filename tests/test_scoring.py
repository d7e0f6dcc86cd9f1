"""Rubric checks: every kind scores, explains its points with evidence and suggests a phrase when missed."""

import json

import pytest

from roleplay.core.conversation.engine import Session
from roleplay.core.reports.render import render_sheet, transcript_text
from roleplay.core.conversation.results import ScoreSheet
from tests.conftest import write_scenario

SCENARIO = """
id: scoring_probe
title: 评分测试
language: zh
kind: complaint
difficulty: easy
brief: 先安抚，再解释。
persona: {name: 刘经理, mood: -20}
categories:
  soothe: {name: 安抚, phrases: [红苹果香蕉橙子]}
  explain: {name: 解释, phrases: [蓝天白云大海]}
  rude: {name: 粗, negative: true, phrases: [臭鸡蛋烂番茄]}
checklist:
  - {id: a, label: 甲, correct: true}
  - {id: b, label: 乙, correct: true}
  - {id: x, label: 错, correct: false}
start: angry
states:
  angry:
    rules:
      - {id: calm, when: {any: [soothe]}, mood: 30, goto: calm}
    fallback: {mood: -5}
    retries: 5
    on_exhausted: {goto: lost}
  calm:
    rules:
      - {id: done, when: {any: [explain]}, mood: 10, goto: won}
    retries: 5
    on_exhausted: {goto: lost}
  won: {final: true, outcome: success}
  lost: {final: true, outcome: failure}
rubric:
  pass_mark: 60
  checks:
    - {id: order, description: 先安抚后解释, points: 20, order: {first: soothe, then: explain}}
    - {id: soothe_early, description: 第一句安抚, points: 10, said: soothe, within_turns: 1}
    - {id: explain_in_calm, description: 平静后解释, points: 10, said: explain, in_state: calm}
    - {id: twice, description: 安抚两次, points: 10, said: soothe, min_times: 2}
    - {id: card, description: 递名片, points: 10, did: card}
    - {id: prep, description: 准备, points: 10, checklist: true}
    - {id: won, description: 解决, points: 10, reach: won}
    - {id: quick, description: 三句内解决, points: 10, turn_budget: {max: 3}}
    - {id: mood, description: 心情转好, points: 10, final_mood: 10}
    - {id: polite, description: 不说粗话, points: 10, never: rude, penalty: 15, hard_fail: true}
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return write_scenario(tmp_path_factory.mktemp("scoring"), SCENARIO)


def sheet_of(scenario, phrasebook, replies, prepared=()):
    return Session.replay(scenario, phrasebook, 0, "小王", "practice", replies, list(prepared)).score_sheet()


def checks(sheet):
    return {c.id: c for c in sheet.checks}


def test_model_attempt_scores_and_explains_every_point(scenario, phrasebook):
    sheet = sheet_of(scenario, phrasebook, ["/card 红苹果香蕉橙子", "蓝天白云大海"], ["a", "b"])
    c = checks(sheet)
    assert sheet.outcome == "success" and sheet.final_state == "won" and sheet.ended
    assert c["order"].passed and c["soothe_early"].passed and c["explain_in_calm"].passed
    assert c["card"].passed and c["prep"].points == 10 and c["won"].passed and c["quick"].passed
    assert c["mood"].passed and c["polite"].passed and not c["twice"].passed
    assert sheet.total == 100 and sheet.max == 110 and sheet.passed
    for check in sheet.checks:
        if check.passed and check.kind in ("said", "order"):
            assert check.evidence and check.turns, check
            assert "≈" in check.evidence[0] and "100" in check.evidence[0]
    assert "第 1 句" in c["order"].evidence[0] and "之前" in c["order"].evidence[0]


def test_every_missed_check_has_a_suggestion(scenario, phrasebook):
    sheet = sheet_of(scenario, phrasebook, ["蓝天白云大海", "臭鸡蛋烂番茄"], ["x"])
    for check in sheet.checks:
        if not check.passed:
            assert check.suggestion, check.id
    c = checks(sheet)
    assert "红苹果香蕉橙子" in c["order"].suggestion
    assert "/card" in c["card"].suggestion
    assert "甲" in c["prep"].suggestion and "错" in c["prep"].suggestion
    assert "红苹果香蕉橙子" in c["won"].suggestion


def test_order_fails_when_the_explanation_comes_first(scenario, phrasebook):
    c = checks(sheet_of(scenario, phrasebook, ["蓝天白云大海", "红苹果香蕉橙子", "蓝天白云大海"]))
    assert not c["order"].passed and c["order"].points == 0
    assert c["won"].passed and not c["soothe_early"].passed


def test_order_within_one_reply_uses_positions(scenario, phrasebook):
    good = checks(sheet_of(scenario, phrasebook, ["红苹果香蕉橙子，蓝天白云大海"]))
    bad = checks(sheet_of(scenario, phrasebook, ["蓝天白云大海，红苹果香蕉橙子"]))
    assert good["order"].passed and not bad["order"].passed


def test_taboo_penalty_and_hard_fail(scenario, phrasebook):
    sheet = sheet_of(scenario, phrasebook, ["红苹果香蕉橙子", "臭鸡蛋烂番茄", "臭鸡蛋烂番茄", "蓝天白云大海"], ["a", "b"])
    c = checks(sheet)
    assert c["polite"].points == -30 and c["polite"].turns == [2, 3]
    assert sheet.hard_failed == ["polite"] and not sheet.passed
    assert "臭鸡蛋烂番茄" in c["polite"].suggestion
    assert not c["quick"].passed and "3" in c["quick"].suggestion


def test_checklist_is_proportional_and_wrong_picks_cost(scenario, phrasebook):
    assert checks(sheet_of(scenario, phrasebook, [], ["a"]))["prep"].points == 5
    assert checks(sheet_of(scenario, phrasebook, [], ["a", "x"]))["prep"].points == 0
    assert checks(sheet_of(scenario, phrasebook, [], ["a", "b", "x"]))["prep"].points == 5


def test_total_is_never_negative(scenario, phrasebook):
    sheet = sheet_of(scenario, phrasebook, ["臭鸡蛋烂番茄"] * 5)
    assert sheet.total == 0 and not sheet.passed


def test_renders_text_markdown_and_json(scenario, phrasebook):
    session = Session.replay(scenario, phrasebook, 0, "小王", "practice", ["红苹果香蕉橙子", "蓝天白云大海"], [])
    sheet = session.score_sheet()
    from roleplay.core.reports.facts import ScenarioFacts

    text = render_sheet(sheet, "text", ScenarioFacts.of(scenario, phrasebook))
    order = next(c for c in sheet.checks if c.id == "order")
    assert "评分测试" in text and f"✓ {order.points:>5g}/{order.max_points:<4g} {order.description}" in text
    assert "→ 建议" in text and " order " not in text and "{" not in text  # words, never ids or templates
    md = render_sheet(sheet, "markdown")
    assert md.startswith("# 评分测试") and "| ✓ |" in md
    data = json.loads(render_sheet(sheet, "json"))
    assert {"scenario", "total", "max", "passed", "turns", "checks"} <= set(data)
    again = ScoreSheet.from_dict(data)
    assert again.total == sheet.total and again.checks[0].evidence == sheet.checks[0].evidence
    assert again.turns[0].evidence[0].phrase == "红苹果香蕉橙子"
    lines = transcript_text(session.opening, session.turns, "zh").splitlines()
    assert lines[0] == "你：红苹果香蕉橙子"  # the probe's start state has no opening line


def test_every_check_on_a_sheet_carries_evidence(scenario, phrasebook):
    sheet = sheet_of(scenario, phrasebook, ["/card 红苹果香蕉橙子", "蓝天白云大海"], ["a", "b"])
    for check in sheet.checks:
        if check.passed:
            assert check.evidence, check.id
    assert checks(sheet)["polite"].evidence == ["2 句回答中没有粗"]


def test_suggestions_never_offer_a_taboo_phrase(phrasebook):
    """A penalty check's suggestion draws on polite categories only, never on taboo phrases."""
    from roleplay.core.conversation.engine import Session
    from roleplay.core.scenario.library import find_scenario

    scenario = find_scenario("zh_bank_loan_extension")
    replies = ["吴经理您好。", "到期后再申请也可以。", "担保人不用管。", "好的，再见。"]
    session = Session.replay(scenario, phrasebook, 0, "小王", "practice", replies, None)
    sheet = session.score_sheet()
    taboo = set(session.matcher.phrasebook.phrases("taboo", "zh"))
    suggestions = [c.suggestion for c in sheet.checks if c.suggestion]
    assert any("申请时间说错" in s for s in suggestions)
    for s in suggestions:
        assert not any(f"“{t}”" in s for t in taboo), s


def test_a_turn_budget_names_a_final_state_by_its_ending_never_by_its_id(phrasebook):
    # round 9 blind play: the sheet said 第 6 句到达“booked” (a state with no description)
    from roleplay.core.conversation.engine import Session
    from roleplay.core.scenario.library import discover_scenarios

    scenario = next(s for s in discover_scenarios() if s.id == "zh_tel_call_handover_easy")
    s = Session(scenario, phrasebook)
    for reply in ("找周经理，我移动的。", "以后你们单位的业务由我负责，我想过去一趟，你什么时候有空？",
                  "那就明天吧，明天下午我过去。", "没了。挂了啊。", "好的，那就这样，再见。"):
        s.reply(reply)
    lines = [line for check in s.score_sheet().checks for line in check.evidence]
    assert any("到达“达成目标”" in line for line in lines), lines
    assert not any("booked" in line for line in lines)
