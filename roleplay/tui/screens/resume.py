"""Modal question: resume the unfinished attempt, or discard it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from roleplay.tui.i18n import tr


class ResumeScreen(ModalScreen[bool]):
    """Dismisses with True (resume), False (abandon: the caller asks for a confirmation) or None (Esc: ask again
    next time). An assessment is called an assessment (考核), never practice."""

    BINDINGS = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, title: str, turns: int, mode: str = "practice") -> None:
        super().__init__()
        self.title_text = title
        self.turns = turns
        self.mode = mode

    def compose(self) -> ComposeResult:
        lang = self.app.ctx.lang
        what = tr(lang, "mode.assessment" if self.mode == "assessment" else "mode.practice")
        with Vertical(id="resume-box", classes="dialog"):
            yield Static(tr(lang, "start.resume_title", what=what), classes="dialog-title", markup=False)
            yield Static(tr(lang, "start.resume_body", scenario=self.title_text, turns=self.turns), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr(lang, "start.resume_yes"), id="resume-yes", variant="primary")
                yield Button(tr(lang, "start.resume_no"), id="resume-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume-yes")
