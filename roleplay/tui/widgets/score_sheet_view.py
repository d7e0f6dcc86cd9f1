"""The score sheet as Rich renderables: verdict and total, each rubric check with evidence, a per-turn review."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.widgets import Static

from roleplay.core.attempts.identity import parse_identity
from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.reports.facts import ScenarioFacts
from roleplay.core.reports.words import evidence_lines, suggestion_words, verdict_sentence
from roleplay.tui.i18n import colon, tr
from roleplay.tui.text import plain


def summary_text(sheet: ScoreSheet, lang: str, facts: ScenarioFacts | None = None) -> Text:
    text = Text()
    key = "result.abandoned" if sheet.abandoned else "result.passed" if sheet.passed else "result.failed"
    text.append(f" {tr(lang, key)} ", style="bold reverse green" if sheet.passed else "bold reverse red")
    text.append("  " + tr(lang, "result.total", total=f"{sheet.total:g}", max=f"{sheet.max:g}",
                         percent=f"{sheet.percent:g}", pass_mark=f"{sheet.pass_mark:g}"), style="bold")
    if facts is not None:  # how the conversation ended and why that passes or not, as on the printed sheet
        text.append("\n" + verdict_sentence(sheet, facts, sheet.language))
    elif sheet.hard_failed:
        names = ", ".join(c.description for c in sheet.checks if c.id in sheet.hard_failed)
        text.append("\n" + tr(lang, "result.hard_failed", checks=names), style="red")
    for line in sheet.remembered:  # what the client noted, in words (客户记下：周四上午10点)
        text.append("\n" + plain(line))
    return text


def indented(text: Text, cells: int) -> Padding:
    """A hanging indent: wrapped lines stay under their first line instead of the left margin."""
    return Padding(text, (0, 0, 0, cells))


def checks_renderables(sheet: ScoreSheet, lang: str, facts: ScenarioFacts) -> list[RenderableType]:
    items: list[RenderableType] = [Text(tr(lang, "result.checks"), style="bold underline")]
    for check in sheet.checks:
        ok = check.passed
        head = Text()
        head.append("✓ " if ok else "✗ ", style="bold green" if ok else "bold red")
        head.append(plain(check.description), style="bold")
        head.append(f"  {check.points:g}/{check.max_points:g}", style="green" if ok else "red")
        items.append(head)
        lines = evidence_lines(check, sheet, facts, sheet.language)  # the trainee's words, never a template
        for line in lines:
            items.append(indented(Text(plain(line), style="dim"), 4))
        if not lines and not ok:
            items.append(indented(Text(tr(lang, "result.no_evidence"), style="dim"), 4))
        if not ok and check.suggestion:
            # the engine words the suggestion as a sentence ("you could say: …"), so an arrow, not a label
            items.append(indented(Text("→ " + plain(suggestion_words(check, sheet, facts, sheet.language)),
                                       style="yellow"), 4))
    return items


def turns_renderables(sheet: ScoreSheet, lang: str, client_name: str, category_name) -> list[RenderableType]:
    items: list[RenderableType] = [Text(tr(lang, "result.turns"), style="bold underline")]
    speaker = parse_identity(sheet.trainee).name  # the 工号 is in the heading, not beside every reply
    for turn in sheet.turns:
        said = turn.reply if turn.reply.strip() else tr(lang, "play.silence")
        line = Text(f"{turn.turn}. {plain(speaker) or tr(lang, 'play.you')}{colon(sheet.language)}",
                    style="bold magenta")
        line.append(plain(said), style="")
        if turn.over_time:
            line.append(f"  ⏱ {tr(lang, 'result.over_time')}", style="bold red")
        items.append(line)
        if turn.client:
            answer = Text(f"{plain(client_name)}{colon(sheet.language)}", style="bold cyan")
            answer.append(plain(turn.client), style="")
            items.append(indented(answer, 3))
        marks = [f"✓{category_name(e.category)} {e.score:.0f}" for e in turn.evidence]
        marks += [f"✗{category_name(e.category)} {e.score:.0f}" for e in turn.taboo]
        if turn.mood_delta:
            marks.append(tr(lang, "play.mood_change", delta=f"{turn.mood_delta:+d}"))
        if marks:
            items.append(indented(Text("  ".join(marks), style="green" if not turn.taboo else "red"), 3))
        for remark in turn.feedback:
            items.append(indented(Text(f"→ {plain(remark)}", style="italic yellow"), 3))
    return items


class ScoreSheetView(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)

    def show(self, sheet: ScoreSheet, lang: str, client_name: str, category_name,
             facts: ScenarioFacts | None = None) -> None:
        items = checks_renderables(sheet, lang, facts or ScenarioFacts()) + [Text("")]
        items += turns_renderables(sheet, lang, client_name, category_name)
        self.update(Group(*items))
