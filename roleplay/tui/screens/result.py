"""Result screen: total and pass/fail, each rubric check with evidence, a per-turn review; retry/export/back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from roleplay.core.conversation.results import ScoreSheet
from roleplay.tui.i18n import tr
from roleplay.tui.text import styled
from roleplay.tui.widgets.key_bar import KeyBar
from roleplay.tui.widgets.score_sheet_view import ScoreSheetView, summary_text


class ResultScreen(Screen):
    BINDINGS = [
        Binding("r", "retry", "Retry", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("b", "back", "Back", show=False),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self, sheet: ScoreSheet, attempt_id: int | None = None) -> None:
        super().__init__()
        self.sheet = sheet
        self.attempt_id = attempt_id
        self.exported: list = []

    @property
    def can_retry(self) -> bool:
        return self.sheet.mode != "assessment"  # an assessment attempt is final

    def keys(self) -> list[tuple[str, str]]:
        keys = [("R", "key.retry")] if self.can_retry else []
        return keys + [("E", "key.export"), ("Esc", "key.back"), ("F1", "key.help")]

    def compose(self) -> ComposeResult:
        lang = self.app.ctx.lang
        yield Static(styled(f"{tr(lang, 'result.title')} · {self.sheet.title} · {self.sheet.trainee}", "bold"),
                     id="title-bar", markup=False)
        yield Static(summary_text(self.sheet, lang, self.facts()), id="result-summary", markup=False)
        with VerticalScroll(id="result-body"):
            yield ScoreSheetView(id="sheet")
        with Horizontal(id="result-buttons"):
            if self.can_retry:
                yield Button(tr(lang, "result.retry"), id="retry", variant="primary", compact=True)
            yield Button(tr(lang, "result.export"), id="export", compact=True)
            yield Button(tr(lang, "result.back"), id="back", compact=True)
        yield KeyBar(self.keys(), lang, id="keys")

    def on_mount(self) -> None:
        self.fill()
        self.query_one("#result-body").focus()

    async def relabel(self) -> None:
        await self.recompose()
        self.fill()

    def fill(self) -> None:
        self.query_one(ScoreSheetView).show(self.sheet, self.app.ctx.lang, self.client_name(), self.category_name,
                                            self.facts())

    def facts(self):
        """What the sheet's words need (state descriptions, check categories), from the scenario in hand."""
        from roleplay.core.reports.facts import ScenarioFacts

        if getattr(self, "_facts", None) is None:
            try:
                self._facts = ScenarioFacts.of(self.app.ctx.scenario(self.sheet.scenario), self.app.ctx.phrasebook())
            except Exception:  # noqa: BLE001 - the scenario may be gone (history view of an old attempt)
                self._facts = ScenarioFacts()
        return self._facts

    def client_name(self) -> str:
        try:
            return self.app.ctx.scenario(self.sheet.scenario).persona.name
        except Exception:  # noqa: BLE001 - the scenario may be gone (history view of an old attempt)
            return tr(self.app.ctx.lang, "play.client")

    def category_name(self, category: str) -> str:
        cat = self.app.ctx.phrasebook().categories.get(category)
        return cat.name(self.app.ctx.lang) if cat else category

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"retry": self.action_retry, "export": self.action_export, "back": self.action_back}[event.button.id]()

    def action_retry(self) -> None:
        if not self.can_retry:
            return
        scenario_id = self.sheet.scenario
        self.app.pop_screen()
        self.app.begin_scenario(scenario_id)

    def action_export(self) -> None:
        """The same stamped sheets `roleplay report --attempt ID` writes (Markdown and JSON), signed with the coach
        key when one is configured."""
        from roleplay.core.reports.export import export_attempt
        from roleplay.core.reports.integrity import IntegrityError, coach_key
        from roleplay.core.store.connect import StoreError

        ctx = self.app.ctx
        if self.app.is_web:  # served to a browser (roleplay serve): the file goes to the trainee's PC
            self.deliver_to_browser()
            return
        try:
            self.exported = export_attempt(self.sheet, ctx.export_dir, ctx.lang, coach_key(), ctx.store(),
                                           self.attempt_id)
        except (OSError, IntegrityError, StoreError) as exc:
            self.notify(tr(ctx.lang, "result.export_failed", error=str(exc)), severity="error", markup=False)
            return
        paths = ", ".join(str(p) for p in self.exported)
        self.notify(tr(ctx.lang, "result.exported", paths=paths), markup=False, timeout=8)

    def action_back(self) -> None:
        self.app.pop_screen()

    def deliver_to_browser(self) -> None:
        """The printable HTML sheet `roleplay report --attempt ID --format html` writes, sent through textual-serve:
        the browser saves it as a download (nothing is left on the server)."""
        import io
        import tempfile

        from roleplay.core.reports.export import export_attempt
        from roleplay.core.reports.integrity import IntegrityError, coach_key
        from roleplay.core.store.connect import StoreError

        ctx = self.app.ctx
        try:
            with tempfile.TemporaryDirectory(prefix="roleplay-sheet-") as folder:
                (path,) = export_attempt(self.sheet, folder, ctx.lang, coach_key(), ctx.store(), self.attempt_id,
                                         formats=("html",))
                name, data = path.name, path.read_bytes()
        except (OSError, IntegrityError, StoreError) as exc:
            self.notify(tr(ctx.lang, "result.export_failed", error=str(exc)), severity="error", markup=False)
            return
        self.app.deliver_binary(io.BytesIO(data), save_filename=name, open_method="download", mime_type="text/html")
        self.exported = [name]
        self.notify(tr(ctx.lang, "result.downloaded", name=name), markup=False, timeout=8)
