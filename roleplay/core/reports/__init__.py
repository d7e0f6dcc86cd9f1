"""Score-sheet exports: one trainee (Markdown, printable HTML, JSON) and a cohort (CSV, XLSX, HTML)."""

from roleplay.core.reports.model import CohortReport, TraineeReport, build_cohort, build_trainee

__all__ = ["CohortReport", "TraineeReport", "build_cohort", "build_trainee"]
