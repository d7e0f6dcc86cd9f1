"""SVG snapshots of the main screens in zh and en at 80x24 and 120x36 (fixed seed, trainee, content; no clock).

Refresh after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

import pytest

from tests.tui.conftest import open_first_visit, open_scenario, ready, type_reply, wait_for_screen
from tests.tui.test_play_flow import VISIT_REPLIES

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare, make_app, lang, size):
    assert snap_compare(make_app(lang=lang), terminal_size=SIZES[size], run_before=ready)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES)
def test_play_screen_practice_after_two_replies_with_hints(snap_compare, make_app, lang, size):
    async def play(pilot):
        await open_first_visit(pilot)
        for reply in VISIT_REPLIES[:2]:
            await type_reply(pilot, reply)
        await pilot.press("f2")

    assert snap_compare(make_app(lang=lang), terminal_size=SIZES[size], run_before=play)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_play_screen_assessment_without_help_surfaces(snap_compare, make_app, lang):
    # F2/F3 pressed: an assessment shows no hints or debug view, and its key bar offers neither.
    async def play(pilot):
        await open_first_visit(pilot, prepared=("cards",))
        await pilot.press("f2", "f3")

    assert snap_compare(make_app(lang=lang, mode="assessment"), terminal_size=(80, 24), run_before=play)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES)
def test_result_screen(snap_compare, make_app, lang, size):
    from roleplay.tui.screens.result import ResultScreen

    async def play(pilot):
        await open_first_visit(pilot, prepared=("cards", "snacks"))
        for reply in ["您好，我是建行的客户经理小李", "/card", "明天下午三点见", "谢谢，再见"]:
            await type_reply(pilot, reply)
        await pilot.press("enter")
        await wait_for_screen(pilot, ResultScreen)

    assert snap_compare(make_app(lang=lang), terminal_size=SIZES[size], run_before=play)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_preparation_screen(snap_compare, make_app, lang):
    async def open_prep(pilot):
        await open_scenario(pilot, "陈总", PreparationScreen)

    from roleplay.tui.screens.preparation import PreparationScreen

    assert snap_compare(make_app(lang=lang), terminal_size=(80, 24), run_before=open_prep)


def test_phrasebook_screen_zh(snap_compare, make_app):
    assert snap_compare(make_app(lang="zh"), terminal_size=(80, 24), press=["f4", "down"], run_before=ready)


def test_help_screen_en(snap_compare, make_app):
    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), press=["f1"], run_before=ready)
