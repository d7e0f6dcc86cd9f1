"""The reply line: Chinese/English text or an /action command, with Tab completing /actions."""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import SuggestFromList
from textual.widgets import Input


class ReplyInput(Input):
    """An Input whose suggester offers the scenario's `/action` commands; Tab accepts the suggestion."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def __init__(self, action_ids: list[str], **kwargs) -> None:
        commands = [f"/{a}" for a in action_ids]
        super().__init__(suggester=SuggestFromList(commands, case_sensitive=False), **kwargs)

    def action_complete(self) -> None:
        # With a suggestion showing, Tab takes it (like the shell). Without one, Tab does nothing: the
        # trainee's typing must keep landing in the reply line, not in a panel Tab happened to focus.
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
