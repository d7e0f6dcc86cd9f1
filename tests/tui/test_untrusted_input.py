"""Typed text is never markup or escape codes; odd replies (huge paste, emoji, controls, empty) never crash."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text

from roleplay.tui.text import plain, speaker_line
from tests.tui.conftest import conversation_text, open_scenario, type_reply


def test_plain_strips_escape_sequences_and_controls_but_keeps_text():
    assert plain("\x1b[31mred\x1b[0m") == "red"
    assert plain("a\x00b\x07c\x7fd\x9be") == "abcde"
    assert plain("line1\nline2\tend") == "line1 line2 end"
    assert plain("\u202eevil") == "evil"  # no right-to-left override reordering the line
    assert plain("[bold]您好[/]😀") == "[bold]您好[/]😀"


def test_speaker_line_keeps_brackets_literal_and_uses_no_space_after_a_chinese_colon():
    line = speaker_line("陈总", "[bold]不[/bold]", "bold cyan")
    assert isinstance(line, Text)
    assert line.plain == "陈总：[bold]不[/bold]"
    assert speaker_line("Ms Lee", "hi", "", "en").plain == "Ms Lee: hi"


async def start_busy_call(pilot):
    from roleplay.tui.screens.play import PlayScreen

    return await open_scenario(pilot, "busy", PlayScreen)


@pytest.mark.parametrize("reply, shown", [
    ("[bold]hello[/]", "[bold]hello[/]"),
    ("[/]", "[/]"),
    ("[red]x[/red] [link=http://evil]y[/link]", "[red]x[/red] [link=http://evil]y[/link]"),
    ("\x1b[2J\x1b[31mhello\x1b[0m", "hello"),
    ("你好😀👍🏽", "你好😀👍🏽"),
    ("a\x00b\x07c\x08d", "abcd"),
])
async def test_odd_replies_are_shown_literally(make_app, reply, shown):
    app = make_app(lang="en", trainee="Wang")
    async with app.run_test(size=(80, 24)) as pilot:
        play = await start_busy_call(pilot)
        await type_reply(pilot, reply)
        assert len(play.session.turns) == 1
        assert f"Wang: {shown}" in conversation_text(app)


async def test_empty_and_whitespace_replies_count_as_silence(make_app):
    app = make_app(lang="en", trainee="Wang")
    async with app.run_test(size=(80, 24)) as pilot:
        play = await start_busy_call(pilot)
        await type_reply(pilot, "")
        await type_reply(pilot, "   ")
        assert [t.reply.strip() for t in play.session.turns] == ["", ""]
        assert conversation_text(app).count("Wang: (silence)") == 2


async def test_a_10000_character_paste_is_cut_and_the_screen_survives(make_app):
    from textual import events

    from roleplay.core.matching.matcher import MAX_REPLY_CHARS
    from roleplay.tui.widgets.reply_input import ReplyInput

    app = make_app(lang="en", trainee="Wang")
    async with app.run_test(size=(80, 24)) as pilot:
        play = await start_busy_call(pilot)
        reply_input = play.query_one(ReplyInput)
        reply_input.post_message(events.Paste("您好" * 5000))
        await pilot.pause()
        assert len(reply_input.value) == 10000
        await pilot.press("enter")
        await pilot.pause()
        assert len(play.session.turns[0].reply) == MAX_REPLY_CHARS
        assert reply_input.value == ""


async def test_a_name_with_markup_and_controls_is_cleaned_on_the_start_screen(make_app):
    app = make_app(trainee=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        name = app.screen.query_one("#trainee")
        name.value = "[b]小\x1b[31m王"
        await pilot.pause()
        assert app.ctx.trainee == "[b]小[31m王"


def test_unwrap_reflows_a_wrapped_brief_without_spaces_between_chinese_characters():
    from roleplay.tui.text import unwrap

    assert unwrap("你是客户经理，\n今天拜访陈总。\n\nThen call\nher back.\n") == "你是客户经理，今天拜访陈总。\n\nThen call her back."
    assert unwrap("  \x1b[31m警告\x1b[0m\n  line ") == "警告line"


def test_fold_keeps_closing_punctuation_off_the_start_of_a_line():
    from roleplay.tui.text import NO_LINE_START, fold

    text = Text("蒋老板：行，你们想了解什么尽管问。（蒋老板给你们倒上茶）好的。")
    for width in range(6, 30):
        lines = [line.plain for line in fold(text, width)]
        assert "".join(lines) == text.plain
        assert all(line and line[0] not in NO_LINE_START for line in lines[1:]), (width, lines)
        assert all(not line.endswith("（") for line in lines)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
    english = [line.plain for line in fold(Text("Fine, call me tomorrow morning."), 12)]
    assert all(len(line) <= 12 for line in english)
    assert " ".join(line.strip() for line in english) == "Fine, call me tomorrow morning."
