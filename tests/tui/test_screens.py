"""Pilot tests of the study and navigation screens: start filters, language switch, phrasebook, help, palette."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui.conftest import conversation_text, open_first_visit, ready, type_reply, wait_for_screen


async def test_search_and_filters_narrow_the_list_and_the_preview_follows(make_app):
    from roleplay.tui.widgets.scenario_list import ScenarioList

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        listing = app.screen.query_one(ScenarioList)
        # the UI is Chinese, so the Chinese scenario comes first
        assert [s.id for s in listing.shown] == ["tui_first_visit", "tui_busy_call"]
        app.screen.query_one("#filter-kind").value = "visit"
        await pilot.pause()
        assert [s.id for s in listing.shown] == ["tui_first_visit"]
        preview = str(app.screen.query_one("#preview-body", Static).render())
        assert "陈总，总经理，宏达科技" in preview and "及格线 30/60" in preview
        app.screen.query_one("#filter-kind").value = ""
        app.screen.query_one("#filter-language").value = "en"
        await pilot.pause()
        assert [s.id for s in listing.shown] == ["tui_busy_call"]
        app.screen.query_one("#search").value = "nothing matches this"
        await pilot.pause()
        assert listing.shown == []
        assert "没有符合条件的场景" in str(app.screen.query_one("#preview-body", Static).render())


async def test_starting_without_a_name_asks_for_one(make_app):
    from roleplay.tui.screens.start import StartScreen

    app = make_app(trainee="")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.focused.id == "trainee"
        app.screen.start_selected()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.focused.id == "trainee"


async def test_name_and_language_are_remembered_but_not_the_mode(make_app, roleplay_home):
    first = make_app(trainee="", remember=True)
    async with first.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        first.screen.query_one("#trainee").value = "李娜"
        await pilot.press("enter")
        await pilot.press("f7", "f6")  # assessment mode, English UI
        await pilot.pause()
    assert (roleplay_home / "prefs.json").exists()
    second = make_app(trainee=None, lang=None, remember=True)
    async with second.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        # a plain start after an assessment opens in practice (the mode is chosen or joined each time)
        assert second.ctx.trainee == "李娜" and second.ctx.lang == "en" and second.ctx.mode == "practice"
        assert second.screen.query_one("#trainee").value == "李娜"


async def test_f6_switches_every_string_on_the_play_screen_and_keeps_the_talk(make_app):

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        play = await open_first_visit(pilot)
        await type_reply(pilot, "您好，我是建行高新区支行的客户经理小李")
        assert "目标" in str(play.query_one("#objectives").render())
        await pilot.press("f6")
        await pilot.pause()
        assert app.ctx.lang == "en"
        assert "Objectives" in str(play.query_one("#objectives").render())
        assert "Client mood" in str(play.query_one("#mood").render())
        assert "Send" in str(play.query_one("#keys").render())
        assert "✓Greeting 100" in str(play.query_one("#feedback").render())
        # the conversation is the scenario's language and survives the switch
        assert "小王：您好，我是建行高新区支行的客户经理小李" in conversation_text(app)
        assert len(play.session.turns) == 1


async def test_phrasebook_screen_lists_categories_and_switches_phrase_language(make_app):
    from textual.widgets import OptionList

    from roleplay.tui.screens.phrasebook import PhrasebookScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await wait_for_screen(pilot, PhrasebookScreen)
        assert app.screen.query_one(OptionList).option_count == 13  # the twelve categories and compliance
        detail = str(app.screen.query_one("#book-phrases", Static).render())
        assert "问候" in detail and "您好" in detail
        await pilot.press("l")
        await pilot.pause()
        detail = str(app.screen.query_one("#book-phrases", Static).render())
        assert "hello" in detail and "英文" in detail
        await pilot.press("end")
        await pilot.pause()
        assert "绝不能说" in str(app.screen.query_one("#book-phrases", Static).render())  # taboo is flagged
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PhrasebookScreen)


async def test_help_opens_on_f1_and_question_mark_and_closes_on_escape(make_app):
    from textual.widgets import Markdown

    from roleplay.tui.screens.help import HelpScreen

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        assert app.screen.query_one(Markdown).source.startswith("# Keys")
        await pilot.press("escape")
        app.screen.query_one("#scenarios").focus()  # ? is a key only where it is not typed text
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)


async def test_command_palette_offers_the_trainer_commands_in_the_ui_language(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles[:4] == ["用语手册", "记录", "帮助", "中/EN"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one("CommandInput").placeholder == "搜索命令…"


async def test_escape_twice_ends_the_talk_early_with_a_sheet(make_app):
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.result import ResultScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_visit(pilot)
        await type_reply(pilot, "您好")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)  # one Esc only warns
        await pilot.press("escape")
        await wait_for_screen(pilot, ResultScreen)
        assert app.screen.sheet.outcome is None and len(app.screen.sheet.turns) == 1


async def test_a_screen_pushed_while_the_browser_tab_had_no_focus_takes_the_keyboard_when_it_comes_back(make_app):
    """Served to a browser, the app starts blurred; the resume question pushed then must answer Enter."""
    from textual import events

    from roleplay.tui.screens.resume import ResumeScreen
    from tests.tui.conftest import ready

    app = make_app()
    async with app.run_test() as pilot:
        await ready(pilot)
        app.post_message(events.AppBlur())
        await pilot.pause()
        answers = []
        app.push_screen(ResumeScreen("初次拜访陈总", 1), answers.append)
        await pilot.pause()
        assert app.focused is None  # Textual gives no auto-focus while the app is blurred
        await pilot.press("enter")  # the first key brings the focus back...
        await pilot.pause()
        assert answers == [True]  # ...and lands on 继续
