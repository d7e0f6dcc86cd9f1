"""Shared scenario moves: natural wordings are recognised, near misses are not, and scenarios reuse them."""

# The positive lines include the wordings the blind playthroughs missed (issue 10); the rest were
# written for this test. Each negative line shares words with a move but does not perform it.

from __future__ import annotations

import pytest

from roleplay.core.content.problems import ContentError
from roleplay.core.matching.matcher import Matcher
from roleplay.core.scenario.loader import merge_local_categories
from roleplay.core.scenario.model import LocalCategory
from tests.conftest import write_scenario

ZH = {
    "call_purpose": (["这次来主要是想了解一下贵公司的经营情况", "今天给您打电话，是想跟您约个时间",
                      "好的，主要是两件事，您听我说", "一是来认识认识您"],
                     ["您今天主要忙什么", "这件事我记下了"]),
    "handover": (["小张调到别的部门了，以后华联的业务由我来接手", "原来的客户经理调岗了，今后由我负责您公司的业务"],
                 ["我们部门最近很忙"]),
    "visit_request": (["我就想约个时间上门拜访您一次", "想去贵公司当面跟您聊聊"], ["您去过我们网点吗"]),
    "propose_time": (["您看周三下午还是周四上午方便？", "明天上午十点我过来"], ["时间过得真快"]),
    "ask_needs": (["贵公司每月话费大概多少？", "这笔贷款主要用来做什么？"], ["谢谢您的支持"]),
    "offer_calculation": (["您把上三个月的账单给我，我帮您算一算能省多少", "我帮您算一笔账",
                           "话费单发给我一份，我来给您对比一下两家", "咱们算一笔五年的总账"],
                          ["账单已经寄出了", "这笔账上个月就结清了"]),
    "fair_compare": (["电信的方案也不错，我们客观比较一下", "两家的方案各有特点"], ["电信的网络很差"]),
    "explain_rule": (["按照规定，五万以上取现需要提前一天预约", "这是为了保障您的资金安全，规定是为了防止诈骗"],
                     ["我也不知道为什么"]),
    "offer_solution": (["我们可以直接转账到工人的卡上", "还有一个办法，可以分两天取"], ["没办法"]),
    "note_it": (["您说的问题我已经记下来了", "我记一下您的电话"], ["您记性真好"]),
    "callback_time": (["今天下班前给您回电", "明天上午十点之前给您答复"], ["您明天上午有空吗"]),
    "ask_contact": (["号码能留一下吗？", "您看打您办公室电话还是手机方便？"], ["您的电话坏了吗"]),
    "confirm_identity": (["请问是陈小姐吗？", "请问您是王总本人吗"], ["陈小姐您好"]),
    "collateral_documents": (["抵押的话需要房产证和评估报告", "不动产权证书原件带一下"], ["营业执照"]),
    "next_step": (["资料齐了我们会尽快安排贷前调查", "审批通过后大概三个工作日放款"], ["谢谢您"]),
}
EN = {
    "call_purpose": (["I'm calling to introduce myself as your new relationship manager",
                      "The reason for my call is your broadband renewal"], ["How are you today?"]),
    "handover": (["Kevin has moved to another branch, so I'll be looking after your account from now on",
                  "I'm taking over from Sarah as your account manager"], ["The weather has changed a lot"]),
    "visit_request": (["I'd love to visit you in person and walk you through it", "Could I drop by your office?",
                       "I need to come over and go through your lines with you"],
                      ["Have you visited our website?"]),
    "propose_time": (["Would Tuesday morning or Thursday afternoon suit you?", "How about Friday at 10?"],
                     ["Time flies, doesn't it?"]),
    "ask_needs": (["How much do you spend on calls each month?", "What will the loan be used for?"],
                  ["Thanks for your time"]),
    "offer_calculation": (["If you let me have your last three bills, I'll work out exactly what you'd save",
                           "I can put together a cost comparison for you"], ["Your bill was sent last week"]),
    "fair_compare": (["Telecom is a good company too, let's compare the two offers side by side",
                      "Let's compare them fairly"], ["Their network is rubbish"]),
    "explain_rule": (["Withdrawals over fifty thousand have to be booked a day in advance",
                      "The regulation requires us to check your ID"], ["I don't know why"]),
    "offer_solution": (["What we can do is transfer the wages straight to your workers' accounts",
                        "Another option would be to split it over two days"], ["Nothing to be done"]),
    "note_it": (["I've noted your question about the refund", "Let me write that down"], ["Nice notebook"]),
    "callback_time": (["You'll hear from me by Thursday at 5 pm at the latest",
                       "I'll get back to you within the next hour"], ["Are you free on Thursday?"]),
    "ask_contact": (["What's the easiest way to get hold of you?", "Could I take your mobile number?"],
                    ["My number has changed"]),
    "confirm_identity": (["Am I speaking to Ms Chen?", "Could I confirm your name, please?"], ["Hello Ms Chen"]),
    "collateral_documents": (["We'll need the property ownership certificate and a valuation report",
                              "Please bring the title deeds"], ["Please bring your business licence"]),
    "next_step": (["Once we have the documents we'll arrange a pre-loan investigation",
                   "The next step is a site visit"], ["Thank you"]),
}


