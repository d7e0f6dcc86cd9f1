"""With a real (SQLite) store: attempts recorded as they happen, history with trend, resume, assessment join."""

from __future__ import annotations

import pytest

from tests.tui.conftest import TRAINEE, open_first_visit, ready, type_reply, wait_for_screen
from tests.tui.test_play_flow import VISIT_REPLIES


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'attempts.db'}"


def open_db(url):
    from roleplay.core.store import open_store

    return open_store(url)


async def test_a_played_attempt_is_stored_and_shown_in_history(make_app, db_url):
    from textual.widgets import DataTable, Sparkline

    from roleplay.tui.screens.history import HistoryScreen
    from roleplay.tui.screens.result import ResultScreen

    app = make_app(store=True, db_url=db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_visit(pilot)
        await type_reply(pilot, VISIT_REPLIES[0])
        store = app.ctx.store()
        (info,) = store.unfinished_attempts(TRAINEE)
        assert store.replies(info.id) == [VISIT_REPLIES[0]]  # written as it happens
        for reply in VISIT_REPLIES[1:]:
            await type_reply(pilot, reply)
        await pilot.press("enter")
        await wait_for_screen(pilot, ResultScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f5")
        await wait_for_screen(pilot, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1] == "初次拜访陈总" and row[3] == "60/60 (100%)" and row[4] == "通过"
        assert list(app.screen.query_one(Sparkline).data) == [100.0]
        await pilot.press("enter")  # open the stored sheet
        await wait_for_screen(pilot, ResultScreen)
        assert app.screen.sheet.total == 60
    with_store = open_db(db_url)
    try:
        assert not with_store.unfinished_attempts(TRAINEE)
        assert with_store.history(TRAINEE)[0].passed
    finally:
        with_store.close()


async def test_an_unfinished_attempt_is_offered_and_resumed(make_app, db_url):
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.resume import ResumeScreen

    first = make_app(store=True, db_url=db_url)
    async with first.run_test(size=(100, 30)) as pilot:
        await open_first_visit(pilot)
        await type_reply(pilot, VISIT_REPLIES[0])
        await type_reply(pilot, VISIT_REPLIES[1])
    # the terminal was closed mid-conversation; the next run offers to resume
    second = make_app(store=True, db_url=db_url)
    async with second.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(second.screen, ResumeScreen)
        await pilot.click("#resume-yes")
        await pilot.pause()
        play = second.screen
        assert isinstance(play, PlayScreen)
        assert [t.reply for t in play.session.turns] == VISIT_REPLIES[:2]
        assert play.session.prepared == ["cards", "brochure"]
        for reply in VISIT_REPLIES[2:]:
            await type_reply(pilot, reply)
        await pilot.press("enter")
        await pilot.pause()
        assert second.screen.sheet.passed
    store = open_db(db_url)
    try:
        (info,) = store.history(TRAINEE)
        assert info.finished_at and store.replies(info.id) == VISIT_REPLIES
    finally:
        store.close()


async def test_joining_an_assessment_limits_the_list_and_applies_its_rules(make_app, db_url):
    from roleplay.core.attempts.assessment import create_session
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.start import StartScreen
    from roleplay.tui.widgets.scenario_list import ScenarioList

    store = open_db(db_url)
    try:
        create_session(store, "十一月考核", ["tui_busy_call"], pass_mark=100, time_limit_s=30, code="NOV26")
    finally:
        store.close()
    app = make_app(lang="en", trainee="Wang", store=True, db_url=db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        code = app.screen.query_one("#session-code")
        code.focus()
        code.value = "nope1"
        await pilot.press("enter")
        await pilot.pause()
        assert app.ctx.assessment is None  # unknown code: told, nothing changes
        code.value = "nov26"
        await pilot.press("enter")
        await pilot.pause()
        assert app.ctx.assessment.code == "NOV26" and app.ctx.mode == "assessment" and app.ctx.time_limit_s == 30
        assert [s.id for s in app.screen.query_one(ScenarioList).shown] == ["tui_busy_call"]
        app.screen.start_selected()
        await wait_for_screen(pilot, PlayScreen)
        assert not app.screen.practice
        await type_reply(pilot, "Hello Ms Lee, my name is Wang.")
        await type_reply(pilot, "Would this afternoon or tomorrow morning suit you?")
        await pilot.press("enter")
        await pilot.pause()
        sheet = app.screen.sheet
        assert sheet.mode == "assessment" and sheet.pass_mark == sheet.max  # the session's 100% pass mark
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        app.screen.start_selected()  # one attempt allowed: refused now
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


async def test_session_option_joins_on_start(make_app, db_url):
    from roleplay.core.attempts.assessment import create_session

    store = open_db(db_url)
    try:
        create_session(store, "Cold calls", ["tui_busy_call"], code="CALL01", time_limit_s=45)
    finally:
        store.close()
    app = make_app(lang="en", trainee="Wang", store=True, db_url=db_url, session_code="call01")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert app.ctx.assessment.code == "CALL01" and app.ctx.time_limit_s == 45
        assert app.screen.query_one("#mode").disabled


async def test_employee_id_is_stored_with_the_name_and_brings_back_an_unfinished_attempt(make_app, db_url):
    """工号 typed on the start screen is on the stored attempt; a new run (a reopened browser tab) offers the
    unfinished attempt as soon as name and 工号 are entered."""
    from textual.widgets import Input

    from roleplay.core.attempts.identity import parse_identity
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.resume import ResumeScreen

    first = make_app(store=True, db_url=db_url, trainee="")
    async with first.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        first.screen.query_one("#trainee", Input).value = TRAINEE
        first.screen.query_one("#employee-id", Input).value = "Ａ1024"  # full-width, as an IME types it
        first.screen.query_one("#search", Input).focus()
        await pilot.pause()
        await open_first_visit(pilot)
        await type_reply(pilot, VISIT_REPLIES[0])
    store = open_db(db_url)
    try:
        (info,) = store.unfinished_attempts(f"{TRAINEE} [A1024]")
        assert parse_identity(info.trainee).employee_id == "A1024"
    finally:
        store.close()
    second = make_app(store=True, db_url=db_url, trainee="")
    async with second.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert not isinstance(second.screen, ResumeScreen)  # nobody has said who they are yet
        second.screen.query_one("#trainee", Input).value = TRAINEE
        second.screen.query_one("#employee-id", Input).value = "A1024"
        second.screen.query_one("#employee-id", Input).focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, ResumeScreen)
        await pilot.click("#resume-yes")
        play = await wait_for_screen(pilot, PlayScreen)
        assert [t.reply for t in play.session.turns] == VISIT_REPLIES[:1]


async def test_a_malformed_employee_id_is_refused_where_it_is_typed(make_app):
    from textual.widgets import Input

    app = make_app(trainee=TRAINEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        field = app.screen.query_one("#employee-id", Input)
        field.value = "A 10"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is field
        assert any("工号只能" in str(n.message) for n in app._notifications)
