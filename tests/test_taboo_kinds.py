"""Kinds of rudeness and compliance faults: recognised, named (忌语·推诿), explained, and never on a sincere reply."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from roleplay.core.content.yamlsafe import load_yaml
from roleplay.core.matching.taboo_scorer import MIN_UNITS, load_scorer, may_judge
from tests.conftest import ROOT

PROBES = load_yaml(ROOT / "tests" / "data" / "taboo_kind_probes.yaml").data

# The lines issue 10 quotes as passing unflagged before this round, with the kind the guide gives them.
ISSUE_LINES = [
    ("zh", "就你们这流水，还想贷五百万？", "taboo", "contempt"),
    ("zh", "展期？早干嘛去了", "taboo", "blame"),
    ("zh", "下个月再不还，我们就直接去你单位找你领导谈", "taboo", "threat"),
    ("zh", "嫌贵？那你去找电信啊", "taboo", "brush_off"),
    ("zh", "我这边只管对公，个人业务你自己打95588吧", "taboo", "brush_off"),
    ("zh", "跟您说您也不懂，照着办就行了", "taboo", "contempt"),
    ("zh", "好好好，您最有理", "taboo", "sarcasm"),
    ("zh", "感谢您的宝贵意见，不过我们是不会改的", "taboo", "sarcasm"),
    ("en", "It's all in the contract, you should've read it.", "taboo", "blame"),
    ("en", "Pay up by Friday or we'll be talking to your boss.", "taboo", "threat"),
    ("en", "Sorry mate, can't help you there, try the call centre.", "taboo", "brush_off"),
    ("en", "Oh, so you DO answer your phone.", "taboo", "sarcasm"),
    ("zh", "这个月给您打个八折", "compliance", "discount"),
    ("zh", "展期没问题的", "compliance", "guarantee"),
    ("zh", "一年应该没问题", "compliance", "guarantee"),
    ("en", "I can probably get you 15% off", "compliance", "discount"),
    ("en", "With the factory as security I'm sure this will be approved", "compliance", "guarantee"),
    ("zh", "这是全市最好的理财，保本保息，没有任何风险", "compliance", "absolute_claim"),
    ("en", "It's the best product on the market, zero risk.", "compliance", "absolute_claim"),
]


def _matcher(lang, matcher_zh, matcher_en):
    return matcher_zh if lang == "zh" else matcher_en


@pytest.mark.parametrize("lang, text, category, kind", ISSUE_LINES)
def test_issue_lines_are_flagged_with_their_kind(matcher_zh, matcher_en, lang, text, category, kind):
    result = _matcher(lang, matcher_zh, matcher_en).match(text)
    found = {m.category: m.kind for m in result.matches}
    assert found.get(category) == kind, result.matches
    if category == "taboo":  # the polite words of a rude reply earn nothing
        assert set(result.labels) == {"taboo"}


def test_a_compliance_fault_keeps_the_polite_clause(matcher_zh):
    # a rash fee waiver is a compliance fault, not rudeness: the thanks still counts
    assert set(matcher_zh.match("谢谢李总！提前还款的违约金我帮您免了").labels) == {"thanks", "compliance"}


def test_trying_or_checking_is_no_compliance_fault(matcher_zh, matcher_en):
    assert "compliance" not in matcher_zh.match("我帮您申请一下，结果出来第一时间告诉您").labels
    assert "compliance" not in matcher_zh.match("能不能批要看审批结果").labels
    assert "compliance" not in matcher_en.match("Whether it is approved depends on the credit review.").labels


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kind_probes(matcher_zh, matcher_en, lang):
    # written for the kinds (see the file's header); floors below what they reach when written (zh 177/184, en 163/184)
    matcher = _matcher(lang, matcher_zh, matcher_en)
    flagged = right = total = 0
    for kind, lines in PROBES["rude"][lang].items():
        for text in lines:
            taboo = [m for m in matcher.match(text).matches if m.category == "taboo"]
            total += 1
            flagged += bool(taboo)
            right += bool(taboo) and taboo[0].kind == kind
    assert flagged / total >= 0.85 and right / total >= 0.85, (flagged, right, total)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sincere_near_misses_are_never_taboo(matcher_zh, matcher_en, lang):
    matcher = _matcher(lang, matcher_zh, matcher_en)
    flagged = [t for t in PROBES["sincere"][lang] if "taboo" in matcher.match(t).labels]
    assert not flagged


def test_kind_is_shown_in_the_trainees_language(phrasebook):
    assert phrasebook.label("taboo", "brush_off", "zh") == "忌语·推诿"
    assert phrasebook.label("taboo", "brush_off", "en") == "Taboo · brush-off"
    assert phrasebook.label("compliance", "discount", "zh") == "合规风险·擅自让利"
    assert phrasebook.label("greeting", None, "en") == "Greeting"
    kinds = set(phrasebook.categories["taboo"].kind_names)
    assert kinds == {"brush_off", "blame", "contempt", "sarcasm", "command", "impatience", "threat", "profanity"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorer_weights_ship_and_name_only_known_kinds(phrasebook, lang):
    scorer = load_scorer(lang)
    assert scorer is not None and 0.5 < scorer.threshold < 1
    assert set(scorer.kind_weights) <= set(phrasebook.categories["taboo"].kind_names)


def test_a_scorer_decision_lists_its_cues(matcher_zh):
    # no family lists this line; the trained scorer decides, names the kind and says why
    scorer = load_scorer("zh")
    text = "跟你说了多少遍了你还是不明白"
    verdict = scorer.score(text)
    taboo = [m for m in matcher_zh.match(text).matches if m.category == "taboo"]
    assert verdict.taboo and taboo
    assert taboo[0].cues == verdict.cues and taboo[0].phrase.startswith("句式：")  # the cues are the evidence
    assert taboo[0].kind == verdict.kind and taboo[0].kind in scorer.kind_weights


def test_english_scorer_judges_only_replies_addressed_to_the_client(matcher_en):
    # round 3: the English scorer detects again, but only in a reply that speaks to the client; a plain fact
    # with negations (what made round 4 switch it off) is never its business
    scorer = load_scorer("en")
    assert scorer.detects
    fact = "The interest payment did not go through."
    assert not may_judge(fact, "en") and not scorer.score(fact).taboo
    assert "taboo" not in matcher_en.match(fact).labels
    text = "Hi, look, we don't deal with small fry like you."  # no family lists it (heldout3, never trained on)
    verdict = scorer.score(text)
    taboo = [m for m in matcher_en.match(text).matches if m.category == "taboo"]
    assert verdict.taboo and taboo and taboo[0].cues == verdict.cues
    assert len(set(verdict.cues)) == len(verdict.cues)  # each cue listed once


def test_scorer_leaves_short_replies_to_the_families(matcher_zh):
    scorer = load_scorer("zh")
    assert MIN_UNITS["zh"] > 3
    verdict = scorer.score("嗯，就是那个")
    assert not verdict.taboo
    assert matcher_zh.match("嗯，就是那个").labels == []


def test_match_command_shows_the_kind():
    done = subprocess.run([sys.executable, "-m", "roleplay", "match", "这不归我管，你自己看着办"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "忌语·推诿" in done.stdout
    done = subprocess.run([sys.executable, "-m", "roleplay", "match", "--json", "这个月给您打个八折"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    data = json.loads(done.stdout)
    assert data["labels"] == ["compliance"] and data["matches"][0]["kind"] == "discount"


def test_turn_evidence_carries_the_kind(tmp_path, phrasebook):
    from roleplay.core.conversation.engine import Session
    from tests.conftest import write_scenario

    scenario = write_scenario(tmp_path, """
        id: probe_kind
        title: 忌语种类
        language: zh
        kind: call
        difficulty: easy
        brief: 测试
        persona: {name: 王总}
        start: s
        states:
          s:
            say: 喂？
            rules:
              - when: {any: [taboo]}
                say: 什么态度
                goto: done
          done: {final: true, outcome: failure}
        rubric:
          pass_mark: 1
          checks:
            - {id: polite, description: 不说忌语, points: 1, never: [taboo, compliance], hard_fail: true}
        """)
    session = Session(scenario, phrasebook)
    turn = session.reply("这不归我管，你自己看着办")
    assert [(e.category, e.kind) for e in turn.taboo] == [("taboo", "brush_off")]


COMPLIANCE = load_yaml(ROOT / "tests" / "data" / "compliance_probes.yaml").data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compliance_probes(matcher_zh, matcher_en, lang):
    # floors below what they reach when written (zh 24/24 found, 23 right kind; en 24/24, 24)
    matcher = _matcher(lang, matcher_zh, matcher_en)
    found = right = total = 0
    for kind, lines in COMPLIANCE["faults"][lang].items():
        for text in lines:
            hits = [m for m in matcher.match(text).matches if m.category == "compliance"]
            total += 1
            found += bool(hits)
            right += bool(hits) and hits[0].kind == kind
    assert found / total >= 0.9 and right / total >= 0.85, (found, right, total)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clean_look_alikes_are_no_compliance_fault(matcher_zh, matcher_en, lang):
    matcher = _matcher(lang, matcher_zh, matcher_en)
    assert [t for t in COMPLIANCE["clean"][lang] if "compliance" in matcher.match(t).labels] == []


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "这个确实不归我管，但我不能让您白跑，我这就打电话问清楚是哪个部门"),
    ("zh", "能不能批下来我说了不算，不过材料我会帮您准备得尽量齐全"),
    ("en", "That's not my department, but let me find out who handles it."),
])
def test_a_brush_off_redeemed_by_an_offer_is_a_polite_refusal(lang, text, matcher_zh, matcher_en):
    result = (matcher_zh if lang == "zh" else matcher_en).match(text)
    assert "taboo" not in result.labels
    assert any("offer to help" in note for note in result.notes)  # the evidence says why


@pytest.mark.parametrize(("lang", "text"), [
    ("zh", "这个不归我管，你自己去营业厅问"),  # no offer: still 推诿
    ("zh", "我说了不算，你找别人去吧，我帮不了"),
    ("en", "That's not my department, try the call centre."),
])
def test_a_brush_off_without_an_offer_stays_taboo(lang, text, matcher_zh, matcher_en):
    assert "taboo" in (matcher_zh if lang == "zh" else matcher_en).match(text).labels


def test_counterfactual_and_negated_lines_are_no_fault(matcher_en):
    # a refusal cue up to 24 characters before an English promise; "not a" negates what follows
    assert "compliance" not in matcher_en.match(
        "I'd love to tell you it's a sure thing, but the underwriters look at every case.").labels
    assert "taboo" not in matcher_en.match("Ah, that's definitely not a silly question.").labels
    assert "compliance" not in matcher_en.match("keep complaining and we'll just cut your line off").labels
    assert "compliance" in matcher_en.match("Trust me, it's a sure thing.").labels
