"""A one-line bar of the current screen's keys, labelled in the UI language (Textual's Footer is not)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roleplay.tui.i18n import tr


class KeyBar(Static):
    """Shows `F1 帮助  F2 提示 …`; the screen passes (key, string id) pairs and relabels on language change."""

    def __init__(self, keys: list[tuple[str, str]], lang: str, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.keys = keys
        self.lang = lang

    def on_mount(self) -> None:
        self.show(self.keys, self.lang)

    def show(self, keys: list[tuple[str, str]], lang: str) -> None:
        self.keys, self.lang = keys, lang
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, string_id in keys:
            text.append(f" {key} ", style="reverse bold")
            text.append(f" {tr(lang, string_id)} ")
        self.update(text)
