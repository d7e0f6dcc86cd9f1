"""Written Cantonese is read through the Mandarin families: same-length folding, plain Mandarin untouched."""

from __future__ import annotations

import pytest

from roleplay.core.lang.cantonese import _CHARS, _PHRASES, to_mandarin
from roleplay.core.lang.normalize import compact, compact_with_map


def test_every_replacement_keeps_the_length() -> None:
    assert all(len(a) == len(b) for a, b in _PHRASES.items())
    assert all(len(chr(a)) == len(b) == 1 for a, b in _CHARS.items())


@pytest.mark.parametrize("text", ["系统维护中，请稍候", "没关系，您慢慢来", "您呢，还有什么需要", "仲裁委员会的通知", "今日汇率已更新"])
def test_plain_mandarin_is_left_as_it_was(text: str) -> None:
    assert to_mandarin(text) == text


@pytest.mark.parametrize(("typed", "read"), [
    ("喺呢度签名，快啲", "在这里签名快点"),
    ("唔好意思要你等咗咁耐", "不好意思要你等了这耐"),
    ("我系招行嘅客户经理", "我是招行的客户经理"),
    ("你等阵先讲啦，我而家好忙", "你等会先讲啦我现在好忙"),
    ("聽日我哋上門", "明天我们上门"),  # traditional characters first, then Cantonese
])
def test_cantonese_reads_as_mandarin(typed: str, read: str) -> None:
    assert compact(typed) == read


def test_the_evidence_map_still_points_at_what_was_typed() -> None:
    typed = "唔该你喺呢度填一下联系电话"
    key, where = compact_with_map(typed)
    assert key == "麻烦你在这里填一下联系电话" and len(where) == len(key)
    assert typed[where[key.index("填")]] == "填"


@pytest.mark.parametrize(("reply", "label"), [
    ("唔好意思，琴日讲错咗个利率", "apology"),
    ("呢个唔系我哋管嘅嘢，你自己打客服啦", "taboo"),
    ("唔该你帮我影印一份身份证", "request"),
])
def test_the_matcher_hears_cantonese(reply: str, label: str) -> None:
    from roleplay.core.matching.matcher import Matcher
    from roleplay.core.phrasebook.book import load_phrasebook

    assert label in Matcher(load_phrasebook(), "zh").match(reply).labels
