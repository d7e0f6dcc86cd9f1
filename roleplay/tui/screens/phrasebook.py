"""Phrasebook study screen: the categories on the left, the selected one's description and phrases on the right."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.core.phrasebook.grammar import display, parse
from roleplay.tui.i18n import tr
from roleplay.tui.text import plain
from roleplay.tui.widgets.key_bar import KeyBar

KEYS = [("↑↓", "book.phrases"), ("L", "key.switch_phrases"), ("Esc", "key.back"), ("F1", "key.help")]


def category_text(cat, ui_lang: str, phrase_lang: str, slots: dict[str, list[str]] | None = None) -> Text:
    text = Text()
    text.append(f"{cat.name(ui_lang)}  ", style="bold")
    text.append(cat.id + "\n", style="dim")
    text.append(plain(cat.description(ui_lang)) + "\n")
    if cat.negative:
        text.append(tr(ui_lang, "book.negative") + "\n", style="bold red")
    text.append("\n" + tr(ui_lang, "book.language", lang=tr(ui_lang, "lang." + phrase_lang)) + "\n", style="dim")
    text.append(tr(ui_lang, "book.phrases") + "\n", style="bold underline")
    for phrase in cat.phrases.get(phrase_lang, []):
        text.append("· ", style="red" if cat.negative else "green")
        text.append(plain(phrase) + "\n")
    for template in cat.templates.get(phrase_lang, []):
        text.append("· ", style="dim")
        text.append(plain(display(parse(template), slots)) + "\n", style="italic")  # never the syntax
    return text


class PhrasebookScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", show=False),
        Binding("l", "switch_phrases", "Language", show=False),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.phrase_lang: str | None = None
        self.selected = 0

    def compose(self) -> ComposeResult:
        ctx = self.app.ctx
        self.phrase_lang = self.phrase_lang or ctx.lang
        book = ctx.phrasebook()
        yield Static(tr(ctx.lang, "book.title"), id="title-bar", markup=False)
        with Horizontal(id="book-body"):
            yield OptionList(*(Option(Text(f"{c.name(ctx.lang)}  {c.id}", no_wrap=True), id=c.id)
                               for c in book.categories.values()), id="book-categories", markup=False)
            with VerticalScroll(id="book-detail"):
                yield Static(markup=False, id="book-phrases")
        yield KeyBar(KEYS, ctx.lang, id="keys")

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        if listing.option_count:
            listing.highlighted = min(self.selected, listing.option_count - 1)
        listing.focus()
        self.show_current()

    async def relabel(self) -> None:
        await self.recompose()
        self.on_mount()

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        self.selected = event.option_index
        self.show_current()

    def show_current(self) -> None:
        book = self.app.ctx.phrasebook()
        cats = list(book.categories.values())
        if not cats:
            return
        cat = cats[min(self.selected, len(cats) - 1)]
        slots = book.slots.get(self.phrase_lang, {})
        self.query_one("#book-phrases", Static).update(category_text(cat, self.app.ctx.lang, self.phrase_lang, slots))
        self.query_one("#book-detail", VerticalScroll).scroll_home(animate=False)

    def action_switch_phrases(self) -> None:
        self.phrase_lang = "en" if self.phrase_lang == "zh" else "zh"
        self.show_current()
