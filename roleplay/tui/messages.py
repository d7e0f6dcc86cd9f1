"""Textual messages that carry engine results from the play screen to its widgets."""

from __future__ import annotations

from textual.message import Message

from roleplay.core.conversation.results import TurnResult


class TurnPlayed(Message):
    """The engine answered one reply."""

    def __init__(self, turn: TurnResult) -> None:
        super().__init__()
        self.turn = turn


class SessionEnded(Message):
    """The conversation reached a final state (or the trainee left it)."""
