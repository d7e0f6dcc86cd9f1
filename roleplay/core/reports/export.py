"""Write a report to files in the chosen format, stamped for `roleplay verify`: complete or absent.

Files are written under a temporary name, fsynced and renamed; a folder of sheets is written into a temporary
folder that is renamed into place, so a kill never leaves a partial folder that looks complete. Temporary
names carry the writer's process id; a later export removes those of writers that are no longer running.
Files get the permissions the user's umask gives (shared folders are the usual destination), not 0600.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from roleplay.core.conversation.results import ScoreSheet
from roleplay.core.reports import cohort, integrity, trainee
from roleplay.core.reports.model import CohortReport, TraineeReport, build_trainee, report_for_sheet
from roleplay.core.store import Store

TRAINEE_FORMATS = ("md", "html", "json")
COHORT_FORMATS = ("csv", "xlsx", "html")
_TMP = ".tmp-"
MARKER = ".roleplay-sheets"  # in every folder write_folder makes: only such a folder is ever replaced


def render_trainee(report: TraineeReport, fmt: str, lang: str = "zh", key: bytes | None = None) -> bytes:
    if fmt == "md":
        return integrity.stamp_text(trainee.to_markdown(report, lang), key)
    if fmt == "html":
        return integrity.stamp_text(trainee.to_html(report, lang), key)
    if fmt == "json":
        return integrity.stamp_json(trainee.to_json(report, lang), key)
    raise ValueError(f"unknown trainee sheet format {fmt!r}: use one of {', '.join(TRAINEE_FORMATS)}")


def render_cohort(report: CohortReport, fmt: str, lang: str = "zh", key: bytes | None = None) -> bytes:
    """The sheet's bytes. CSV and XLSX carry no stamp inside (see `files_for`: it goes into NAME.sig)."""
    if fmt == "csv":
        return cohort.to_csv(report, lang)
    if fmt == "html":
        return integrity.stamp_text(cohort.to_html(report, lang), key)
    if fmt == "xlsx":
        return cohort.to_xlsx(report, lang)
    raise ValueError(f"unknown cohort sheet format {fmt!r}: use one of {', '.join(COHORT_FORMATS)}")


def files_for(name: str, data: bytes, fmt: str, key: bytes | None) -> list[tuple[str, bytes]]:
    """The files one sheet is written as: the sheet, plus its detached stamp for CSV/XLSX."""
    if fmt in integrity.SIDECAR_FORMATS:
        return [(name, data), (name + integrity.SIDECAR_SUFFIX, integrity.sidecar_text(data, key))]
    return [(name, data)]


def write_sheet(path: str | Path, data: bytes, fmt: str, key: bytes | None) -> Path:
    """One sheet (and its sidecar stamp) written atomically."""
    path = Path(path)
    for name, content in files_for(path.name, data, fmt, key):
        write_atomically(path.with_name(name), content)
    return path


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write via a temporary file, fsync and rename, so a half-written sheet never exists under the real name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path.parent, path.name)
    tmp = path.with_name(f".{path.name}{_TMP}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        _write_file(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return path


def write_folder(folder: str | Path, files: Iterable[tuple[str, bytes]]) -> Path:
    """Every file into a temporary folder, fsynced, then the folder renamed to `folder` (replacing an earlier
    export there). Until the rename nothing appears under `folder`; after it, all of it does."""
    folder = Path(folder)
    if folder.exists() and not _replaceable(folder):
        raise ValueError(f"{folder} already exists and holds other files: give a new or empty folder "
                         "(a folder of sheets written earlier by roleplay is replaced whole)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    _sweep(folder.parent, folder.name)
    tmp = folder.with_name(f".{folder.name}{_TMP}{os.getpid()}-{secrets.token_hex(4)}")
    tmp.mkdir()
    try:
        _write_file(tmp / MARKER, b"sheets exported by roleplay; this folder is replaced whole by the next export\n")
        for name, data in files:
            _write_file(tmp / name, data)
        _fsync_dir(tmp)
        if folder.exists():
            old = folder.with_name(f".{folder.name}{_TMP}{os.getpid()}-old-{secrets.token_hex(4)}")
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(folder.parent)
    return folder


def _replaceable(folder: Path) -> bool:
    try:
        return folder.is_dir() and not folder.is_symlink() and (
            (folder / MARKER).is_file() or not any(folder.iterdir()))
    except OSError:
        return False


def _write_file(path: Path, data: bytes) -> None:
    # 0o666 filtered by the umask, as any program's new file; O_EXCL: never write through someone's symlink
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not every system lets a folder be opened (Windows); the rename is still atomic there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sweep(folder: Path, name: str) -> None:
    """Remove temporary files/folders for `name` left by an export that was killed (its process is gone)."""
    prefix = f".{name}{_TMP}"
    try:
        leftovers = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for path in leftovers:
        pid = path.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
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
