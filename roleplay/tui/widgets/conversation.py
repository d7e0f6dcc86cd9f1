"""The conversation log: client and trainee lines apart, CJK wrapped by Chinese rules, never markup."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import RichLog

from roleplay.tui.text import fold, plain, speaker_line


class Conversation(RichLog):
    """A RichLog that wraps each entry itself with Chinese line-breaking rules (so RichLog's own wrapping is
    off; min_width=1 so CJK is never padded to 78 columns) and re-wraps everything on resize."""

    def __init__(self, lang: str = "zh", **kwargs) -> None:
        self.lang = lang  # the conversation's language (the scenario's), which picks the colon
        self.entries: list[Text] = []
        super().__init__(min_width=1, wrap=False, markup=False, highlight=False, auto_scroll=True, **kwargs)

    def client(self, name: str, text: str) -> None:
        self.add(speaker_line(name, text, "bold cyan", self.lang))

    def trainee(self, name: str, text: str) -> None:
        self.add(speaker_line(name, text, "bold magenta", self.lang))

    def note(self, text: str, style: str = "dim italic") -> None:
        self.add(Text(plain(text), style=style))

    def reset(self) -> None:
        self.entries.clear()
        self.clear()

    def add(self, entry: Text) -> None:
        self.entries.append(entry)
        if self.line_width() > 0:
            self.put(entry)

    def line_width(self) -> int:
        # one column kept for the scrollbar, which appears once the talk outgrows the box
        return self.scrollable_content_region.width - 1

    def put(self, entry: Text) -> None:
        for line in fold(entry, self.line_width()):
            self.write(line)

    def on_resize(self, event: Resize) -> None:
        if self.line_width() <= 0:
            return
        self.clear()
        for entry in self.entries:
            self.put(entry)
