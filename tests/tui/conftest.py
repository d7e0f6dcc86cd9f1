"""Fixtures for the TUI tests: a temp home, an app factory over the fixture scenarios, pilot helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent.parent
SCENARIOS = DATA / "scenarios"
# The shipped category definitions plus a small fixture phrase set: stable scores for pilots and snapshots.
PHRASEBOOK = [str(ROOT / "phrasebook" / "categories.yaml"), str(DATA / "phrasebook")]
TRAINEE = "小王"


@pytest.fixture(autouse=True)
def roleplay_home(tmp_path, monkeypatch):
    """Every TUI test gets its own $ROLEPLAY_HOME and a fixed locale, so no test touches the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ROLEPLAY_HOME", str(home))
    monkeypatch.delenv("ROLEPLAY_DB", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    return home


@pytest.fixture
def make_app(tmp_path):
    """create_app over the fixture scenarios with fixed seed and trainee; no store unless asked."""
    from roleplay.tui.app import create_app

    def build(**overrides):
        options = dict(lang="zh", trainee=TRAINEE, scenario_paths=[str(SCENARIOS)], phrasebook_paths=PHRASEBOOK,
                       seed=0, store=False,
                       remember=False, export_dir=tmp_path / "exports")
        options.update(overrides)
        return create_app(**options)

    return build


async def ready(pilot) -> None:
    """Wait until the start screen's worker has loaded the content (it runs off the UI thread)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert pilot.app.ctx.loaded


async def wait_for_screen(pilot, screen_type, tries: int = 100):
    """Screens are pushed asynchronously; on a busy machine one pause is not always enough."""
    for _ in range(tries):
        screen = pilot.app.screen
        if isinstance(screen, screen_type) and screen.is_mounted:
            await pilot.pause()  # let its on_mount finish
            return screen
        await pilot.pause(0.02)
    raise AssertionError(f"expected {screen_type.__name__}, got {type(pilot.app.screen).__name__}")

async def open_scenario(pilot, search: str, screen_type):
    """From the start screen: search for a scenario, press Enter, and return the screen it opens."""
    await ready(pilot)
    pilot.app.screen.query_one("#search").value = search
    await pilot.pause()
    await pilot.press("enter")
    return await wait_for_screen(pilot, screen_type)


async def open_first_visit(pilot, prepared=("cards", "brochure")):
    """From the start screen: pick the visit, tick the checklist, press Ready; returns the play screen."""
    from textual.widgets import SelectionList

    from roleplay.tui.screens.play import PlayScreen
    from roleplay.tui.screens.preparation import PreparationScreen

    await open_scenario(pilot, "陈总", PreparationScreen)
    checklist = pilot.app.screen.query_one(SelectionList)
    for item in prepared:
        checklist.select(item)
    await pilot.click("#prep-done")
    return await wait_for_screen(pilot, PlayScreen)


async def type_reply(pilot, text: str) -> None:
    """Put a reply in the input and press Enter. pilot.press drops full-width punctuation, so set the value."""
    from roleplay.tui.widgets.reply_input import ReplyInput

    reply = pilot.app.screen.query_one(ReplyInput)
    reply.value = text
    reply.cursor_position = len(text)
    await pilot.press("enter")
    await pilot.pause()


def conversation_text(app) -> str:
    from roleplay.tui.widgets.conversation import Conversation

    log = app.screen.query_one(Conversation)
    return "\n".join(strip.text for strip in log.lines)
