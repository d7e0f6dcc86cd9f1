"""Preview of the highlighted scenario: client, kind, difficulty, pass mark, brief and what is assessed."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from roleplay.core.lang.profile import profile
from roleplay.tui.i18n import colon, tr
from roleplay.tui.text import filled, plain, unwrap


def preview_text(scenario, lang: str, trainee: str = "") -> Text:
    text = Text()
    text.append(plain(scenario.title) + "\n", style="bold")
    text.append(f"{tr(lang, 'kind.' + scenario.kind)} · {tr(lang, 'difficulty.' + scenario.difficulty)}"
                f" · {tr(lang, 'lang.' + scenario.language)} · {tr(lang, 'preview.pass_mark')} "
                f"{scenario.pass_mark:g}/{scenario.max_points:g}\n", style="dim")
    persona = scenario.persona
    sep = profile(scenario.language).list_separator  # the persona is written in the scenario's language
    who = sep.join(plain(str(p)) for p in (persona.name, persona.role, persona.company) if p)
    text.append(tr(lang, "preview.client") + colon(lang), style="bold")
    text.append(who + "\n\n")
    text.append(tr(lang, "preview.brief") + colon(lang), style="bold")
    text.append(unwrap(filled(scenario, scenario.brief, trainee)) + "\n")
    objectives = list(getattr(scenario, "objectives", []) or [])
    if objectives:
        text.append("\n" + tr(lang, "preview.objectives") + colon(lang) + "\n", style="bold")
        for obj in objectives:
            text.append(f"·{plain(obj.description)}\n")  # no space: the dot must not wrap alone
    return text


class ScenarioPreview(VerticalScroll, can_focus=False):
    """Scrollable brief of one scenario (or a hint when none is selected)."""

    def compose(self):
        yield Static(markup=False, id="preview-body")

    def show(self, scenario, lang: str, trainee: str = "") -> None:
        body = self.query_one("#preview-body", Static)
        body.update(preview_text(scenario, lang, trainee) if scenario else tr(lang, "start.no_selection"))
        self.scroll_home(animate=False)
