"""The matcher: normalisation, multi-label evidence, meaning rules, typo tolerance, the public API."""

from __future__ import annotations

import pytest

from roleplay.core.matching.matcher import Matcher
from roleplay.core.matching.result import Match, MatchResult
from roleplay.core.lang.normalize import clauses, compact, compact_with_map, pinyin_key, words


def labels(matcher, text):
    return matcher.match(text).labels


# --- normalisation -------------------------------------------------------------------------

def test_compact_folds_width_case_traditional_emoji_and_repeats():
    assert compact("ＴＨＡＮＫＳ！！謝謝謝謝～😊") == "thanks谢谢"
    assert compact("  您 好 ， 王 總 ") == "您好王总"


def test_compact_with_map_points_back_into_the_original():
    text = "您好，王總！"
    key, where = compact_with_map(text)
    assert key == "您好王总"
    assert [text[i] for i in where] == ["您", "好", "王", "總"]


def test_pinyin_key_makes_homophones_equal_and_keeps_length():
    assert pinyin_key("您好") == pinyin_key("您号")
    assert pinyin_key("抱歉") == pinyin_key("报歉")
    assert pinyin_key("再见") != pinyin_key("您好")
    assert len(pinyin_key("客户经理")) == 4


def test_english_words_expand_contractions():
    assert words("I'm sorry, we can't") == ["i", "am", "sorry", "we", "can", "not"]


def test_clauses_split_on_punctuation_and_connectives():
    text = "您好，我是小李。但是这个不归我管"
    parts = [text[a:b] for a, b in clauses(text)]
    assert parts == ["您好", "我是小李", "但是这个不归我管"]


# --- Chinese ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("您好！", ["greeting"]),
    ("请您稍等", ["request"]),
    ("谢谢您的宝贵意见", ["thanks"]),
    ("请问有什么可以帮到您？", ["inquiry"]),
    ("非常抱歉，这是我们工作的疏忽", ["apology"]),
    ("祝您周末愉快！", ["closing"]),
    ("我理解您的心情", ["empathy"]),
    ("您反映的问题我已经记录下来了，核实后给您回电", ["callback"]),
    ("这不归我管", ["taboo"]),
])
def test_zh_each_category_from_the_seed(matcher_zh, text, expected):
    assert labels(matcher_zh, text) == expected


def test_zh_multi_label_with_evidence_spans(matcher_zh):
    text = "您好，我是建行高新区支行的客户经理小李"
    result = matcher_zh.match(text)
    assert set(result.labels) == {"greeting", "self_intro"}
    for m in result.matches:
        assert text[m.start:m.end] == m.evidence and m.evidence
        assert 0 <= m.score <= 100 and m.phrase
    assert result.matches[0].score >= result.matches[-1].score


@pytest.mark.parametrize("typo", ["您号", "報歉，讓您久等了", "谢谢谢谢～", "抱謙"])
def test_zh_typos_traditional_and_repeats_keep_their_label(matcher_zh, typo):
    assert labels(matcher_zh, typo), typo


def test_zh_homophone_inside_a_word_is_not_a_greeting(matcher_zh):
    # 您造(成) shares its pinyin with 您早 but sits inside a word, not at a clause edge
    assert "greeting" not in labels(matcher_zh, "非常抱歉给您造成困扰")


@pytest.mark.parametrize("text", ["没什么不好意思的", "不客气", "不用谢，应该的", "没关系没关系"])
def test_zh_replies_to_thanks_or_apology_carry_no_label(matcher_zh, text):
    result = matcher_zh.match(text)
    assert result.labels == []


def test_zh_negated_apology_leaves_a_note(matcher_zh):
    result = matcher_zh.match("没什么不好意思的")
    assert result.labels == [] and any("apology" in n for n in result.notes)


@pytest.mark.parametrize("text", ["谢谢你啊，给我找了这么大个麻烦", "请你搞清楚再来找我", "谢谢你浪费我的时间"])
def test_zh_sarcasm_and_scolding_with_polite_words_is_taboo_only(matcher_zh, text):
    assert labels(matcher_zh, text) == ["taboo"]


def test_zh_separate_sincere_clause_keeps_its_label(matcher_zh):
    assert set(labels(matcher_zh, "您好，这事不归我们管，你自己去营业厅问")) == {"greeting", "taboo"}


def test_zh_fact_check_question_is_not_an_inquiry(matcher_zh):
    assert labels(matcher_zh, "请问您是本人办理吗") == []
    assert labels(matcher_zh, "请问您还有什么需要") == ["inquiry"]


def test_zh_thanks_without_leave_taking_is_not_closing(matcher_zh):
    assert labels(matcher_zh, "感谢您在百忙之中抽空接待我") == ["thanks"]
    assert set(labels(matcher_zh, "感谢您抽空接待，我先告辞了")) == {"thanks", "closing"}


