"""Hard bounds on template matching for one reply (phrasebook and scenario files are untrusted).

The grammar bounds one template's cost (roleplay.core.phrasebook.grammar); these bound a reply's:
a CPU-time budget for template searches and a longest clause templates run on. Ordinary replies never
reach either (bench/worst_case_bench.py measures the worst case a hostile file can cause).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from roleplay.core.phrasebook.templates import Template

TEMPLATE_BUDGET_S = 0.010  # a reply stops trying templates after this much CPU time searching (phrases still count)
# a clause longer than this is matched on phrases only (a regex's worst case grows with the clause;
# a word costs the engine more than a character). The labelled replies' clauses are far shorter.
TEMPLATE_MAX_CHARS = 120
TEMPLATE_MAX_WORDS = 50


def max_units(words: bool) -> int:
    """The longest clause (in units) templates are tried on."""
    return TEMPLATE_MAX_WORDS if words else TEMPLATE_MAX_CHARS


@dataclass
class Budget:
    """One reply's template-matching budget: CPU time spent so far, and the template it ran out at."""

    spent: float = 0.0  # CPU seconds spent searching template regexes for this reply
    stopped_at: Template | None = None

    def exhausted(self, template: Template) -> bool:
        """True (remembering the template) once the reply has spent its budget."""
        if self.spent > TEMPLATE_BUDGET_S:  # read at call time: tests and benches may lower it
            self.stopped_at = self.stopped_at or template
            return True
        return False

    def search(self, template: Template, text: str) -> re.Match[str] | None:
        """The template's regex search, its CPU time counted (thread time: a busy machine costs nothing)."""
        pattern = template.pattern  # compiled once per matcher: not the reply's cost
        began = time.thread_time()
        found = pattern.search(text)
        self.spent += time.thread_time() - began
        return found


def limit_notes(budget: Budget, longest: int, words: bool, origins: dict[str, str]) -> list[str]:
    """Located notes when a reply hit a bound: a clause too long, or the budget spent."""
    notes = []
    if longest > max_units(words):
        notes.append(f"templates skipped: a clause is longer than {max_units(words)} "
                     f"{'words' if words else 'characters'} (phrases still count)")
    if budget.stopped_at is not None:
        where = origins.get(budget.stopped_at.text, "")
        notes.append(f"{where + ': ' if where else ''}templates stopped after {TEMPLATE_BUDGET_S * 1000:.0f} ms "
                     f"at {budget.stopped_at.text!r} (category {budget.stopped_at.category}): "
                     f"simplify this template's gaps (phrases still count)")
    return notes
