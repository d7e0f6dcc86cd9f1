"""Tamper evidence for exported sheets: a content hash, plus an HMAC when a coach key is configured.

Text sheets (Markdown, HTML, CSV) end with one stamp line, inside a comment where the format has
one; the hash covers every other byte (line endings normalised to LF, so a Windows checkout does
not count as an edit). JSON sheets carry the stamp as an "integrity" member over the canonical
JSON of the rest. XLSX sheets carry it as a custom document property over every cell's value.

A bare hash only shows accidental or careless edits (anyone can recompute it); the HMAC, keyed
with the coach's secret, shows deliberate ones too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from roleplay.core import settings

STAMP = "roleplay-integrity"
VERSION = "v1"
KEY_ENV = settings.COACH_KEY_ENV
KEY_FILE_ENV = settings.COACH_KEY_FILE_ENV
KEY_FILE_NAME = settings.COACH_KEY_FILE_NAME
_STAMP_LINE = re.compile(
    rf"^(?P<prefix>.*?){STAMP} {VERSION} sha256=(?P<sha>[0-9a-f]{{64}})"
    rf"(?: hmac-sha256=(?P<mac>[0-9a-f]{{64}}) key=(?P<key>[0-9a-f]{{8}}))?(?P<suffix>.*)$")
# How each text format hides the stamp line from readers.
_WRAP = {"md": ("<!-- ", " -->"), "html": ("<!-- ", " -->"), "csv": ("# ", ""), "txt": ("", "")}


class IntegrityError(Exception):
    """The file cannot be checked (unreadable, unknown format, no stamp)."""


@dataclass
class Verdict:
    """What verify found: `intact` is False only when the content provably changed."""

    intact: bool
    hash_ok: bool
    hmac_checked: bool
    hmac_ok: bool | None
    key_id: str | None
    message: str


def key_path() -> Path:
    """The default coach key file (see roleplay.core.settings.coach_key_path)."""
    return settings.coach_key_path()


def coach_key() -> bytes | None:
    """The coach key from the environment or key file (roleplay.core.settings.coach_key), or None."""
    try:
        return settings.coach_key()
    except settings.CoachKeyError as exc:
        raise IntegrityError(str(exc)) from None


def create_key(path: Path | None = None) -> Path:
    """Write a new random coach key (owner-only permissions); refuses to overwrite an existing one."""
    path = path or key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path


def key_id(key: bytes) -> str:
    """A short public fingerprint saying which key signed, without revealing it."""
    return settings.coach_key_id(key)


def stamp(content: bytes, key: bytes | None) -> str:
    """The stamp text for `content`: hash, and HMAC + key id when a key is given."""
    text = f"{STAMP} {VERSION} sha256={hashlib.sha256(content).hexdigest()}"
    if key:
        mac = hmac.new(key, content, hashlib.sha256).hexdigest()
        text += f" hmac-sha256={mac} key={key_id(key)}"
    return text


def _normalise(text: str) -> bytes:
    return text.replace("\r\n", "\n").encode("utf-8")


def stamp_text(body: str, fmt: str, key: bytes | None = None) -> str:
    """Append the stamp line to a Markdown/HTML/CSV body; the line ending follows the body's."""
    prefix, suffix = _WRAP[fmt]
    newline = "\r\n" if "\r\n" in body else "\n"
    if body and not body.endswith(("\n", "\r\n")):
        body += newline
    return f"{body}{prefix}{stamp(_normalise(body), key)}{suffix}{newline}"


def stamp_json(document: dict, key: bytes | None = None) -> dict:
    """A copy of the document with an "integrity" member over its canonical JSON."""
    body = {k: v for k, v in document.items() if k != "integrity"}
    return {**body, "integrity": _parse_stamp(stamp(_canonical(body), key))}


def cells_digest_input(workbook) -> bytes:
    """What an XLSX stamp covers: every sheet's name and every cell's value, in order."""
    rows = [[ws.title, [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]]
            for ws in workbook.worksheets]
    return _canonical(rows)


