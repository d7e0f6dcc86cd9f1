"""Located problems (`path:line:col: message [code]`) as data, and the error that carries them.

Every finding has a stable code (listed in docs/phrasebook-format.md and docs/scenario-format.md)
and a severity: errors stop a file from loading; warnings are shown by `roleplay validate` and
turned into errors by `roleplay validate --strict`. Code reads the fields, never the message text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    code: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        kind = "warning: " if self.severity == "warning" else ""
        code = f" [{self.code}]" if self.code else ""
        return f"{self.path}:{self.line}:{self.col}: {kind}{self.message}{code}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def errors(problems: list[Problem]) -> list[Problem]:
    """Only the problems that keep a file from loading."""
    return [p for p in problems if p.is_error]


class ContentError(Exception):
    """Raised when a file cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
