"""Small read-only panels beside the conversation: the brief, the /actions, the hints."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roleplay.tui.text import plain, unwrap


def titled(title: str, body: Text | str) -> Text:
    text = Text()
    text.append(title + "\n", style="bold")
    text.append(body if isinstance(body, Text) else unwrap(body))
    return text


class BriefPanel(Static):
    """The scenario's brief, as the trainee was told it."""

    def __init__(self, title: str, brief: str, **kwargs) -> None:
        super().__init__(titled(title, brief.strip()), markup=False, **kwargs)


class ActionPanel(Static):
    """`/card 递名片`: the actions the trainee can type."""

    def __init__(self, title: str, actions: list, **kwargs) -> None:
        body = Text()
        for action in actions:
            body.append(f"/{action.id}", style="bold")
            body.append(f" {plain(action.label)}\n")
        super().__init__(titled(title, body), markup=False, **kwargs)


class HintPanel(Static):
    """Phrasebook phrases that fit the current moment (practice only, shown on the hint key)."""

    def show(self, title: str, hints: list[tuple[str, str]], category_name, empty: str, sep: str = "：") -> None:
        body = Text()
        for category, phrase in hints:
            body.append(category_name(category) + sep, style="bold green")
            body.append(plain(phrase) + "\n")
        if not hints:
            body.append(empty, style="dim")
        self.update(titled(title, body))
