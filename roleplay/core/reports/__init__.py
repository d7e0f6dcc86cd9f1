"""Score-sheet exports: one trainee (Markdown, printable HTML, JSON) and a cohort (CSV, XLSX, HTML).

Nothing is imported eagerly: `roleplay verify` needs only the integrity module, and `roleplay play` renders a
sheet through reports.render; neither must import the store's SQL layer."""

from __future__ import annotations

from typing import Any

__all__ = ["CohortReport", "TraineeReport", "build_cohort", "build_trainee"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from roleplay.core.reports import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
