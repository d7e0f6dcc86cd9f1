"""The filterable scenario list on the start screen (search text, kind, difficulty, language)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from roleplay.tui.i18n import tr


def matches(scenario, search: str, kind: str, difficulty: str, language: str) -> bool:
    """Whether a scenario passes the filters; "" means any. Search looks at id, title and brief."""
    if kind and scenario.kind != kind:
        return False
    if difficulty and scenario.difficulty != difficulty:
        return False
    if language and scenario.language != language:
        return False
    needle = search.strip().casefold()
    if needle:
        haystack = " ".join((scenario.id, scenario.title, scenario.brief)).casefold()
        return all(word in haystack for word in needle.split())
    return True


class ScenarioList(OptionList):
    """One line per scenario: title, kind and difficulty; option ids are scenario ids."""

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.shown: list = []

    def show(self, scenarios: list, lang: str, keep: str | None = None) -> None:
        self.shown = list(scenarios)
        options = []
        for s in self.shown:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(s.title)
            label.append(f"  {tr(lang, 'kind.' + s.kind)}·{tr(lang, 'difficulty.' + s.difficulty)}·{s.language}",
                         style="dim")
            options.append(Option(label, id=s.id))
        self.set_options(options)
        if not self.shown:
            return
        ids = [s.id for s in self.shown]
        self.highlighted = ids.index(keep) if keep in ids else 0

    def current(self):
        if self.highlighted is None or not self.shown:
            return None
        return self.shown[self.highlighted]
