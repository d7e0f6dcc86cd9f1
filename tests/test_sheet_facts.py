"""Sheet facts (check categories, state descriptions) and font subsets come from caches, not a re-parse or re-subset."""

from __future__ import annotations

import pytest

from roleplay.core.reports.facts import ScenarioFacts, scenario_facts
from roleplay.core.scenario.library import find_scenario

SCENARIO = "zh_bank_interest_reminder_easy"


def test_facts_are_cached_per_scenario_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    fresh = ScenarioFacts().scenario(SCENARIO)
    assert fresh == scenario_facts(find_scenario(SCENARIO))
    assert len(list((tmp_path / "sheet-facts").glob("*.json"))) == 1

    def no_parsing(*args, **kwargs):
        raise AssertionError("the scenario was parsed again")

    monkeypatch.setattr("roleplay.core.scenario.library.load_scenario", no_parsing)
    assert ScenarioFacts().scenario(SCENARIO) == fresh  # read from the cache


def test_an_unknown_scenario_has_no_facts(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    facts = ScenarioFacts()
    assert facts.scenario("no_such_scenario") is None and facts("no_such_scenario") == {}
    assert facts.state_name("no_such_scenario", "start") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_states_are_named_in_words(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    names = ScenarioFacts().state_names(SCENARIO, lang)
    spec = find_scenario(SCENARIO).states
    assert set(names) == set(spec)
    for sid, words in names.items():
        assert words and words != sid  # never an id


def test_font_subsets_are_cached(tmp_path, monkeypatch):
    from roleplay.core.reports import fonts

    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    fonts._subset.cache_clear()
    face = fonts.font_face("考核汇总表：通过")
    assert "data:font/woff;base64," in face and len(list((tmp_path / "sheet-fonts").glob("*.woff"))) == 1
    fonts._subset.cache_clear()
    monkeypatch.setattr(fonts, "_make_subset", lambda chars: (_ for _ in ()).throw(AssertionError("subset again")))
    assert fonts.font_face("考核汇总表：通过") == face  # from the cache folder
    fonts._subset.cache_clear()


def test_a_did_check_suggestion_is_its_words_not_the_evidence_list(tmp_path, monkeypatch):
    """A missed "did" check with turns shows its suggestion as a sentence (it once showed a Python list)."""
    from roleplay.core.conversation.results import CheckResult, ScoreSheet, TurnResult
    from roleplay.core.reports.words import evidence_lines, suggestion_words

    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    facts = ScenarioFacts()
    facts._facts["card_scenario"] = {"id": "card_scenario", "language": "zh", "checks": {}, "states": {},
                                     "actions": {"give_card": "递名片"}, "local": {}}
    check = CheckResult("card", "递名片", 0.0, 2.0, False, turns=[1], suggestion="先递名片再介绍产品", kind="did")
    sheet = ScoreSheet("card_scenario", "名片", "zh", "学员", 0, 0.0, 2.0, 1.0, False, None, "start", [check],
                       [TurnResult(1, "start", "/give_card", action="give_card")])
    assert suggestion_words(check, sheet, facts, "zh") == "先递名片再介绍产品"
    assert any("递名片" in line for line in evidence_lines(check, sheet, facts, "zh"))  # the action stays evidence


@pytest.mark.parametrize("lang, phrase, shown", [
    ("en", "cues: a question, “how”", " · cues: a question, “how”"),
    ("zh", "句式：“这事”、“一起”", " · 句式：“这事”、“一起”"),
    ("en", "could you tell me", " · e.g. could you tell me"),
    ("zh", "cues: “from”, “bank”", " · 句式：“from”, “bank”"),  # an English reply on a Chinese sheet
])
def test_a_scorers_cues_are_shown_as_its_reasons_and_a_phrase_as_an_example(tmp_path, monkeypatch, lang, phrase, shown):
    from roleplay.core.conversation.results import CheckResult, Evidence, ScoreSheet, TurnResult
    from roleplay.core.reports.words import evidence_lines

    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    facts = ScenarioFacts()
    facts._facts["s"] = {"id": "s", "language": lang, "checks": {"ask": ["inquiry"]}, "states": {}, "actions": {}, "local": {}}
    check = CheckResult("ask", "ask", 1.0, 1.0, True, turns=[1], kind="said")
    turn = TurnResult(1, "start", "How many staff travel", labels=["inquiry"],
                      evidence=[Evidence("inquiry", 70.0, phrase, "How many staff travel")])
    sheet = ScoreSheet("s", "s", lang, "t", 0, 1.0, 1.0, 1.0, True, None, "start", [check], [turn])
    [line] = evidence_lines(check, sheet, facts, lang)
    assert line.endswith(shown)


def test_a_reach_suggestion_names_states_in_words_but_quotes_its_phrase_as_written(tmp_path, monkeypatch):
    """A state called `question` once turned "I have noted your question…" into "…your An out-of-scope question…"."""
    from roleplay.core.conversation.results import CheckResult, ScoreSheet
    from roleplay.core.reports.words import suggestion_words

    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path))
    facts = ScenarioFacts()
    facts._facts["call"] = {"id": "call", "language": "en", "checks": {}, "actions": {}, "local": {},
                            "states": {"question": {"description": "An out-of-scope question", "final": False,
                                                    "outcome": None},
                                       "goal": {"description": "the visit booked", "final": True,
                                                "outcome": "success"}}}
    check = CheckResult("brief", "Book within seven replies", 0.0, 5.0, False, kind="turn_budget",
                        suggestion='to reach goal: you could say: "I have noted your question about the rate" '
                                   "(during: question)")
    sheet = ScoreSheet("call", "Call", "en", "Alex", 0, 0.0, 5.0, 1.0, False, None, "question", [check], [])
    assert suggestion_words(check, sheet, facts, "en") == ('to reach the visit booked: you could say: "I have noted '
                                                            'your question about the rate" (during: An out-of-scope '
                                                            'question)')
