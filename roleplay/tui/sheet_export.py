"""Writing a score sheet from the TUI: Markdown for people and JSON for tools, as `roleplay play` renders them."""

from __future__ import annotations

import re
from pathlib import Path

from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.reports.render import sheet_json, sheet_markdown


def export_stem(sheet: ScoreSheet) -> str:
    """`<scenario>-<trainee>-<finished time>`: unique per attempt, safe as a file name on any system."""
    trainee = re.sub(r"[^\w-]+", "_", sheet.trainee).strip("_") or "trainee"
    stamp = re.sub(r"[^0-9T]", "", sheet.finished_at or sheet.started_at or "")[:15]
    return "-".join(part for part in (sheet.scenario, trainee, stamp) if part)


def export_sheet(sheet: ScoreSheet, folder: Path) -> list[Path]:
    """Write `<stem>.md` and `<stem>.json` into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = export_stem(sheet)
    md_path, json_path = folder / f"{stem}.md", folder / f"{stem}.json"
    md_path.write_text(sheet_markdown(sheet), encoding="utf-8")
    json_path.write_text(sheet_json(sheet, indent=2) + "\n", encoding="utf-8")
    return [md_path, json_path]


def sheet_download(sheet: ScoreSheet, store, attempt_id: int | None, lang: str) -> tuple[str, str]:
    """(file name, HTML) for a browser download: the printable sheet `roleplay report` writes for this attempt,
    stamped so `roleplay verify` can check it; without a stored attempt, the sheet as Markdown."""
    if store is not None and attempt_id is not None:
        from roleplay.core.reports import integrity
        from roleplay.core.reports.model import build_trainee
        from roleplay.core.reports.trainee import to_html

        info = store.attempt(attempt_id)
        code = info.session_code if info is not None else None
        report = build_trainee(store, sheet.trainee, code, attempt_id, lang)
        if report.attempts:
            html = integrity.stamp_text(to_html(report, lang), "html", integrity.coach_key())
            return f"{export_stem(sheet)}.html", html
    return f"{export_stem(sheet)}.md", sheet_markdown(sheet)
