"""The trained scorers beside the phrase families: the label scorer (courteous categories) and the compliance scorer."""

from __future__ import annotations

import json

import pytest

from roleplay.core.matching.label_scorer import LabelScorer, load_label_scorer
from roleplay.core.matching.matcher import Matcher
from roleplay.core.matching.taboo_scorer import DATA, load_scorer
from tools.train_labels import MIN_THRESHOLD, NOT_SCORED


def _families(matcher: Matcher) -> Matcher:
    """The same phrasebook with the label scorer off: what the phrase families find alone."""
    families = Matcher(matcher.phrasebook, matcher.lang)
    families.labeller = None
    return families


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_weights_ship_for_both_languages_with_thresholds_no_lower_than_the_floor(lang):
    scorer = load_label_scorer(lang)
    assert scorer is not None and scorer.heads
    assert not NOT_SCORED & set(scorer.heads)  # a closing ends a call: only the families may say it
    assert all(head.threshold >= MIN_THRESHOLD for head in scorer.heads.values())
    assert load_scorer(lang, category="compliance") is not None


@pytest.mark.parametrize("lang, text, category", [
    ("en", "Did you get a chance to think about the fibre upgrade we discussed?", "inquiry"),
    ("en", "hi its Sam ur relationship manager", "self_intro"),
    ("zh", "您先缓缓 喝口水 咱一件一件捋", "empathy"),
])
def test_the_scorer_adds_a_category_the_families_miss_and_says_why(matcher_zh, matcher_en, lang, text, category):
    matcher = matcher_zh if lang == "zh" else matcher_en
    assert category not in _families(matcher).match(text).labels
    result = matcher.match(text)
    assert category in result.labels
    evidence = next(m for m in result.matches if m.category == category)
    assert evidence.cues and evidence.phrase.startswith("句式：" if lang == "zh" else "cues: ")
    assert evidence.score >= matcher.decision_threshold(evidence)
    assert matcher.match(text).to_dict() == result.to_dict()  # the same reply, the same verdict


def test_a_category_a_meaning_rule_dropped_is_not_brought_back(matcher_en, matcher_zh):
    # a negated apology and a set reply to thanks stay unlabelled, whatever the heads think of their words
    assert matcher_en.match("No need to apologise at all.").labels == []
    assert matcher_en.match("You're welcome, any time.").labels == []
    assert "apology" not in matcher_zh.match("不用道歉，真的没关系").labels


def test_a_head_below_its_threshold_adds_nothing(matcher_en):
    text = "Did you get a chance to think about the fibre upgrade we discussed?"
    strict = Matcher(matcher_en.phrasebook, "en")
    shipped = load_label_scorer("en")
    assert shipped is not None
    data = json.loads((DATA / "labels_en.json").read_text(encoding="utf-8"))
    data["heads"]["inquiry"]["threshold"] = 1.0
    strict.labeller = LabelScorer(data)
    assert "inquiry" not in strict.match(text).labels
    assert "inquiry" in matcher_en.match(text).labels


def test_scored_courtesy_follows_the_meaning_rules():
    # the scorer's categories obey the same rules as the families': they give way to taboo (a sneer's thanks earns
    # nothing), to a stronger category found in the reply (yields_to), and are never added where a rule dropped one
    from roleplay.core.matching.encode import ChineseEncoder
    from roleplay.core.matching.meaning import Cues, Found, apply_rules
    from roleplay.core.phrasebook.book import Category

    def cat(cid: str, **kw) -> Category:
        return Category(cid, {"zh": cid, "en": cid}, {}, **kw)

    cats = {"thanks": cat("thanks", yields_to_taboo=True), "taboo": cat("taboo", negative=True),
            "appointment": cat("appointment"), "inquiry": cat("inquiry", yields_to=["appointment"]),
            "apology": cat("apology")}
    text = "谢谢您来得这么准时"
    units = ChineseEncoder().reply(text)

    def run(found, scored_negative=(), scored_labels=(), cues=None):
        kept, _raw, notes = apply_rules(text, [{f.category: f for f in found}], [(0, units)], cats, lambda c: 80.0,
                                        cues or Cues(), [], words=False, scored_negative=list(scored_negative),
                                        scored_labels=list(scored_labels))
        return [f.category for f in kept], notes

    thanks = Found("thanks", 70.0, "句式：“谢谢”", 0, len(text), cues=("“谢谢”",))
    assert run([], scored_labels=[thanks])[0] == ["thanks"]
    taboo = Found("taboo", 95.0, "句式：嘲讽", 0, len(text), kind="sarcasm", cues=("反问",))
    labels, notes = run([], scored_negative=[taboo], scored_labels=[thanks])
    assert labels == ["taboo"] and any("thanks dropped" in n for n in notes)
    appointment = Found("appointment", 100.0, "周三还是周四", 0, 4)
    inquiry = Found("inquiry", 70.0, "句式：反问", 0, len(text), cues=("反问",))
    labels, notes = run([appointment], scored_labels=[inquiry])
    assert labels == ["appointment"] and any("inquiry dropped" in n for n in notes)
    # a stronger category yields the whole-reply decision only when it reaches every clause: a question asked in
    # a clause of its own keeps its inquiry (周三还是周四，您觉得哪个好)
    two = "周三还是周四，您觉得哪个好"
    two_units = [(0, ChineseEncoder().reply(two[:6])), (7, ChineseEncoder().reply(two[7:]))]
    kept, _raw, notes = apply_rules(two, [{"appointment": appointment}, {}], two_units, cats, lambda c: 80.0, Cues(),
                                    [], words=False, scored_labels=[Found("inquiry", 70.0, "句式", 0, len(two))])
    assert sorted(f.category for f in kept) == ["appointment", "inquiry"], notes
    negated = Found("apology", 100.0, "道歉", 2, 4, first=2)
    labels, _ = run([negated], scored_labels=[Found("apology", 70.0, "句式：“道歉”", 0, len(text), cues=("“道歉”",))],
                    cues=Cues(negation=["谢谢"]))
    assert labels == []


