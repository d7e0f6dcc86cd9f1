"""Tamper evidence for exported sheets: a hash over every byte a reader sees, plus an HMAC with the coach key.

Three forms, each strictly parsed (anything outside the signed bytes fails verification):

- Markdown and HTML end with exactly one stamp line, `<!-- roleplay-integrity v2 sha256=… -->`; the hash
  covers every byte before it, exactly as stored (no normalisation: an edited line ending is an edit).
- JSON carries an "integrity" member over the canonical JSON of the rest, and the file must be byte for
  byte what roleplay writes for that content (reformatting or a duplicated key is an edit).
- CSV and XLSX files stay pure data (Excel shows no stamp row); the stamp sits in a detached sidecar file
  `NAME.sig` next to them and covers the file's bytes, so number formats, hidden rows and fonts are covered.

A bare hash only shows accidental or careless edits (anyone can recompute it); the HMAC, keyed with the
coach's secret, shows deliberate ones too. Where a coach key is configured, `roleplay verify` requires it.
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
from typing import Any

from roleplay.core import settings

STAMP = "roleplay-integrity"
VERSION = "v2"
SIDECAR_SUFFIX = ".sig"
SIDECAR_FORMATS = ("csv", "xlsx")  # data files a spreadsheet opens: the stamp lives beside them
KEY_ENV = settings.COACH_KEY_ENV  # the key itself
KEY_FILE_ENV = settings.COACH_KEY_FILE_ENV  # or a file holding it
KEY_FILE_NAME = settings.COACH_KEY_FILE_NAME
_HEX64, _HEX8 = "[0-9a-f]{64}", "[0-9a-f]{8}"
_STAMP = re.compile(rf"{STAMP} {VERSION} sha256=(?P<sha>{_HEX64})(?: hmac-sha256=(?P<mac>{_HEX64}) key=(?P<key>{_HEX8}))?")
_COMMENT = ("<!-- ", " -->")  # how Markdown and HTML hide the stamp line from readers
_OLD = ("{path}: stamped by an older roleplay (v1), whose stamp did not cover every byte a reader sees: "
        "it cannot be verified; export the sheet again")


class IntegrityError(Exception):
    """The file cannot be checked (unreadable, unknown format, no stamp)."""


@dataclass
class Verdict:
    """What verify found: `intact` is False when the content or its stamp provably changed."""

    intact: bool
    hash_ok: bool
    hmac_checked: bool
    hmac_ok: bool | None
    key_id: str | None
    message: str

    def verified(self, require_hmac: bool) -> bool:
        """Intact, and signed with the configured key when one is required."""
        return self.intact and (self.hmac_ok is True or not require_hmac)


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


def stamp_text(body: str, key: bytes | None = None) -> bytes:
    """A Markdown/HTML sheet with its stamp line appended; the hash covers every byte of `body`."""
    if body and not body.endswith("\n"):
        body += "\n"
    data = body.encode("utf-8")
    return data + f"{_COMMENT[0]}{stamp(data, key)}{_COMMENT[1]}\n".encode("ascii")


def stamp_json(document: dict[str, Any], key: bytes | None = None) -> bytes:
    """The JSON sheet as written: the document plus an "integrity" member over its canonical JSON."""
    body = {k: v for k, v in document.items() if k != "integrity"}
    return _json_bytes({**body, "integrity": _parse_stamp(stamp(_canonical(body), key))})


def sidecar_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def sidecar_text(data: bytes, key: bytes | None = None) -> bytes:
    """The detached stamp for a CSV/XLSX file's exact bytes (one line)."""
    return (stamp(data, key) + "\n").encode("ascii")


def verify_file(path: str | Path, key: bytes | None = None) -> Verdict:
    """Check a stamped sheet (or a sidecar's data file). Raises IntegrityError when it cannot be checked."""
    path = Path(path)
    if path.name.endswith(SIDECAR_SUFFIX):
        path = path.with_name(path.name[: -len(SIDECAR_SUFFIX)])
    raw = _read(path)
    if path.suffix.lower().lstrip(".") in SIDECAR_FORMATS or raw[:4] == b"PK\x03\x04":
        return _check_sidecar(path, raw, key)
    if path.suffix.lower() == ".json":
        return _check_json(path, raw, key)
    return _check_text(path, raw, key)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IntegrityError(f"{path}: cannot read: {exc.strerror}") from None


def _altered(why: str, found: dict[str, Any] | None = None) -> Verdict:
    return Verdict(False, False, False, None, (found or {}).get("key"), f"ALTERED: {why}")


