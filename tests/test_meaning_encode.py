"""The meaning rules (matching/meaning.py) and the encoders (matching/encode.py) on tiny hand-made inputs."""

from __future__ import annotations

from roleplay.core.matching.encode import ChineseEncoder, EnglishEncoder, Units
from roleplay.core.matching.meaning import Cues, Found, apply_rules
from roleplay.core.phrasebook.book import Category


def _cat(cid: str, **kw) -> Category:
    return Category(cid, {"zh": cid, "en": cid}, {}, **kw)


def _run(text, found, categories, cues=None, neutral=(), words=False, threshold=80.0):
    units = ChineseEncoder().reply(text) if not words else EnglishEncoder({}, text.split()).reply(text)
    return apply_rules(text, [{f.category: f for f in found}], [(0, units)], categories, lambda c: threshold,
                       cues or Cues(), list(neutral), words=words)


def test_threshold_keeps_only_strong_evidence():
    cats = {"thanks": _cat("thanks"), "apology": _cat("apology")}
    kept, raw, notes = _run("谢谢", [Found("thanks", 90, "谢谢", 0, 2), Found("apology", 60, "抱歉", 0, 2)], cats)
    assert [f.category for f in kept] == ["thanks"]
    assert [f.category for f in raw] == ["thanks", "apology"] and notes == []


def test_negation_cancels_a_phrase_but_not_a_rude_imperative():
    cats = {"apology": _cat("apology"), "taboo": _cat("taboo", negative=True)}
    cues = Cues(negation=["不用", "别"], imperative=["别"])
    kept, _, notes = _run("不用道歉", [Found("apology", 100, "道歉", 2, 4, first=2)], cats, cues)
    assert kept == [] and notes == ['apology dropped: "道歉" is negated by "不用"']
    kept, _, _ = _run("别浪费时间", [Found("taboo", 100, "浪费时间", 1, 5, first=1)], cats, cues)
    assert [f.category for f in kept] == ["taboo"]


def test_not_negation_words_negate_nothing():
    cues = Cues(negation=["别"], not_negation=["特别"])
    kept, _, _ = _run("特别理解", [Found("empathy", 100, "理解", 2, 4, first=2)], {"empathy": _cat("empathy")}, cues)
    assert [f.category for f in kept] == ["empathy"]


def test_set_replies_and_fact_checks_carry_no_label():
    cats = {"apology": _cat("apology"), "inquiry": _cat("inquiry")}
    kept, _, notes = _run("没什么不好意思的", [Found("apology", 100, "不好意思", 3, 7)], cats,
                          neutral=[(0, 8, "没什么不好意思的")])
    assert kept == [] and "set reply" in notes[0]
    kept, _, notes = _run("请问是本人吗", [Found("inquiry", 100, "请问", 0, 2)], cats, Cues(fact_check=["是本人"]))
    assert kept == [] and "only checks a fact" in notes[0]


def test_yields_to_in_clause_and_in_reply_do_not_depend_on_order():
    cats = {"greeting": _cat("greeting", yields_to=["closing"]), "closing": _cat("closing"),
            "inquiry": _cat("inquiry", yields_to_in_reply=["appointment"]), "appointment": _cat("appointment")}
    for order in ([0, 1], [1, 0]):
        found = [Found("greeting", 100, "新年快乐", 2, 6), Found("closing", 100, "祝您新年快乐", 0, 6)]
        kept, _, _ = _run("祝您新年快乐", [found[i] for i in order], cats)
        assert [f.category for f in kept] == ["closing"]
        found = [Found("inquiry", 100, "您哪个时间方便", 0, 7), Found("appointment", 100, "周三", 0, 2)]
        kept, _, notes = _run("您哪个时间方便周三", [found[i] for i in order], cats)
        assert [f.category for f in kept] == ["appointment"] and "belongs to the appointment" in notes[0]


def test_polite_words_in_a_taboo_reply_earn_nothing():
    cats = {"thanks": _cat("thanks", yields_to_taboo=True), "taboo": _cat("taboo", negative=True)}
    kept, _, notes = _run("谢谢你浪费我的时间", [Found("thanks", 100, "谢谢", 0, 2), Found("taboo", 100, "浪费我的时间", 3, 9)],
                          cats)
    assert [f.category for f in kept] == ["taboo"] and "sarcasm" in notes[0]


def test_chinese_units_map_back_to_the_reply():
    units = ChineseEncoder().reply("您好，陳總！")
    assert units.key == "您好陈总" and len(units.pkey) == len(units.key)
    assert units.span(2, 4) == (3, 5)  # 陳總 in the original text
    assert ChineseEncoder().reply("您号").pkey == ChineseEncoder().phrase("您好").pkey  # an IME slip sounds the same


def test_english_words_are_folded_expanded_and_corrected():
    encoder = EnglishEncoder({"thx": "thanks"}, ["thank", "apologise", "sorry", "story"])
    assert encoder.reply("Thnak you").text == " thank you "
    assert encoder.reply("thx, I'm REALLY sorry").text == " thanks i am sorry "
    assert encoder.reply("we apologize").text == " we apologise "
    assert encoder.reply("sory").text == " sorry "  # a dropped half of a double, not story
    units = encoder.reply("Thank you")
    assert units.key == encoder.phrase("thank you").key and units.spans == [(0, 5), (6, 9)]
    assert isinstance(units, Units)
