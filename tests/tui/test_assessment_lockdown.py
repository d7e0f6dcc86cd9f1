"""An assessment in the TUI: no help surface is reachable, the session's allowance holds, abandoning needs a
confirmation and is stored as abandoned, a time-out is stored and shown, a resume keeps its clock and times."""

from __future__ import annotations

import pytest

from tests.tui.conftest import TRAINEE, conversation_text, ready, type_reply, wait_for_screen

HELP_COMMANDS = ("key.book", "key.history", "key.debug", "key.hint")


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'attempts.db'}"


def make_session(db_url, scenario_id="tui_first_visit", **kw):
    from roleplay.core.attempts.assessment import create_session
    from roleplay.core.store import open_store

    with open_store(db_url) as store:
        return create_session(store, "十二月考核", [scenario_id], **kw)


def session_show(db_url, code: str) -> str:
    import subprocess
    import sys

    from tests.tui.conftest import ROOT

    shown = subprocess.run([sys.executable, "-m", "roleplay", "session", "show", code, "--db", db_url], cwd=ROOT,
                           capture_output=True, text=True, encoding="utf-8")
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def palette_titles(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


async def open_joined_visit(pilot):
    """Joined on start (--session): pick the visit, tick one item, Ready; returns the play screen."""
    from textual.widgets import SelectionList

    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.preparation import PreparationScreen

    await ready(pilot)
    await pilot.pause()
    assert pilot.app.ctx.assessment is not None
    pilot.app.screen.start_selected()
    await wait_for_screen(pilot, PreparationScreen)
    pilot.app.screen.query_one(SelectionList).select("cards")
    await pilot.click("#prep-done")
    return await wait_for_screen(pilot, PlayScreen)


async def test_no_help_surface_is_reachable_in_an_assessment(make_app, db_url):
    from roleplay.tui.i18n import tr
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.widgets.key_bar import KeyBar

    code = make_session(db_url, code="LOCK01").code
    app = make_app(store=True, db_url=db_url, session_code=code)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.pause()
        keys = [key for key, _ in app.screen.query_one(KeyBar).keys]
        assert "F4" not in keys and "F5" not in keys
        await pilot.press("f4")
        await pilot.press("f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"  # neither phrasebook nor history opened
        assert not palette_titles(app) & {tr("zh", k) for k in HELP_COMMANDS}

        play = await open_joined_visit(pilot)
        assert [key for key, _ in play.query_one(KeyBar).keys] == ["Enter", "F1", "Esc"]
        for key in ("f2", "f3", "f4", "f5"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is play
        assert not play.query("#hints") and not play.query("#debug") and not play.query("#objectives")
        assert not any(app.check_action(a, ()) for a in ("phrasebook", "history"))
        assert not any(play.check_action(a, ()) for a in ("hint", "toggle_debug"))
        assert not palette_titles(app) & {tr("zh", k) for k in HELP_COMMANDS}
        await type_reply(pilot, "今天天气不错")  # no rule fires: the fallback carries a remark, 先问候并介绍自己。
        assert play.attempt.turns[-1].feedback  # there was a remark to give; it waits for the sheet
        feedback = str(play.query_one("#feedback").render())
        assert "已记录" in feedback and "先问候" not in feedback and "先问候" not in conversation_text(app)
        assert isinstance(app.screen, PlayScreen)


async def test_practice_still_offers_the_study_aids(make_app):
    from roleplay.tui.i18n import tr

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert {tr("zh", k) for k in ("key.book", "key.history")} <= palette_titles(app)


async def test_tui_start_uses_the_sessions_attempt_allowance_atomically(make_app, db_url):
    """The start screen's pre-check said yes, then another terminal took the last attempt: the start is refused."""
    from roleplay.core.attempts.attempt import Attempt
    from roleplay.core.store import open_store

    session = make_session(db_url, "tui_busy_call", code="ONCE01", attempts_allowed=1)
    app = make_app(lang="en", trainee="Wang", store=True, db_url=db_url, session_code="ONCE01")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.pause()
        scenario = app.ctx.scenario("tui_busy_call")
        with open_store(db_url) as other:
            Attempt.start(scenario, app.ctx.phrasebook(), "Wang", store=other, assessment=session).close()
        app.start_attempt(scenario, None)
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"
    with open_store(db_url) as store:
        assert store.count_attempts("ONCE01", "Wang") == 1


async def test_resuming_an_assessment_says_so_and_abandoning_needs_a_confirmation(make_app, db_url):
    from roleplay.tui.screens.confirm import ConfirmScreen
    from roleplay.tui.screens.resume import ResumeScreen
    from roleplay.core.store import open_store

    code = make_session(db_url, code="QUIT01").code
    first = make_app(store=True, db_url=db_url, session_code=code)
    async with first.run_test(size=(100, 30)) as pilot:
        await open_joined_visit(pilot)
        await type_reply(pilot, "您好，我是建行高新区支行的客户经理小李")
    # the window was closed; a plain start (no --session) offers the unfinished assessment
    for confirm in (False, True):
        app = make_app(store=True, db_url=db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            dialog = await wait_for_screen(pilot, ResumeScreen)
            title = str(dialog.query_one(".dialog-title").render())
            assert "考核" in title and "练习" not in title
            await pilot.click("#resume-no")
            await wait_for_screen(pilot, ConfirmScreen)
            await pilot.click("#confirm-yes" if confirm else "#confirm-no")
            await pilot.pause()
        with open_store(db_url) as store:
            (info,) = store.history(TRAINEE)
            assert info.finished == confirm and info.abandoned == confirm
    shown = session_show(db_url, code)
    assert "abandoned" in shown and "failed" not in shown


async def test_a_time_out_is_stored_per_turn_and_shown(make_app, db_url):
    from roleplay.core.store import open_store
    from roleplay.tui.screens.result import ResultScreen
    from roleplay.tui.widgets.score_sheet_view import turns_renderables

    code = make_session(db_url, code="TIME01", time_limit_s=30).code
    app = make_app(store=True, db_url=db_url, session_code=code)
    async with app.run_test(size=(100, 30)) as pilot:
        play = await open_joined_visit(pilot)
        assert play.attempt.time_limit_s == 30
        play.attempt.asked_at -= 31  # the trainee has been silent past the limit
        play.tick()
        await pilot.pause()
        assert "小王：（沉默）" in conversation_text(app)
        await pilot.press("escape", "escape")
        result = await wait_for_screen(pilot, ResultScreen)
        shown = [getattr(item, "renderable", item) for item in
                 turns_renderables(result.sheet, "zh", "陈总", result.category_name)]
        assert any("超时" in str(item) for item in shown)
    with open_store(db_url) as store:
        (info,) = store.history(TRAINEE)
        (turn,) = store.turns(info.id)
        assert turn.over_time and turn.reply == "" and turn.elapsed_ms >= 31000
    assert "1 over time" in session_show(db_url, code)


async def test_a_resumed_attempt_keeps_its_start_time_reply_times_and_clock(make_app, db_url):
    from sqlalchemy import text

    from roleplay.core.store import open_store
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.resume import ResumeScreen

    code = make_session(db_url, code="KEEP01", time_limit_s=600).code
    first = make_app(store=True, db_url=db_url, session_code=code)
    async with first.run_test(size=(100, 30)) as pilot:
        play = await open_joined_visit(pilot)
        await type_reply(pilot, "您好，我是建行高新区支行的客户经理小李")
    with open_store(db_url) as store:
        (info,) = store.history(TRAINEE)
        kept = store.turns(info.id)
        with store.engine.begin() as conn:  # the client's next line was shown 100 s ago
            conn.execute(text("UPDATE attempts SET asked_at = asked_at - 100"))
    again = make_app(store=True, db_url=db_url)
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_for_screen(pilot, ResumeScreen)
        await pilot.click("#resume-yes")
        play = await wait_for_screen(pilot, PlayScreen)
        assert play.attempt.session.started_at == info.started_at
        assert play.attempt.turns == kept  # reply times included
        assert not play.practice and again.ctx.locked  # the attempt's own mode, whatever the start screen said
        assert play.attempt.seconds_left() < 600 - 90  # the clock did not restart on resume
