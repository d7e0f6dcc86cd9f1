"""Writing a score sheet from the TUI: Markdown for people and JSON for tools, as `roleplay play` renders them."""

from __future__ import annotations

import re
from pathlib import Path

from roleplay.core.reports.render import sheet_json, sheet_markdown
from roleplay.core.conversation.results import ScoreSheet


def export_stem(sheet: ScoreSheet) -> str:
    """`<scenario>-<trainee>-<finished time>`: unique per attempt, safe as a file name on any system."""
    trainee = re.sub(r"[^\w-]+", "_", sheet.trainee).strip("_") or "trainee"
    stamp = re.sub(r"[^0-9T]", "", sheet.finished_at or sheet.started_at or "")[:15]
    return "-".join(part for part in (sheet.scenario, trainee, stamp) if part)


def export_sheet(sheet: ScoreSheet, folder: Path, facts=None) -> list[Path]:
    """Write `<stem>.md` and `<stem>.json` into `folder` (each complete or absent); returns the paths written."""
    from roleplay.core.reports.export import write_atomically

    stem = export_stem(sheet)
    md_path, json_path = folder / f"{stem}.md", folder / f"{stem}.json"
    write_atomically(md_path, sheet_markdown(sheet, facts).encode("utf-8"))
    write_atomically(json_path, (sheet_json(sheet, indent=2) + "\n").encode("utf-8"))
    return [md_path, json_path]