@pytest.mark.parametrize("lang, text, kind", [
    ("en", "For your company I can do the group plan at 30 quid a line.", "discount"),
    ("en", "The refund will 100% be in your account by Monday.", "guarantee"),
])
def test_the_compliance_scorer_flags_a_rash_promise_no_family_lists_and_names_its_kind(matcher_en, lang, text, kind):
    families = _families(matcher_en)
    families.compliance_scorer = None
    assert "compliance" not in families.match(text).labels
    match = next(m for m in matcher_en.match(text).matches if m.category == "compliance")
    assert match.kind == kind and match.cues


@pytest.mark.parametrize("text", [
    "No fund can say it has never lost money; returns aren't guaranteed.",
    "I can't promise a discount, but I'll ask my manager and call you by four.",
])
def test_an_honest_no_promise_is_no_compliance_fault(matcher_en, text):
    assert "compliance" not in matcher_en.match(text).labels


def test_roleplay_match_shows_a_scorer_decision_against_its_own_threshold(capsys):
    from roleplay.cli import main

    assert main(["match", "--lang", "en", "Did you get a chance to think about the fibre upgrade we discussed?"]) == 0
    out = capsys.readouterr().out
    threshold = 100 * load_label_scorer("en").heads["inquiry"].threshold  # type: ignore[union-attr]
    assert f"/{threshold:<4.0f}" in out and "cues: " in out


def test_a_refusal_redeemed_by_an_offer_keeps_the_courtesy_it_had_silenced(matcher_en, matcher_zh):
    # the brush-off is lifted by the offer after it, and the apology before it counts again
    result = matcher_en.match("Sorry, that's not my area, but let me find the colleague who handles it for you.")
    assert result.labels == ["apology"] and not any("sarcasm or a brush-off" in n for n in result.notes)
    assert matcher_en.match("Sorry, not my problem.").labels == ["taboo"]
    assert matcher_zh.match("非常抱歉，这个不归我管，但我这就帮您问清楚").labels == ["apology"]


def test_a_compliance_decision_never_brings_back_a_negated_claim(matcher_en, matcher_zh):
    text = "The published rate is 2.1% a year; like all products it isn't risk free, but it's covered by deposit insurance."
    assert "compliance" not in matcher_en.match(text).labels
    assert matcher_zh.match("展期能不能办需要总行审核，我尽量帮您争取，但不敢跟您打包票").labels == []


def test_a_decision_needs_a_readable_cue_among_its_strongest_and_shows_it_first():
    from roleplay.core.matching.taboo_scorer import READABLE_AMONG, TabooScorer, features

    text = "keep shouting and you will see"
    pieces = sorted(k for k in features(text, "en") if k.startswith("~"))
    assert len(pieces) > READABLE_AMONG
    data = {"lang": "en", "bias": 0.0, "threshold": 0.9, "kind_bias": {"threat": 0.0},
            "kind_weights": {"threat": {"shouting": 1.0}}}
    # word pieces weigh most; the one word sits fourth, then below the first READABLE_AMONG
    weights = {k: 1.0 for k in pieces[:3]} | {"shouting": 0.9}
    flagged = TabooScorer(data | {"weights": weights}).score(text)
    assert flagged.taboo and flagged.kind == "threat" and flagged.cues[0] == "“shouting”"
    buried = {k: 1.0 for k in pieces} | {"shouting": 0.1}
    assert not TabooScorer(data | {"weights": buried}).score(text).taboo  # pieces alone explain nothing


def test_a_reply_not_addressed_to_the_client_is_judged_against_its_own_higher_bar():
    from roleplay.core.matching.taboo_scorer import TabooScorer

    data = {"lang": "en", "bias": 0.0, "threshold": 0.9, "threshold_unaddressed": 0.99,
            "weights": {"next": 1.5, "please": 1.0, "you": 1.5}, "kind_bias": {"brush_off": 0.0},
            "kind_weights": {"brush_off": {"next": 1.0}}}
    scorer = TabooScorer(data)
    assert scorer.score("Can't be done, next please.").taboo is False  # p 0.92: enough with a "you", not without
    assert scorer.score("Can't be done for you, next please.").taboo  # addressed: p 0.98 >= 0.9
    assert scorer.bar("Can't be done, next please.") == 0.99 and scorer.bar("Can't be done for you.") == 0.9
    assert TabooScorer(data | {"weights": {"next": 3.0, "please": 2.0}}).score("Can't be done, next please.").taboo
    assert TabooScorer({k: v for k, v in data.items() if k != "threshold_unaddressed"}).bar("No, next please.") is None
