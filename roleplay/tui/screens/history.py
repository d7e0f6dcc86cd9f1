"""History: the trainee's past attempts (newest first) and a sparkline of the score trend."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Sparkline, Static

from roleplay.tui.i18n import tr
from roleplay.tui.widgets.key_bar import KeyBar

KEYS = [("Enter", "result.title"), ("Esc", "key.back"), ("F1", "key.help")]


def percent(info) -> float | None:
    if info.total is None or not info.max:
        return None
    return round(100.0 * info.total / info.max, 1)


class HistoryScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", show=False),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.attempts: list = []

    def compose(self) -> ComposeResult:
        ctx = self.app.ctx
        lang = ctx.lang
        yield Static(f"{tr(lang, 'history.title')} · {ctx.trainee}", id="title-bar", markup=False)
        store = ctx.store()
        if store is None:
            yield Static(tr(lang, "history.no_store", error=ctx.store_error or "--no-store"), id="history-empty",
                         markup=False)
        else:
            self.attempts = store.history(ctx.identity or None)
            finished = [p for p in (percent(a) for a in reversed(self.attempts)) if p is not None]
            yield Static(tr(lang, "history.trend") + (f"  {finished[-1]:g}%" if finished else ""),
                         classes="section-title", markup=False)
            yield Sparkline(finished or [0], id="trend")
            if not self.attempts:
                yield Static(tr(lang, "history.empty"), id="history-empty", markup=False)
            table = DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            table.add_columns(*(tr(lang, f"history.col_{c}") for c in ("when", "scenario", "mode", "score", "result")))
            titles = {s.id: s.title for s in ctx.scenarios()}
            for info in self.attempts:
                table.add_row(*self.row(info, lang, titles), key=str(info.id))
            yield table
        yield KeyBar(KEYS, lang, id="keys")

    @staticmethod
    def row(info, lang: str, titles: dict[str, str]) -> list:
        when = str(info.finished_at or info.started_at or "")[:16].replace("T", " ")
        mode = tr(lang, "mode." + info.mode) if info.mode in ("practice", "assessment") else str(info.mode)
        pct = percent(info)
        score = Text(f"{info.total:g}/{info.max:g} ({pct:g}%)" if pct is not None else "—")
        if info.finished_at is None:
            verdict = Text(tr(lang, "history.unfinished"), style="dim")
        else:
            verdict = Text(tr(lang, "result.passed" if info.passed else "result.failed"),
                           style="green" if info.passed else "red")
        # the title a trainee recognises; the id when the scenario is no longer installed
        title = Text(titles.get(info.scenario_id, str(info.scenario_id)), no_wrap=True, overflow="ellipsis")
        return [Text(when), title, Text(mode), score, verdict]

    async def relabel(self) -> None:
        await self.recompose()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        store = self.app.ctx.store()
        attempt_id = int(event.row_key.value)
        sheet = store.score_sheet(attempt_id) if store else None
        if sheet is not None:
            from roleplay.tui.screens.result import ResultScreen

            self.app.push_screen(ResultScreen(sheet, attempt_id))
