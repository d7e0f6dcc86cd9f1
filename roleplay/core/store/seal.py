"""Seals on finished attempts: a digest of their canonical content, an HMAC with the coach key, a chain per session.

When an attempt finishes, the store writes, in the same UPDATE that freezes it:

- ``seal_sha256``: SHA-256 of the attempt's canonical content: id, trainee, 工号, scenario, seed, mode,
  session, preparation, time limit, start and finish times, total, max, passed, abandoned, the sheet's own hash, a digest of
  every turn (number, reply, result, time written) and its place in the session's chain;
- ``seal_hmac`` and ``seal_key``: HMAC-SHA256 of the same content with the coach key, and the key's
  fingerprint, when the writing process has a coach key;
- ``chain_seq`` and ``chain_prev``: its position among the sealed attempts of the same session and the
  previous one's ``seal_sha256``, so removing an attempt from the middle of a session breaks the link
  of the next one (whose HMAC covers that link).

`check_attempts` recomputes all of it from what is in the database now. Without the key, a seal only
catches edits that did not also recompute the digests (anyone who reads this file can); with the key,
any change to a sealed attempt, its turns or the order of a session's sealed attempts shows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from roleplay.core.settings import coach_key_id

if TYPE_CHECKING:
    from sqlalchemy import RowMapping

# A row as the store reads it (.mappings()) or builds it (a dict of column name to value).
Record: TypeAlias = "Mapping[str, Any] | RowMapping"

SEAL_VERSION = 1
# Columns of `attempts` the seal covers (not updated_at, the reply clock or the lease: they change while live).
SEALED_COLUMNS = ("id", "trainee", "employee_id", "scenario_id", "seed", "mode", "session_code", "prepared",
                  "time_limit_s", "started_at", "finished_at", "total", "max", "passed", "abandoned", "sheet_sha256",
                  "chain_seq", "chain_prev")

OK, UNSIGNED, UNVERIFIED, TAMPERED = "ok", "unsigned", "unverified", "tampered"


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def turn_digest(turn: Record) -> str:
    """One written turn's digest: its number, the reply, the stored result and when it was written."""
    return hashlib.sha256(_canonical([turn["turn"], turn["reply"], turn["data"], turn["recorded_at"]])).hexdigest()


def content(row: Record, turn_rows: Iterable[Record]) -> bytes:
    """The bytes a seal covers: the attempt's sealed columns and its turns' digests, in turn order."""
    values = {name: row[name] for name in SEALED_COLUMNS}
    for name in ("passed", "abandoned"):
        values[name] = None if values[name] is None else bool(values[name])
    for name in ("total", "max", "time_limit_s"):
        values[name] = None if values[name] is None else float(values[name])
    ordered = sorted(turn_rows, key=lambda t: t["turn"])
    return _canonical({"seal": SEAL_VERSION, "attempt": values, "turns": [turn_digest(t) for t in ordered]})


def seal_values(data: bytes, key: bytes | None) -> dict[str, str | None]:
    """The seal columns for content `data`: digest, and HMAC with the key's fingerprint when a key is given."""
    return {
        "seal_sha256": hashlib.sha256(data).hexdigest(),
        "seal_hmac": hmac.new(key, data, hashlib.sha256).hexdigest() if key else None,
        "seal_key": coach_key_id(key) if key else None,
    }


@dataclass
class SealCheck:
    """What checking one finished attempt found. `status`: ok, unsigned, unverified or tampered."""

    attempt_id: int
    session_code: str | None
    trainee: str
    status: str
    problems: list[str] = field(default_factory=list)  # why it is tampered (or why it could not be checked)
    key_id: str | None = None  # the key that signed it

    @property
    def tampered(self) -> bool:
        return self.status == TAMPERED

    def describe(self) -> str:
        """One line for an assessor: which attempt, what was checked, what is wrong."""
        head = f"attempt {self.attempt_id} ({self.trainee}, session {self.session_code or '-'})"
        if self.status == OK:
            return f"{head}: ok: seal and HMAC (key {self.key_id}) match"
        return f"{head}: {self.status.upper()}: " + "; ".join(self.problems)


def check_attempts(rows: Sequence[Record], turns_of: Mapping[int, Sequence[Record]], chain: Mapping[int, str | None],
                   key: bytes | None) -> list[SealCheck]:
    """Check finished attempts. `chain` maps each sealed attempt's id to the seal digest the chain says must
    come before it (see `expected_links`)."""
    return [_check_one(row, turns_of.get(row["id"], []), chain, key) for row in rows]


