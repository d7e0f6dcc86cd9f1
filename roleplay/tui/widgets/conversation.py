"""The conversation log: client and trainee lines apart, CJK-safe wrapping, never markup."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import RichLog

from roleplay.tui.text import plain, speaker_line


class Conversation(RichLog):
    """A RichLog set up for Chinese: min_width=1 and wrap=True, or CJK text is clipped at 78 columns."""

    def __init__(self, lang: str = "zh", **kwargs) -> None:
        self.lang = lang  # the conversation's language (the scenario's), which picks the colon
        super().__init__(min_width=1, wrap=True, markup=False, highlight=False, auto_scroll=True, **kwargs)

    def client(self, name: str, text: str) -> None:
        self.write(speaker_line(name, text, "bold cyan", self.lang))

    def trainee(self, name: str, text: str) -> None:
        self.write(speaker_line(name, text, "bold magenta", self.lang))

    def note(self, text: str, style: str = "dim italic") -> None:
        self.write(Text(plain(text), style=style))
