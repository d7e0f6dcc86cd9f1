"""Score-sheet exports: one trainee (Markdown, printable HTML, JSON) and a cohort (CSV, XLSX, HTML)."""

from __future__ import annotations

from typing import Any

__all__ = ["CohortReport", "TraineeReport", "build_cohort", "build_trainee"]


def __getattr__(name: str) -> Any:
    # Lazy: `roleplay play` renders a sheet through reports.render and must not import the store (SQLAlchemy).
    if name in __all__:
        from roleplay.core.reports import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
