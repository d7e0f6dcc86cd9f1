"""The score sheet as Rich Text: total and verdict, each rubric check with evidence, a per-turn review."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roleplay.core.results import ScoreSheet
from roleplay.tui.i18n import colon, tr
from roleplay.tui.text import plain


def summary_text(sheet: ScoreSheet, lang: str) -> Text:
    text = Text()
    verdict = tr(lang, "result.passed" if sheet.passed else "result.failed")
    text.append(f" {verdict} ", style="bold reverse green" if sheet.passed else "bold reverse red")
    text.append("  " + tr(lang, "result.total", total=f"{sheet.total:g}", max=f"{sheet.max:g}",
                         percent=f"{sheet.percent:g}", pass_mark=f"{sheet.pass_mark:g}"), style="bold")
    if sheet.hard_failed:
        text.append("\n" + tr(lang, "result.hard_failed", checks=", ".join(sheet.hard_failed)), style="red")
    return text


def checks_text(sheet: ScoreSheet, lang: str) -> Text:
    text = Text()
    text.append(tr(lang, "result.checks") + "\n", style="bold underline")
    for check in sheet.checks:
        ok = check.passed
        text.append("✓ " if ok else "✗ ", style="bold green" if ok else "bold red")
        text.append(plain(check.description), style="bold")
        text.append(f"  {check.points:g}/{check.max_points:g}\n", style="green" if ok else "red")
        for line in check.evidence:
            text.append(f"    {plain(line)}\n", style="dim")
        if not check.evidence and not ok:
            text.append(f"    {tr(lang, 'result.no_evidence')}\n", style="dim")
        if not ok and check.suggestion:
            text.append(f"    {tr(lang, 'result.suggestion')}{colon(lang)}", style="yellow")
            text.append(plain(check.suggestion) + "\n")
    return text


def turns_text(sheet: ScoreSheet, lang: str, client_name: str, category_name) -> Text:
    text = Text()
    text.append(tr(lang, "result.turns") + "\n", style="bold underline")
    for turn in sheet.turns:
        said = turn.reply if turn.reply.strip() else tr(lang, "play.silence")
        text.append(f"{turn.turn}. {plain(sheet.trainee) or tr(lang, 'play.you')}{colon(sheet.language)}",
                    style="bold magenta")
        text.append(plain(said) + "\n")
        if turn.client:
            text.append(f"   {plain(client_name)}{colon(sheet.language)}", style="bold cyan")
            text.append(plain(turn.client) + "\n")
        marks = [f"✓{category_name(e.category)} {e.score:.0f}" for e in turn.evidence]
        marks += [f"✗{category_name(e.category)} {e.score:.0f}" for e in turn.taboo]
        if turn.mood_delta:
            marks.append(tr(lang, "play.mood_change", delta=f"{turn.mood_delta:+d}"))
        if marks:
            text.append("   " + "  ".join(marks) + "\n", style="green" if not turn.taboo else "red")
        for remark in turn.feedback:
            text.append(f"   → {plain(remark)}\n", style="italic yellow")
    return text


class ScoreSheetView(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)

    def show(self, sheet: ScoreSheet, lang: str, client_name: str, category_name) -> None:
        body = checks_text(sheet, lang)
        body.append("\n")
        body.append(turns_text(sheet, lang, client_name, category_name))
        self.update(body)