CASES = [(lang, move, text, True) for lang, table in (("zh", ZH), ("en", EN))
         for move, (good, _bad) in table.items() for text in good]
CASES += [(lang, move, text, False) for lang, table in (("zh", ZH), ("en", EN))
          for move, (_good, bad) in table.items() for text in bad]


@pytest.mark.parametrize("lang, move, text, expected", CASES)
def test_shared_move(moves_on, lang, move, text, expected):
    result = moves_on[lang].match(text)
    assert (move in result.labels) is expected, (result.labels, result.candidates[:3])


def test_every_shared_move_is_tested_in_both_languages(phrasebook):
    shared = {cid for cid, cat in phrasebook.categories.items() if cat.move}
    assert shared == set(ZH) == set(EN)
    for cid in shared:
        assert phrasebook.phrases(cid, "zh") or phrasebook.categories[cid].templates["zh"]
        assert phrasebook.phrases(cid, "en") or phrasebook.categories[cid].templates["en"]


def test_moves_stay_out_of_plain_matching(matcher_zh):
    # `roleplay match` and scenarios that do not use a move never show it
    assert matcher_zh.match("我帮您算一笔账").labels == []


def test_local_category_reuses_a_move_and_adds_its_phrases(phrasebook):
    local = {"proof": LocalCategory(name="用数据说话", phrases=["给您看看真实案例"], moves=["offer_calculation"])}
    matcher = Matcher(merge_local_categories(phrasebook, local, "zh", "inline.yaml", {}), "zh")
    assert "proof" in matcher.match("我帮您算一笔账").labels  # from the shared family
    assert "proof" in matcher.match("给您看看真实案例").labels  # the scenario's own phrase


def test_one_kind_of_a_shared_negative(phrasebook):
    local = {"quick_discount": LocalCategory(name="急于降价", negative=True, moves=["compliance.discount"])}
    matcher = Matcher(merge_local_categories(phrasebook, local, "zh", "inline.yaml", {}), "zh")
    found = {m.category: m.kind for m in matcher.match("这个月给您打个八折").matches}
    assert found.get("quick_discount") == "discount"
    assert "quick_discount" not in matcher.match("保本保息，没有任何风险").labels  # absolute claims stay out


def test_scenario_that_names_a_move_turns_it_on(tmp_path, phrasebook):
    scenario = write_scenario(tmp_path, MOVE_SCENARIO)
    assert "offer_calculation" in scenario.matcher_for(phrasebook).match("我帮您算一笔账").labels


def test_unknown_move_or_kind_is_located(tmp_path):
    with pytest.raises(ContentError) as err:
        write_scenario(tmp_path, MOVE_SCENARIO.replace("moves: [compliance.discount]",
                                                       "moves: [compliance.discont, offer_calculaton]"))
    path = tmp_path / "probe.yaml"
    text = str(err.value)
    assert "has no kind 'discont'" in text and "shared move 'offer_calculaton' is not in the phrasebook" in text
    assert f"{path}:" in text


MOVE_SCENARIO = """
id: probe_moves
title: 测算
language: zh
kind: visit
difficulty: easy
brief: 测试
persona: {name: 王总}
categories:
  quick_discount:
    name: 急于降价
    negative: true
    moves: [compliance.discount]
start: s
states:
  s:
    say: 太贵了
    rules:
      - when: {any: [offer_calculation]}
        say: 好
        goto: done
  done: {final: true, outcome: success}
rubric:
  pass_mark: 1
  checks:
    - {id: calc, description: 测算, points: 1, said: offer_calculation}
    - {id: no_discount, description: 不降价, points: 1, never: [quick_discount, compliance], hard_fail: true}
"""


@pytest.mark.parametrize("scenario_id, text, category", [
    # the natural wordings of key moves that blind playthroughs missed (issue 10), in the shipped scenarios
    ("en_tel_price_objection", "If you let me have your last three bills, I'll work out exactly what you'd save", "proof"),
    ("zh_tel_call_handover_easy", "小张调到别的部门了，以后华联的业务由我来接手", "handover"),
    ("zh_tel_call_handover_easy", "我就想约个时间上门拜访您一次", "visit_request"),
    ("en_tel_out_of_scope_callback", "You'll hear from me by Thursday at 5 pm at the latest", "time_commitment"),
    ("en_bank_loan_intake", "and the property ownership certificate", "doc_collateral"),
    # rash promises in the scenarios' own negatives, standing on the shared compliance families
    ("zh_bank_loan_extension", "展期没问题的", "promise"),
    ("en_tel_price_objection", "I can probably get you 15% off", "quick_discount"),
])
def test_shipped_scenarios_recognise_natural_wordings(phrasebook, scenario_id, text, category):
    from roleplay.core.scenario.library import find_scenario

    assert category in find_scenario(scenario_id).matcher_for(phrasebook).match(text).labels
