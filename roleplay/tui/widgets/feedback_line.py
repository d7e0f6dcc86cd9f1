"""The line under the conversation: what was recognised in the last reply, with scores, and the mood change."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roleplay.core.conversation.results import TurnResult
from roleplay.tui.i18n import tr
from roleplay.tui.text import plain


def feedback_text(turn: TurnResult, lang: str, category_name, practice: bool) -> Text:
    """Practice: `✓问候 100 ✓自我介绍 92 ✗忌语·推诿 88 心情 +10 — remark`. Assessment: only that it was recorded."""
    text = Text(no_wrap=False)
    if not practice:
        text.append(tr(lang, "play.feedback_recorded"), style="dim")
        return text
    shown = bool(turn.action)
    if turn.action:
        text.append(f"✓/{turn.action}  ", style="bold green")
    for ev in turn.evidence:
        if ev in turn.taboo:  # penalised, shown once below with ✗
            continue
        text.append(f"✓{category_name(ev.category)} {ev.score:.0f}  ", style="bold green")
        shown = True
    for ev in turn.taboo:  # with its kind: ✗忌语·推诿
        text.append(f"✗{category_name(ev.category, ev.kind)} {ev.score:.0f}  ", style="bold red")
        shown = True
    if not shown:
        text.append(tr(lang, "play.feedback_none") + "  ", style="yellow")
    if turn.mood_delta:
        style = "green" if turn.mood_delta > 0 else "red"
        text.append(tr(lang, "play.mood_change", delta=f"{turn.mood_delta:+d}"), style=style)
    for remark in turn.feedback:
        text.append(" — " + plain(remark), style="italic")
    return text


class FeedbackLine(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)

    def show(self, turn: TurnResult | None, lang: str, category_name, practice: bool) -> None:
        self.update(feedback_text(turn, lang, category_name, practice) if turn else "")
