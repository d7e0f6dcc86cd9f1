"""Coach debug view: the current state, the rules that could fire, the matcher's raw scores."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roleplay.tui.i18n import colon, tr
from roleplay.tui.text import plain


def debug_text(info: dict, lang: str) -> Text:
    text = Text()
    text.append(tr(lang, "debug.title") + "\n", style="bold reverse")
    text.append(tr(lang, "debug.state") + colon(lang), style="bold")
    text.append(f"{plain(str(info.get('state', '')))}  mood {info.get('mood', 0):+d}\n")
    text.append(tr(lang, "debug.rules") + "\n", style="bold")
    rules = info.get("rules") or []
    for rule in rules:
        fires = rule.get("would_fire")
        text.append("▶ " if fires else "  ", style="bold green" if fires else "")
        text.append(plain(str(rule.get("id", ""))), style="bold" if fires else "dim")
        when = rule.get("when")
        if when:
            text.append(f" {plain(str(when))}", style="dim")
        text.append("\n")
    if not rules:
        text.append(tr(lang, "debug.none") + "\n", style="dim")
    text.append(tr(lang, "debug.scores") + "\n", style="bold")
    scores = info.get("scores") or []
    for row in scores:
        score, threshold = float(row.get("score", 0)), float(row.get("threshold", 0))
        style = "green" if score >= threshold else "dim"
        text.append(f"{plain(str(row.get('category', ''))):<12} {score:5.1f} / {threshold:4.0f}\n", style=style)
    if not scores:
        text.append(tr(lang, "debug.none") + "\n", style="dim")
    if info.get("miss"):
        text.append(tr(lang, "debug.miss") + colon(lang), style="bold")
        text.append(tr(lang, "miss." + str(info["miss"])) + "\n")
    text.append(tr(lang, "debug.memory") + "\n", style="bold")
    for line in info.get("memory") or []:
        text.append(plain(str(line)) + "\n")
    if not info.get("memory"):
        text.append(tr(lang, "debug.none") + "\n", style="dim")
    return text


class DebugPanel(Static):
    def show(self, info: dict, lang: str) -> None:
        self.update(debug_text(info, lang))
