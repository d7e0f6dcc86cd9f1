"""拜访前准备: the trainee ticks what to bring before a visit; the picks count in the score."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, SelectionList, Static
from textual.widgets.selection_list import Selection

from roleplay.tui.i18n import tr
from roleplay.tui.text import styled
from roleplay.tui.widgets.key_bar import KeyBar

KEYS = [("Space", "prep.tick"), ("Tab Enter", "prep.done"), ("Esc", "key.back"), ("F1", "key.help")]


class PreparationScreen(Screen[list[str] | None]):
    """Dismisses with the ids of the ticked items, or None when the trainee backs out."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", show=False),
    ]

    def __init__(self, scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.picked: list[str] = []

    def compose(self) -> ComposeResult:
        lang = self.app.ctx.lang
        yield Static(styled(self.scenario.title, "bold"), id="title-bar", markup=False)
        with Vertical(id="prep-box"):
            yield Static(tr(lang, "prep.title"), classes="section-title", markup=False)
            yield Static(tr(lang, "prep.help"), classes="dim", markup=False)
            # Order as written in the scenario: the correct items are not grouped, so the list gives nothing away.
            yield SelectionList(*(Selection(styled(item.label), item.id, item.id in self.picked)
                                  for item in self.scenario.checklist), id="checklist")
            yield Static(markup=False, id="prep-count")
            yield Button(tr(lang, "prep.done"), id="prep-done", variant="primary")
        yield KeyBar(KEYS, lang, id="keys")

    def on_mount(self) -> None:
        checklist = self.query_one(SelectionList)
        if checklist.option_count:
            checklist.highlighted = 0  # Space ticks the first item straight away
        checklist.focus()
        self.count()

    def on_selection_list_selected_changed(self) -> None:
        self.count()

    def count(self) -> None:
        """`已选 3/8 项`: the ticks are colour only in the list, so say the number in words too."""
        checklist = self.query_one(SelectionList)
        self.query_one("#prep-count", Static).update(
            tr(self.app.ctx.lang, "prep.count", picked=len(checklist.selected), total=checklist.option_count))

    async def relabel(self) -> None:
        self.picked = list(self.query_one(SelectionList).selected)
        await self.recompose()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_done()

    def action_done(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))
