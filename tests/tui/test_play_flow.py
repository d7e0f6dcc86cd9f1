"""Pilot tests: a whole scenario played in practice and in assessment mode, asserted on the score sheet."""

from __future__ import annotations

import json

from tests.tui.conftest import conversation_text, open_first_visit, open_scenario, type_reply, wait_for_screen

VISIT_REPLIES = ["您好，我是建行高新区支行的客户经理小李", "/card",
                 "您看我们是今天下午还是明天上午到您的办公室谈谈呢", "谢谢您，再见"]


async def test_practice_full_scenario_reaches_a_passing_sheet_and_exports(make_app, tmp_path):
    from roleplay.tui.screens.result import ResultScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        play = await open_first_visit(pilot)
        assert "陈总：您好，请进。请问您是？" in conversation_text(app)
        await type_reply(pilot, VISIT_REPLIES[0])
        feedback = str(play.query_one("#feedback").render())
        assert "✓问候 100" in feedback and "自我介绍" in feedback
        objectives = str(play.query_one("#objectives").render())
        assert "✓见面问候" in objectives and "·双手递名片" in objectives
        for reply in VISIT_REPLIES[1:]:
            await type_reply(pilot, reply)
        text = conversation_text(app)
        assert "小王：/card（递名片）" in text and "陈总：慢走。" in text
        assert play.session.ended
        await pilot.press("enter")
        await wait_for_screen(pilot, ResultScreen)
        sheet = app.screen.sheet
        assert sheet.passed and sheet.total == sheet.max == 60
        assert [c.passed for c in sheet.checks] == [True] * 6
        summary = str(app.screen.query_one("#result-summary").render())
        assert "通过" in summary and "60 / 60" in summary
        await pilot.press("e")
        await pilot.pause()
        md, js = app.screen.exported
        assert md.suffix == ".md" and js.suffix == ".json"
        data = json.loads(js.read_text(encoding="utf-8"))
        (sheet_data,) = data["attempts"]
        assert sheet_data["scenario"] == "tui_first_visit" and sheet_data["passed"] is True
        assert len(sheet_data["turns"]) == 4
        assert "双手递名片" in md.read_text(encoding="utf-8")
        from roleplay.core.reports.integrity import verify_file

        assert verify_file(md).intact and verify_file(js).intact  # stamped like `roleplay report` sheets


async def test_practice_shows_hints_and_debug_on_keys(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        play = await open_first_visit(pilot)
        assert play.query_one("#hints").has_class("hidden")
        await pilot.press("f2")
        await pilot.pause()
        hints = str(play.query_one("#hints").render())
        assert "问候：" in hints and "您好" in hints
        await pilot.press("f3")
        await type_reply(pilot, "你好吗")
        debug = str(play.query_one("#debug").render())
        assert "opening" in debug and "intro" in debug and "greeting" in debug


async def test_assessment_hides_hints_and_objectives_and_allows_no_retry(make_app):
    from roleplay.tui.screens.result import ResultScreen

    app = make_app(mode="assessment")
    async with app.run_test(size=(100, 30)) as pilot:
        play = await open_first_visit(pilot, prepared=("cards", "snacks"))
        assert not play.query("#hints") and not play.query("#objectives")
        await pilot.press("f2")
        await pilot.pause()
        await type_reply(pilot, VISIT_REPLIES[0])
        feedback = str(play.query_one("#feedback").render())
        assert "已记录" in feedback and "100" not in feedback
        for reply in ["/card", "这不归我管"]:
            await type_reply(pilot, reply)
        assert play.session.ended and play.session.outcome == "failure"
        await pilot.press("enter")
        await pilot.pause()
        result = app.screen
        assert isinstance(result, ResultScreen)
        assert not result.sheet.passed and "polite" in result.sheet.hard_failed
        assert not result.query("#retry")
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is result  # no retry in an assessment


async def test_assessment_time_limit_turns_a_missed_reply_into_silence(make_app):
    # a limit far above a loaded machine's pauses, so only the one missed reply below can time out
    app = make_app(mode="assessment", time_limit_s=60)
    async with app.run_test(size=(100, 30)) as pilot:
        play = await open_first_visit(pilot)
        play.attempt.asked_at -= 65  # the trainee has been silent past the limit
        play.tick()
        await pilot.pause()
        assert len(play.session.turns) == 1 and play.session.turns[0].reply == ""
        assert "小王：（沉默）" in conversation_text(app)


async def test_english_call_played_to_the_end_in_english_ui(make_app):
    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.result import ResultScreen

    app = make_app(lang="en", trainee="Wang")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "busy", PlayScreen)
        await type_reply(pilot, "Hello Ms Lee, my name is Wang from City Bank.")
        await type_reply(pilot, "Would this afternoon or tomorrow morning suit you?")
        assert "Ms Lee: Fine, call me tomorrow morning." in conversation_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, ResultScreen)
        assert app.screen.sheet.passed
        assert "Passed" in str(app.screen.query_one("#result-summary").render())
        await pilot.press("r")  # practice: retry opens the call again
        await wait_for_screen(pilot, PlayScreen)
        assert not app.screen.session.turns


async def test_assessment_call_silence_is_a_timer_and_the_client_asks_if_it_can_hear(make_app):
    from roleplay.tui.screens.play import PHONE_SILENCE_S, PlayScreen

    app = make_app(lang="en", trainee="Wang", mode="assessment")
    async with app.run_test(size=(100, 30)) as pilot:
        play = await open_scenario(pilot, "busy", PlayScreen)
        play.query_one("#reply").value = "Hello Ms"  # typing is not silence
        play.asked_at -= PHONE_SILENCE_S + 1
        play.tick()
        assert play.attempt.turns == []
        play.query_one("#reply").value = ""
        for _ in range(4):
            play.asked_at -= PHONE_SILENCE_S + 1
            play.tick()
            await pilot.pause()
        turns = play.attempt.turns
        assert [t.reply for t in turns] == ["", "", "", ""]
        assert all("hear" in t.client for t in turns[:3]) and turns[3].ended
        assert play.attempt.session.outcome == "no_answer"
