"""Long replies read in windows: a rude or rash clause inside a long friendly reply is found, and shown, on its own."""

from __future__ import annotations

import pytest

from roleplay.core.matching.windows import WINDOW_BAR, window_verdict, windows
from roleplay.core.matching.taboo_scorer import load_scorer


def test_windows_are_runs_of_whole_clauses_within_the_limit():
    text = "王总您好，好久不见。我看了一下，这笔转账是对方银行的事，我们这边查不了，你直接找对方去吧。"
    runs = windows(text, "zh", 16)
    assert runs and all(len(text[a:b].replace("，", "").replace("。", "")) <= 16 for a, b in runs)
    assert runs[0][0] == 0 and runs[-1][1] >= text.rindex("吧")
    # every clause is in some window
    assert all(any(a <= text.index(c) < b for a, b in runs) for c in ("王总", "我看了", "你直接"))


@pytest.mark.parametrize("text, polite, inside", [
    ("您好，消息收到了哈。我查了一下，这笔转账没到账是对方银行的事，我们这边查不了也管不了，你直接找对方去吧，我就不跟进了。",
     "greeting", "你直接找对方去吧"),
    ("张总，感谢您一直以来对移动的支持。这个月账单的问题呢，说实话不归我们政企部管，你们自己找10086吧，我们这边也没权限。",
     "thanks", "你们自己找10086吧"),
])
def test_a_rude_clause_in_a_long_friendly_reply_is_found_and_the_sincere_clause_keeps_its_label(matcher_zh, text, polite,
                                                                                                inside):
    result = matcher_zh.match(text)
    assert "taboo" in result.labels and polite in result.labels  # the guide's rule 3: a separate sincere clause
    match = next(m for m in result.matches if m.category == "taboo")
    # the evidence is the window, not the whole reply: the courteous clause is not part of the charge
    assert inside in match.evidence and not match.evidence.startswith(text[:4])
    assert match.cues  # a scorer's decision, explained by its cues
    # `roleplay match` shows the bar the window had to reach, not the whole-reply threshold
    assert matcher_zh.decision_threshold(match, text) == pytest.approx(100 * WINDOW_BAR[("taboo", "zh")])


@pytest.mark.parametrize("text", [
    # honest: no promise of approval, the rule stated (a good trainee, round 11)
    "这个我没法给您打包票。展期申请交上来以后，我们跟新贷款一样也要做调查、审查，再报审批，批下来才算数。您这边把回款计划、近期的财务报表准备好，材料越清楚越有利。",
    "明白，发工资耽误不得。五万以上现金要提前一天预约，是因为网点每天留的现金有限，大额得提前调款，不是故意为难您。今天我可以这样帮您：先给您取五万以内的现金，剩下的三万，如果工人有银行卡，我帮您直接转账到他们卡上，当场就到，不用现金。您看这样行不行？",
])
def test_a_long_sincere_reply_is_not_charged(matcher_zh, text):
    labels = matcher_zh.match(text).labels
    assert "taboo" not in labels and "compliance" not in labels


def test_english_has_no_windows_and_short_replies_are_judged_whole():
    assert not any(lang == "en" for _category, lang in WINDOW_BAR)
    en = load_scorer("en")
    assert en is not None
    long_en = ("Right, let's get your workers paid. The booking rule is there because the branch only holds so much cash "
               "each day, but there are ways round it today and I will walk you through each of them now.")
    assert window_verdict(en, "taboo", long_en) is None
    zh = load_scorer("zh")
    assert zh is not None and window_verdict(zh, "taboo", "这个不归我管，你打95588吧") is None
