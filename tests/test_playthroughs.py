"""Replays the blind playthroughs in tests/data/playthroughs/ (written by authors who saw only the trainee's view).

Good trainees pass (>= 95%), poor ones all fail, mixed ones land between; and across all of them the client
listens (0 silence lines after speech, 0 avoidable repeats, 0 low-mood successes, 0 unexplained verdicts).
The share of good-trainee turns no rule took is printed (run with -s): `python tools/playthrough_report.py`.
"""

from pathlib import Path

import pytest

from roleplay.core.authoring.listening import load_playthrough, replay_playthroughs, report
from roleplay.core.content.problems import ContentError

FOLDER = Path(__file__).parent / "data" / "playthroughs"
FILES = sorted(FOLDER.glob("*.yaml"))


@pytest.fixture(scope="module")
def results(phrasebook):
    if not FILES:
        pytest.skip("no playthroughs yet under tests/data/playthroughs/")
    return replay_playthroughs([load_playthrough(p) for p in FILES], phrasebook)


def test_good_pass_poor_fail(results):
    figures = report(results)
    print("\nplaythrough figures:", {k: v for k, v in figures.items() if k != "no_rule_examples"})
    if figures["good_pass_rate"] is not None:
        assert figures["good_pass_rate"] >= 0.95, figures["good_failed"]
    assert figures["poor_passed"] == []


def test_mixed_trainees_land_between(results):
    by_scenario: dict[str, dict[str, float]] = {}
    for r in results:
        by_scenario.setdefault(r.play.scenario, {}).setdefault(r.play.trainee, r.total)
    for scenario, totals in by_scenario.items():
        if {"good", "poor", "mixed"} <= set(totals):
            assert totals["poor"] <= totals["mixed"] <= totals["good"], (scenario, totals)


def test_the_client_listens_in_every_playthrough(results):
    figures = report(results)
    assert (figures["silence_after_speech"], figures["repeats"], figures["low_mood_success"],
            figures["unexplained"]) == (0, 0, 0, 0), [r.counts for r in results]


def test_a_broken_playthrough_is_located(tmp_path):
    bad = tmp_path / "x.good.yaml"
    bad.write_text("scenario: zh_tel_visit_busy_easy\ntrainee: great\nreplies: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_playthrough(bad)
    assert str(info.value).startswith(f"{bad}:1:1: a playthrough needs")


def test_a_playthrough_replays(tmp_path, phrasebook):
    play = tmp_path / "zh_tel_visit_busy_easy.good.yaml"
    play.write_text("scenario: zh_tel_visit_busy_easy\ntrainee: good\nprepared: [cards]\n"
                    "replies: [李总您好，我是移动公司集团客户部的客户经理小李。, '']\n", encoding="utf-8")
    [result] = replay_playthroughs([load_playthrough(play)], phrasebook)
    assert len(result.session.turns) == 2 and result.session.prepared == ["cards"]
    assert result.counts.spoken_turns == 1
