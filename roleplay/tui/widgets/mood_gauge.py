"""The client's mood (-100..100) as a coloured gauge with its number."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

GAUGE_CELLS = 16


def mood_style(mood: int) -> str:
    if mood <= -30:
        return "bold red"
    if mood < 30:
        return "bold yellow"
    return "bold green"


def gauge_text(label: str, mood: int, cells: int = GAUGE_CELLS) -> Text:
    """`客户心情 ███████░░░░ +20`: the bar fills from -100 (empty) to +100 (full)."""
    mood = max(-100, min(100, int(mood)))
    filled = round((mood + 100) / 200 * cells)
    text = Text(no_wrap=True)
    text.append(label + "\n")
    text.append("█" * filled, style=mood_style(mood))
    text.append("░" * (cells - filled), style="dim")
    text.append(f" {mood:+d}", style=mood_style(mood))
    return text


class MoodGauge(Static):
    mood = reactive(0)

    def __init__(self, label: str, mood: int = 0, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.label = label
        self.set_reactive(MoodGauge.mood, mood)

    def on_mount(self) -> None:
        self.update(gauge_text(self.label, self.mood))

    def watch_mood(self, mood: int) -> None:
        self.update(gauge_text(self.label, mood))