def test_zh_open_question_vs_concrete_time(matcher_zh):
    assert labels(matcher_zh, "您什么时候有空？") == ["inquiry"]
    assert labels(matcher_zh, "周五下午两点我过来，行吗") == ["appointment"]
    assert labels(matcher_zh, "我核实后今天之内给您回复") == ["callback"]
    assert labels(matcher_zh, "我过会儿再打过来") == []


def test_zh_wish_with_zhu_is_closing_not_greeting(matcher_zh):
    result = matcher_zh.match("祝您新年快乐")
    assert result.labels == ["closing"]


def test_zh_business_facts_carry_no_label(matcher_zh):
    for text in ["展期申请需要在到期前十天提交", "贷款期限是三年", "这是我们的营业执照复印件"]:
        assert labels(matcher_zh, text) == [], text


# --- English --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Good morning, Ms Chen.", ["greeting"]),
    ("Could you please hold for a moment?", ["request"]),
    ("Thanks for your patience.", ["thanks"]),
    ("Is there anything else I can help you with?", ["inquiry"]),
    ("Apologies for keeping you waiting.", ["apology"]),
    ("Have a great weekend, goodbye.", ["closing"]),
    ("I completely understand your frustration.", ["empathy"]),
    ("Let me check with the credit team and get back to you tomorrow.", ["callback"]),
    ("That's not my job.", ["taboo"]),
])
def test_en_each_category(matcher_en, text, expected):
    assert labels(matcher_en, text) == expected


def test_en_word_level_matching_does_not_fire_on_shared_letters(matcher_en):
    # character-level fuzz would see "are you free on" in "are you even"
    assert "appointment" not in labels(matcher_en, "are you even")


@pytest.mark.parametrize("text, expected", [("thnak you", "thanks"), ("Helo, nice to meet you", "greeting"),
                                            ("im so sory", "apology"), ("thx!", "thanks")])
def test_en_typos_and_shorthand(matcher_en, text, expected):
    assert expected in labels(matcher_en, text)


@pytest.mark.parametrize("text", ["You're welcome!", "No problem at all.", "no need to apologise",
                                  "Hello? Can you hear me?"])
def test_en_set_replies_carry_no_label(matcher_en, text):
    assert labels(matcher_en, text) == []


def test_en_negation_cancels_taboo_too(matcher_en):
    assert labels(matcher_en, "It's not your fault at all, it was our system.") == []


def test_en_sarcastic_thanks_is_taboo_only(matcher_en):
    assert labels(matcher_en, "Thanks a lot for wasting my afternoon.") == ["taboo"]
    assert labels(matcher_en, "Sorry, not my problem.") == ["taboo"]


def test_en_hyphenated_words_stay_whole(matcher_en):
    # the "hi" of hi-tech is not a greeting
    assert "greeting" not in labels(matcher_en, "I'm with the Hi-Tech Zone branch.")


# --- generalisation: clauses read together, negation cues, typo tie-breaks ----------------------

def test_zh_a_comma_inside_one_thought_still_matches_the_template(matcher_zh):
    result = matcher_zh.match("上次为您推介的集团彩铃，感觉怎么样？")
    assert result.labels == ["inquiry"]
    assert result.matches[0].evidence.endswith("感觉怎么样")


def test_en_name_then_role_across_a_comma_is_a_self_introduction(matcher_en):
    result = matcher_en.match("I'm Sam, a corporate relationship manager here.")
    assert result.labels == ["self_intro"]
    assert result.matches[0].evidence.startswith("I'm Sam, a")  # the span covers both clauses


def test_two_labelled_clauses_are_not_read_together(matcher_en):
    # "your time today, and have a lovely" must not become praise of the client's time
    assert sorted(labels(matcher_en, "Thank you for your time today, and have a lovely evening.")) == [
        "closing", "thanks"]


def test_zh_word_ending_in_a_negation_character_negates_nothing(matcher_zh):
    assert labels(matcher_zh, "我特别能理解您现在着急的心情") == ["empathy"]
    assert labels(matcher_zh, "要不您先填一下这张表？") == ["request"]


def test_zh_buxuyao_negates_what_follows(matcher_zh):
    result = matcher_zh.match("这次不需要您再跑一趟了")
    assert result.labels == []


def test_zh_guarantor_not_needed_is_the_wrong_rule_in_the_loan_extension_scenario(phrasebook):
    from pathlib import Path

    from roleplay.core.scenario.loader import load_scenario_file, scenario_phrasebook

    path = Path(__file__).resolve().parent.parent / "scenarios" / "zh_bank_loan_extension.yaml"
    scenario = load_scenario_file(path)
    matcher = Matcher(scenario_phrasebook(scenario, phrasebook), "zh")
    assert "guarantor" not in labels(matcher, "担保人不需要签字")
    assert "guarantor" in labels(matcher, "担保人需要签字同意展期")


def test_imperative_negation_does_not_excuse_rudeness(matcher_zh, matcher_en):
    assert labels(matcher_zh, "不想办就别浪费大家时间") == ["taboo"]
    assert labels(matcher_en, "Don't waste my time.") == ["taboo"]
    # ... while a plain negation still cancels it
    assert labels(matcher_en, "It's not your fault at all, it was our system.") == []


