"""Help: the key bindings and how a role-play works, in the UI language (F1 or ? anywhere)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from roleplay.tui.i18n import HELP_TEXT, tr


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", show=False),
        Binding("f1", "dismiss(None)", show=False),
        Binding("q", "dismiss(None)", show=False),
    ]

    def compose(self) -> ComposeResult:
        lang = self.app.ctx.lang
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Markdown(HELP_TEXT[lang])
            yield Static(tr(lang, "help.close"), classes="dim", markup=False)

    async def relabel(self) -> None:
        await self.recompose()
