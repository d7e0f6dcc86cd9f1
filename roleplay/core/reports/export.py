"""Write a report to a file in the chosen format, stamped for `roleplay verify`."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from pathlib import Path

from roleplay.core.reports import integrity
from roleplay.core.reports import cohort, trainee
from roleplay.core.reports.model import CohortReport, TraineeReport, build_trainee, report_for_sheet
from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.store import Store

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


def safe_name(text: str) -> str:
    """A file-name-safe version of a trainee name (Chinese kept; separators and control characters replaced)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\s]+', "_", text).strip("._-")  # no hidden files or option-like names
    return cleaned[:60] or "trainee"


def export_attempt(sheet: ScoreSheet, folder: str | Path, lang: str, key: bytes | None,
                   store: Store | None = None, attempt_id: int | None = None,
                   formats: tuple[str, ...] = ("md", "json")) -> list[Path]:
    """One attempt's stamped sheets, byte for byte what `roleplay report --attempt ID --format F` writes (from the
    store when the attempt is stored; from the sheet itself when the trainer runs without a store)."""
    stored = store.attempt(attempt_id) if store is not None and attempt_id is not None else None
    if store is not None and stored is not None and stored.finished:
        report = build_trainee(store, stored.trainee, stored.session_code, attempt_id, lang)
        stem = f"{safe_name(sheet.trainee)}-attempt{attempt_id}"
    else:
        report = report_for_sheet(sheet, lang)
        stamp = re.sub(r"[^0-9T]", "", sheet.finished_at or sheet.started_at or "")[:15]
        stem = "-".join(part for part in (safe_name(sheet.trainee), sheet.scenario, stamp) if part)
    return [write_atomically(Path(folder) / f"{stem}.{fmt}", render_trainee(report, fmt, lang, key))
            for fmt in formats]