def verify_file(path: str | Path, key: bytes | None = None) -> Verdict:
    """Check a stamped sheet. Raises IntegrityError when it cannot be checked at all."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IntegrityError(f"{path}: cannot read: {exc.strerror}") from None
    if raw[:4] == b"PK\x03\x04":
        content, found = _xlsx_parts(path)
    elif path.suffix.lower() == ".json":
        content, found = _json_parts(path, raw)
    else:
        content, found = _text_parts(path, raw)
    return _judge(content, found, key)


def _judge(content: bytes, found: dict, key: bytes | None) -> Verdict:
    hash_ok = hmac.compare_digest(hashlib.sha256(content).hexdigest(), found["sha256"])
    signed_by = found.get("key")
    if not hash_ok:
        return Verdict(False, False, False, None, signed_by,
                       "ALTERED: the content does not match its hash; the sheet was edited after export")
    if not signed_by:
        note = " (no HMAC: the sheet was exported without a coach key)"
        return Verdict(True, True, False, None, None, "ok: content matches its hash" + note)
    if key is None:
        return Verdict(True, True, False, None, signed_by,
                       f"ok: content matches its hash; HMAC (key {signed_by}) not checked: no coach key configured")
    if key_id(key) != signed_by:
        return Verdict(True, True, False, None, signed_by,
                       f"ok: content matches its hash; HMAC not checked: signed with key {signed_by}, "
                       f"yours is {key_id(key)}")
    mac_ok = hmac.compare_digest(hmac.new(key, content, hashlib.sha256).hexdigest(), found["hmac-sha256"])
    if not mac_ok:
        return Verdict(False, True, True, False, signed_by,
                       "ALTERED: the hash matches but the HMAC does not; the sheet was edited and re-hashed")
    return Verdict(True, True, True, True, signed_by, f"ok: content and HMAC (key {signed_by}) match")


def _text_parts(path: Path, raw: bytes) -> tuple[bytes, dict]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise IntegrityError(f"{path}: not a UTF-8 text sheet, and not an XLSX workbook") from None
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    match = _STAMP_LINE.match(lines[-1]) if lines else None
    if not match:
        raise IntegrityError(f"{path}: no {STAMP} stamp on the last line: not a sheet exported by roleplay "
                             "(or the stamp was removed)")
    body = "\n".join(lines[:-1]) + "\n" if len(lines) > 1 else ""
    found = {"sha256": match["sha"], "hmac-sha256": match["mac"], "key": match["key"]}
    return body.encode("utf-8"), found


def _json_parts(path: Path, raw: bytes) -> tuple[bytes, dict]:
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IntegrityError(f"{path}: not valid JSON ({exc}); the file was damaged or edited") from None
    found = document.get("integrity") if isinstance(document, dict) else None
    if not isinstance(found, dict) or not isinstance(found.get("sha256"), str):
        raise IntegrityError(f"{path}: no \"integrity\" member: not a sheet exported by roleplay")
    body = {k: v for k, v in document.items() if k != "integrity"}
    return _canonical(body), found


def _xlsx_parts(path: Path) -> tuple[bytes, dict]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=False, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged zips; all mean "cannot read"
        raise IntegrityError(f"{path}: not a readable XLSX workbook ({exc})") from None
    value = next((p.value for p in workbook.custom_doc_props.props if p.name == STAMP), None)
    if not value:
        raise IntegrityError(f"{path}: no {STAMP} document property: not a workbook exported by roleplay")
    return cells_digest_input(workbook), _parse_stamp(value)


def _parse_stamp(text: str) -> dict:
    match = _STAMP_LINE.match(text.strip())
    if not match:
        raise IntegrityError(f"malformed {STAMP} stamp: {text[:80]!r}")
    found = {"version": VERSION, "sha256": match["sha"]}
    if match["mac"]:
        found.update({"hmac-sha256": match["mac"], "key": match["key"]})
    return found


def stamp_property(workbook, key: bytes | None) -> None:
    """Record the XLSX stamp as a custom document property (cells stay exactly as written)."""
    from openpyxl.packaging.custom import StringProperty

    workbook.custom_doc_props.append(StringProperty(name=STAMP, value=stamp(cells_digest_input(workbook), key)))


def _canonical(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _cell(value):
    # Numbers compare by value (Excel may store 7 as 7.0), everything else as text; an empty
    # string is not stored in the file at all, so it reads back as an empty cell.
    if isinstance(value, bool) or value is None or value == "":
        return None if value == "" else value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)