def expected_links(chain_rows: Sequence[Record]) -> tuple[dict[int, str | None], list[str]]:
    """For every sealed attempt of one session (any order): the digest its chain_prev must equal, and the
    gaps in the sequence (an attempt removed from the middle or the start of the chain)."""
    ordered = sorted((r for r in chain_rows if r["chain_seq"] is not None), key=lambda r: (r["chain_seq"], r["id"]))
    links: dict[int, str | None] = {}
    gaps: list[str] = []
    previous: Record | None = None
    for position, row in enumerate(ordered, 1):
        if row["chain_seq"] != position:
            gaps.append(f"sealed attempt number {position} of session {row['session_code'] or '(practice)'} is "
                        f"missing: attempt {row['id']} is number {row['chain_seq']}")
            position = row["chain_seq"]
        links[row["id"]] = previous["seal_sha256"] if previous is not None else None
        previous = row
    return links, gaps


def _check_one(row: Record, turn_rows: Sequence[Record], chain: Mapping[int, str | None],
               key: bytes | None) -> SealCheck:
    check = SealCheck(row["id"], row["session_code"], row["trainee"], OK, key_id=row["seal_key"])
    problems = check.problems
    problems += _sheet_problems(row)
    if row["seal_sha256"] is None:
        if problems:
            check.status = TAMPERED
            return check
        check.status = UNSIGNED
        problems.append("not sealed (finished before this version of roleplay, or the seal was removed)")
        return check
    data = content(row, turn_rows)
    digest_ok = hmac.compare_digest(hashlib.sha256(data).hexdigest(), row["seal_sha256"])
    if not digest_ok:
        problems.append("its content (scores, names, times or turns) does not match its seal")
    if row["id"] in chain and chain[row["id"]] != row["chain_prev"]:
        problems.append("the attempt sealed before it in the same session is missing or was altered "
                        "(hash chain broken)")
    signed = row["seal_hmac"] is not None and key is not None and row["seal_key"] == coach_key_id(key)
    if signed and key is not None and digest_ok and not hmac.compare_digest(
            hmac.new(key, data, hashlib.sha256).hexdigest(), row["seal_hmac"]):
        problems.append("its HMAC does not match: the attempt was edited and its hashes recomputed")
    if problems:
        check.status = TAMPERED
    elif signed:
        check.status = OK
    elif row["seal_hmac"] is None:
        check.status = UNSIGNED
        problems.append("seal matches, but it carries no HMAC (finished on a terminal without the coach key); "
                        "an unkeyed seal can be recomputed by anyone with write access to the store")
    else:
        check.status = UNVERIFIED
        problems.append(f"seal matches; HMAC not checked: signed with key {row['seal_key']}, "
                        + (f"yours is {coach_key_id(key)}" if key else "no coach key configured here"))
    return check


def _sheet_problems(row: Record) -> list[str]:
    """The stored sheet against its own hash and against the columns `session show` reads."""
    sheet_text = row["sheet"]
    if sheet_text is None:
        return ["finished without a score sheet"]
    if row["sheet_sha256"] != hashlib.sha256(sheet_text.encode("utf-8")).hexdigest():
        return ["the stored score sheet does not match its hash"]
    try:
        sheet = json.loads(sheet_text)
    except ValueError:
        return ["the stored score sheet is not valid JSON"]
    problems = []
    pairs = {"trainee": ("trainee", sheet.get("trainee")), "scenario": ("scenario_id", sheet.get("scenario")),
             "total": ("total", sheet.get("total")), "max": ("max", sheet.get("max")),
             "passed": ("passed", sheet.get("passed")), "seed": ("seed", sheet.get("seed"))}
    for label, (column, expected) in pairs.items():
        stored = row[column]
        if column == "passed":
            stored = None if stored is None else bool(stored)
        elif column in ("total", "max") and stored is not None:
            stored, expected = float(stored), None if expected is None else float(expected)
        if stored != expected:
            problems.append(f"{label} in the attempt list ({stored}) differs from its score sheet ({expected})")
    return problems


def refused(checks: list[SealCheck], have_key: bool, allow_unsigned: bool = False) -> list[SealCheck]:
    """The checks that must stop an export: every tampered attempt, and with a coach key configured every
    attempt whose HMAC could not be checked (unless the assessor allows unsigned attempts)."""
    strict = have_key and not allow_unsigned
    return [c for c in checks if c.tampered or (strict and c.status in (UNSIGNED, UNVERIFIED))]
