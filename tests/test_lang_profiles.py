"""Language profiles: the language knowledge matching and the sheets use lives in lang/zh.py and lang/en.py."""

from __future__ import annotations

from dataclasses import replace

from roleplay.core.lang import en, zh
from roleplay.core.lang.normalize import words
from roleplay.core.lang.profile import profile
from roleplay.core.matching.encode import ChineseEncoder, EnglishEncoder


def test_profiles_by_code():
    assert profile("zh") is zh.PROFILE and profile("en") is en.PROFILE
    assert not profile("zh").words and profile("en").words


def test_question_particles_and_register_are_chinese_knowledge():
    assert profile("zh").asks("您看可以吗") and not profile("zh").asks("您看可以")
    assert not profile("en").asks("is that ok")
    assert profile("zh").polite("你好") == "您好" and profile("en").polite("you") == "you"


def test_english_contractions_and_fillers_come_from_the_profile():
    assert words("I'm sorry") == ["i", "am", "sorry"]
    assert "really" in en.PROFILE.fillers
    encoder = EnglishEncoder({}, ["sorry"])
    assert encoder.phrase("really sorry").text == " sorry "


def test_literal_guard_keeps_request_out_of_application():
    pattern = ChineseEncoder().literal("请")
    import re

    assert re.search(pattern, "请坐") and not re.search(pattern, "申请表")
    assert zh.PROFILE.literal_guards == {"请": "申邀聘宴"}


def test_sheet_words_per_language():
    assert profile("zh").turn_label.format(n=3) == "第 3 句"
    assert profile("en").turn_label.format(n=3) == "turn 3"
    assert replace(profile("zh"), label_separator=":").label_separator == ":"  # frozen data, copied to vary
