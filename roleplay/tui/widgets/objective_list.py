"""The rubric objectives ticking off as they are met (practice mode only)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roleplay.tui.text import plain


def objectives_text(title: str, objectives: list) -> Text:
    # No space after the mark: Rich wraps at spaces, and "· " would otherwise be left alone on a line
    # above a long Chinese objective.
    text = Text()
    text.append(title + "\n", style="bold")
    for obj in objectives:
        if obj.done:
            text.append("✓", style="bold green")
            text.append(plain(obj.description) + "\n", style="green")
        else:
            text.append("·", style="dim")
            text.append(plain(obj.description) + "\n")
    return text


class ObjectiveList(Static):
    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.title = title

    def show(self, objectives: list) -> None:
        self.update(objectives_text(self.title, objectives))