def _check_text(path: Path, raw: bytes, key: bytes | None) -> Verdict:
    if STAMP.encode() not in raw:
        raise IntegrityError(f"{path}: no {STAMP} stamp: not a sheet exported by roleplay (or the stamp was removed)")
    cut = raw.rfind(b"\n", 0, len(raw) - 1) + 1
    body, line = raw[:cut], raw[cut:]
    if f"{STAMP} v1 ".encode() in line:
        raise IntegrityError(_OLD.format(path=path))
    match = re.fullmatch(rf"{re.escape(_COMMENT[0])}({_STAMP.pattern}){re.escape(_COMMENT[1])}\n",
                         line.decode("utf-8", "replace"))
    if not match:
        return _altered("the stamp is not the exact last line of the file (text was added around it, "
                        "or the file was cut short)")
    return _judge(body, _parse_stamp(match[1]), key)


def _check_json(path: Path, raw: bytes, key: bytes | None) -> Verdict:
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError) as exc:
        if b'"integrity"' in raw:
            return _altered(f"not valid JSON any more ({exc}): the file was cut or edited")
        raise IntegrityError(f"{path}: not valid JSON ({exc}) and no \"integrity\" member") from None
    found = document.get("integrity") if isinstance(document, dict) else None
    if not isinstance(found, dict):
        raise IntegrityError(f"{path}: no \"integrity\" member: not a sheet exported by roleplay")
    if found.get("version") == "v1":
        raise IntegrityError(_OLD.format(path=path))
    try:
        parsed = _parse_stamp(_stamp_of(found))
    except IntegrityError:
        return _altered("the \"integrity\" member is malformed")
    if parsed != found or _json_bytes(document) != raw:
        return _altered("the file's bytes differ from what roleplay wrote for this content (edited or reformatted)")
    return _judge(_canonical({k: v for k, v in document.items() if k != "integrity"}), found, key)


def _check_sidecar(path: Path, raw: bytes, key: bytes | None) -> Verdict:
    sig = sidecar_path(path)
    try:
        text = sig.read_bytes().decode("ascii")
    except FileNotFoundError:
        raise IntegrityError(f"{path}: no {sig.name} beside it: the stamp of a CSV/XLSX export lives in that "
                             "file; copy both together") from None
    except (OSError, UnicodeDecodeError) as exc:
        return _altered(f"{sig.name} is unreadable or not a stamp ({exc})")
    match = _STAMP.fullmatch(text[:-1]) if text.endswith("\n") else None
    if not match:
        return _altered(f"{sig.name} is not exactly one {STAMP} line (edited or cut short)")
    return _judge(raw, _parse_stamp(match[0]), key)


def _judge(content: bytes, found: dict[str, Any], key: bytes | None) -> Verdict:
    hash_ok = hmac.compare_digest(hashlib.sha256(content).hexdigest(), found["sha256"])
    signed_by = found.get("key")
    if not hash_ok:
        return Verdict(False, False, False, None, signed_by,
                       "ALTERED: the content does not match its hash; the sheet was edited after export")
    if not signed_by:
        return Verdict(True, True, False, None, None,
                       "content matches its hash, but it carries no HMAC (exported without a coach key)")
    if key is None:
        return Verdict(True, True, False, None, signed_by,
                       f"content matches its hash; HMAC (key {signed_by}) not checked: no coach key configured")
    if key_id(key) != signed_by:
        return Verdict(True, True, False, None, signed_by,
                       f"content matches its hash; HMAC not checked: signed with key {signed_by}, "
                       f"yours is {key_id(key)}")
    mac_ok = hmac.compare_digest(hmac.new(key, content, hashlib.sha256).hexdigest(), found["hmac-sha256"])
    if not mac_ok:
        return Verdict(False, True, True, False, signed_by,
                       "ALTERED: the hash matches but the HMAC does not; the sheet was edited and re-hashed")
    return Verdict(True, True, True, True, signed_by, f"ok: content and HMAC (key {signed_by}) match")


def _parse_stamp(text: str) -> dict[str, Any]:
    match = _STAMP.fullmatch(text)
    if not match:
        raise IntegrityError(f"malformed {STAMP} stamp: {text[:80]!r}")
    found = {"version": VERSION, "sha256": match["sha"]}
    if match["mac"]:
        found.update({"hmac-sha256": match["mac"], "key": match["key"]})
    return found


def _stamp_of(found: dict[str, Any]) -> str:
    if found.get("version") != VERSION or not isinstance(found.get("sha256"), str):
        raise IntegrityError("malformed integrity member")
    text = f"{STAMP} {VERSION} sha256={found['sha256']}"
    if "hmac-sha256" in found or "key" in found:
        text += f" hmac-sha256={found.get('hmac-sha256')} key={found.get('key')}"
    return text


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a key appears twice (a reader may show either value)")
    return dict(pairs)


def _json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
