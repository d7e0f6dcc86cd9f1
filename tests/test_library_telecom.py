"""Telecom half of the scenario library: what `roleplay test` does not check by itself.

- the easy/hard variants of a situation really differ (mood, retries, patience, pass mark);
- a trainee who only answers rudely, or only with filler, fails every telecom scenario;
- each model answer (the first in-file test) scores at least 85% of the maximum;
- the in-file tests visit every state of every telecom scenario.
"""

from __future__ import annotations

import itertools

import pytest

from roleplay.core.engine import Session
from roleplay.core.scenario import discover_scenarios
from roleplay.core.scenario_tests import run_scenario_tests
from roleplay.paths import scenarios_dir

PAIRS = ["zh_tel_call_handover", "zh_tel_price_objection", "zh_tel_visit_busy"]

RUDE = {
    "zh": ["这不归我管", "你烦不烦", "爱办不办", "你懂什么", "少废话", "你自己看着办吧"],
    "en": ["that's not my problem", "take it or leave it", "figure it out yourself", "not my department"],
}
FILLER = {
    "zh": ["嗯", "哦", "那个", "就是", "是的", "嗯嗯"],
    "en": ["uh-huh", "well", "hmm", "right", "er", "I see"],
}


def _telecom():
    return [s for s in discover_scenarios([scenarios_dir()]) if s.id.startswith(("zh_tel_", "en_tel_"))]


TELECOM = _telecom()
BY_ID = {s.id: s for s in TELECOM}


def test_library_size():
    langs = [s.language for s in TELECOM]
    assert langs.count("zh") >= 8 and langs.count("en") >= 3


def _retries(scenario) -> dict[str, int]:
    return {sid: st.retries for sid, st in scenario.states.items() if st.retries is not None}


@pytest.mark.parametrize("stem", PAIRS)
def test_hard_variant_is_harder(stem):
    easy, hard = BY_ID[f"{stem}_easy"], BY_ID[f"{stem}_hard"]
    assert (easy.difficulty, hard.difficulty) == ("easy", "hard")
    assert hard.persona.mood < easy.persona.mood, "the hard client starts in a worse mood"
    assert hard.patience.mood_below >= easy.patience.mood_below, "the hard client walks out sooner"
    headroom = {v.id: v.persona.mood - v.patience.mood_below for v in (easy, hard)}
    assert headroom[hard.id] < headroom[easy.id], f"mood drop the client tolerates before walking out: {headroom}"
    easy_retries, hard_retries = _retries(easy), _retries(hard)
    for sid in easy_retries.keys() & hard_retries.keys():
        assert hard_retries[sid] <= easy_retries[sid], f"state {sid}: more retries in the hard variant"
    assert max(hard_retries.values()) < max(easy_retries.values()), "the hard variant allows fewer retries"
    assert hard.pass_mark >= easy.pass_mark


def _play(scenario, phrasebook, lines):
    session = Session(scenario, phrasebook, seed=0)
    # worst case for the check: a perfectly prepared trainee who then only answers badly
    session.prepare([item.id for item in scenario.checklist if item.correct])
    for text in itertools.islice(itertools.cycle(lines), scenario.max_turns):
        if session.ended:
            break
        session.reply(text)
    return session


@pytest.mark.parametrize("scenario", TELECOM, ids=lambda s: s.id)
@pytest.mark.parametrize("kind", ["rude", "filler"])
def test_rude_or_filler_only_fails(scenario, kind, phrasebook):
    lines = (RUDE if kind == "rude" else FILLER)[scenario.language]
    session = _play(scenario, phrasebook, lines)
    sheet = session.score_sheet()
    assert session.ended
    assert session.outcome != "success"
    assert not sheet.passed, f"{kind} replies scored {sheet.total:g}/{sheet.max:g}"


@pytest.mark.parametrize("scenario", TELECOM, ids=lambda s: s.id)
def test_model_answer_and_state_coverage(scenario, phrasebook):
    report = run_scenario_tests(scenario, phrasebook)
    assert report.passed, [f for o in report.outcomes for f in o.failures]
    model = report.outcomes[0]
    assert model.sheet.passed and model.sheet.total >= 0.85 * model.sheet.max
    assert not report.unvisited, f"states no test visits: {report.unvisited}"
    outcomes = [o.sheet for o in report.outcomes]
    assert any(not s.passed and s.total > 0.3 * s.max for s in outcomes), "no partial answer between pass and fail"


@pytest.mark.parametrize("scenario", TELECOM, ids=lambda s: s.id)
def test_local_phrases_are_single_clauses(scenario):
    # replies are matched clause by clause, so a phrase spanning two clauses could never match whole
    from roleplay.core.normalize import clauses

    split = [(cid, p) for cid, cat in scenario.categories.items() for p in cat.phrases if len(clauses(p)) > 1]
    assert not split, f"split these phrases at the punctuation: {split}"