def test_en_wrongly_doubled_letter_is_read_as_the_word_with_that_double(matcher_en):
    assert labels(matcher_en, "Soory for the delay.") == ["apology"]


def test_en_question_templates_see_the_question_mark(matcher_en):
    # {q} templates: the clause's question mark is one more word in English (the families alone: the label
    # scorer reads a question typed without its mark as one, by its words)
    families = Matcher(matcher_en.phrasebook, "en")
    families.labeller = None
    assert labels(families, "How are the new phone lines working out?") == ["inquiry"]
    assert labels(families, "How are the new phone lines working out.") == []


def test_en_joined_thankyou_is_thanks(matcher_en):
    assert labels(matcher_en, "Thankyou thankyou!") == ["thanks"]


# --- API -------------------------------------------------------------------------------------

def test_result_to_dict_follows_the_cli_contract(matcher_zh):
    data = matcher_zh.match("您好").to_dict()
    assert data["text"] == "您好" and data["labels"] == ["greeting"]
    assert {"category", "score", "phrase"} <= set(data["matches"][0])


def test_candidates_include_below_threshold_categories(matcher_zh):
    result = matcher_zh.match("您好")
    assert isinstance(result, MatchResult)
    assert all(isinstance(c, Match) for c in result.candidates)
    assert {m.category for m in result.matches} <= {c.category for c in result.candidates}


def test_threshold_comes_from_the_phrasebook(phrasebook):
    matcher = Matcher(phrasebook, "zh")
    assert matcher.threshold("taboo") == phrasebook.categories["taboo"].threshold("zh")
    assert matcher.threshold("no_such_category") == 80.0


def test_empty_long_and_odd_input_is_handled(matcher_zh, matcher_en):
    assert matcher_zh.match("").labels == []
    assert matcher_zh.match("。。。！！！").labels == []
    assert matcher_en.match("\x00\u200b🙂").labels == []
    huge = matcher_zh.match("您好" + "啊" * 50_000)
    assert huge.labels == ["greeting"] and len(huge.text) <= 2000


def test_same_reply_same_result(matcher_zh):
    text = "您好，我是农行的小吴，打扰您了，请问您什么时候方便？"
    assert matcher_zh.match(text) == matcher_zh.match(text)


def test_en_a_phrase_hanging_off_the_clause_edge_counts_its_missing_words(matcher_en):
    # "I'll get you" is the first words of "I'll get back to you" but promises nothing: the missing words count
    assert "callback" not in labels(matcher_en, "I'll get you the staff rate on the mortgage.")
    assert "callback" in labels(matcher_en, "I'll get back to you tomorrow morning.")


def test_en_a_negation_inside_the_matched_words_turns_the_phrase_around(matcher_en):
    # "I won't keep you" aligns with "I'll keep you posted" word for word but for the "not"
    result = matcher_en.match("Alright, I won't keep you any longer.")
    assert "callback" not in result.labels and "closing" in result.labels
    assert any("says \"not\"" in note for note in result.notes)
    assert "callback" in labels(matcher_en, "I'll keep you posted.")


def test_en_a_phrase_whose_negation_the_reply_lacks_says_the_opposite(matcher_en):
    # the brush-off "that is not my job" must not match "that's my job, I'll explain it" (training set 6)
    assert "taboo" not in labels(matcher_en, "Please don't worry about the jargon, that's my job, I'll explain it.")
    assert "taboo" not in labels(matcher_en, "That's my job.")
    assert "taboo" in labels(matcher_en, "That's not my job.")


def test_zh_a_phrase_whose_negation_the_reply_lacks_says_the_opposite(phrasebook):
    # a local rash-promise phrase 不会上征信的 must not match a warning that it WILL be reported (还会上征信)
    from roleplay.core.matching.alignment import PhraseEntry, align_score
    from roleplay.core.matching.encode import ChineseEncoder

    encoder = ChineseEncoder()
    phrase = encoder.phrase("不会上征信的")
    entry = PhraseEntry("rash", "不会上征信的", phrase.key, phrase.pkey)
    warning = encoder.reply("时间拖长了还会上征信")
    promise = encoder.reply("您放心，不会上征信的")
    slip = encoder.reply("您放心，布会上征信的")  # an IME slip keeps the 不 by its sound
    assert align_score(entry, warning)[0] <= 60
    assert align_score(entry, promise)[0] == 100
    assert align_score(entry, slip)[0] >= 85


def test_zh_a_self_introduction_without_shi(matcher_zh):
    # on the phone people leave 是 out (我小陈，信贷部的); 我小时候… is no introduction
    assert "self_intro" in labels(matcher_zh, "我小陈，信贷部的，你们厂的利息到期了")
    assert "self_intro" in labels(matcher_zh, "喂，我小李，移动公司的")
    assert "self_intro" not in labels(matcher_zh, "我小时候在这边住过")
