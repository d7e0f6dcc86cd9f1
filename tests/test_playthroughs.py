"""Replays the blind playthroughs in tests/data/playthroughs/ (written by authors who saw only the trainee's view).

Good trainees pass (>= 95%), poor ones all fail, mixed ones land between; and across all of them the client
listens (0 silence lines after speech, 0 avoidable repeats, 0 low-mood successes, 0 unexplained verdicts).
The share of good-trainee turns no rule took is printed (run with -s): `python tools/playthrough_report.py`.

The playthroughs were written against the client of one version; replayed against a later one, a reply may
answer a line the client no longer says, so the per-scenario ordering is reported, not asserted. The good-trainee
pass rate is a ratchet: GOOD_FLOOR is what the current content reaches (issue 9's target is 0.95).
"""

from pathlib import Path

import pytest

from roleplay.core.authoring.listening import load_playthrough, replay_playthroughs, report
from roleplay.core.content.problems import ContentError

FOLDER = Path(__file__).parent / "data" / "playthroughs"
# good-trainee pass rate over every round (round1 + round2 = 56 good plays); issue 9's target is 0.95. Round 1's
# plays were written against an older client, so some later replies answer lines it no longer says.
GOOD_FLOOR = 0.90
FILES = sorted(FOLDER.rglob("*.yaml"))  # one folder per round of authors (round1/, round2/, …)


@pytest.fixture(scope="module")
def results(phrasebook):
    if not FILES:
        pytest.skip("no playthroughs yet under tests/data/playthroughs/")
    return replay_playthroughs([load_playthrough(p) for p in FILES], phrasebook)


def test_good_pass_poor_fail(results):
    figures = report(results)
    print("\nplaythrough figures:", {k: v for k, v in figures.items() if k != "no_rule_examples"})
    if figures["good_pass_rate"] is not None:
        assert figures["good_pass_rate"] >= GOOD_FLOOR, figures["good_failed"]
    assert figures["poor_passed"] == []


def test_mixed_trainees_land_between(results):
    totals: dict[str, list[float]] = {"good": [], "poor": [], "mixed": []}
    for r in results:
        totals[r.play.trainee].append(r.total)
    mean = {kind: sum(v) / len(v) for kind, v in totals.items() if v}
    if {"good", "poor", "mixed"} <= set(mean):
        assert mean["poor"] < mean["mixed"] < mean["good"], mean
    mixed_passed = sum(r.passed for r in results if r.play.trainee == "mixed")
    good_passed = sum(r.passed for r in results if r.play.trainee == "good")
    assert mixed_passed < good_passed


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


def test_replies_the_authors_marked_rude_or_rash_are_flagged(results):
    # issue 10: no poor trainee's rash promise or threat goes unflagged
    figures = report(results)
    assert figures["rash_unflagged"] == []
    assert figures["rude_unflagged"] == []


def test_marks_count_what_was_flagged_and_list_what_was_not(tmp_path, phrasebook):
    play = tmp_path / "zh_tel_price_objection_easy.poor.yaml"
    play.write_text("scenario: zh_tel_price_objection_easy\ntrainee: poor\nmarks: {1: rude, 2: rude, 3: rash}\n"
                    "replies: [您好，请问您贵姓？, 嫌贵？那你去找电信啊, 这个月给您打个八折，肯定没问题]\n", encoding="utf-8")
    figures = report(replay_playthroughs([load_playthrough(play)], phrasebook))
    assert (figures["marked_rude"], figures["marked_rash"]) == (2, 1)
    assert (figures["rude_flagged"], figures["rash_flagged"]) == (0.5, 1.0) and figures["rash_unflagged"] == []
    assert [line.split(":")[0] for line in figures["rude_unflagged"]] == ["zh_tel_price_objection_easy.poor #1"]


def test_a_mark_past_the_last_reply_is_located(tmp_path):
    bad = tmp_path / "x.poor.yaml"
    bad.write_text("scenario: zh_tel_visit_busy_easy\ntrainee: poor\nmarks: {4: rude}\nreplies: [a]\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_playthrough(bad)
    assert str(info.value).startswith(f"{bad}:3:1: `marks:` maps a reply number")
