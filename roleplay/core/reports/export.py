"""Write a report to a file in the chosen format, stamped for `roleplay verify`."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

from roleplay.core.reports import integrity
from roleplay.core.reports import cohort, trainee
from roleplay.core.reports.model import CohortReport, TraineeReport

TRAINEE_FORMATS = ("md", "html", "json")
COHORT_FORMATS = ("csv", "xlsx", "html")


def render_trainee(report: TraineeReport, fmt: str, lang: str = "zh", key: bytes | None = None) -> bytes:
    if fmt == "md":
        return integrity.stamp_text(trainee.to_markdown(report, lang), "md", key).encode("utf-8")
    if fmt == "html":
        return integrity.stamp_text(trainee.to_html(report, lang), "html", key).encode("utf-8")
    if fmt == "json":
        document = integrity.stamp_json(trainee.to_json(report), key)
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    raise ValueError(f"unknown trainee sheet format {fmt!r}: use one of {', '.join(TRAINEE_FORMATS)}")


def render_cohort(report: CohortReport, fmt: str, lang: str = "zh", key: bytes | None = None) -> bytes:
    if fmt == "csv":
        return integrity.stamp_text(cohort.to_csv(report, lang), "csv", key).encode("utf-8")
    if fmt == "html":
        return integrity.stamp_text(cohort.to_html(report, lang), "html", key).encode("utf-8")
    if fmt == "xlsx":
        workbook = cohort.to_xlsx(report, lang)
        integrity.stamp_property(workbook, key)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown cohort sheet format {fmt!r}: use one of {', '.join(COHORT_FORMATS)}")


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write via a temporary file and rename, so a half-written sheet never exists under the real name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
