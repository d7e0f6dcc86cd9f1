"""Sealing in the database: link and seal an attempt as it finishes; check the seals of finished attempts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, false, func, or_, select

from roleplay.core.store import seal
from roleplay.core.store.tables import attempts, turns


def same_session(code: str | None) -> ColumnElement[bool]:
    return attempts.c.session_code.is_(None) if code is None else attempts.c.session_code == code


def seal_finishing(conn: Connection, row: dict[str, Any], key: bytes | None) -> dict[str, Any]:
    """The chain and seal columns for `row` (the attempt as it will be once finished), inside the finishing
    transaction: the next link of its session's chain, then the digest and HMAC over the result."""
    if conn.dialect.name == "postgresql":  # one link at a time per chain (SQLite's BEGIN IMMEDIATE already is)
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"roleplay-chain\x1f{row['session_code']}"))))
    last = conn.execute(select(attempts.c.chain_seq, attempts.c.seal_sha256).where(
        same_session(row["session_code"]), attempts.c.chain_seq.is_not(None))
        .order_by(attempts.c.chain_seq.desc()).limit(1)).first()
    row = {**row, "chain_seq": (last.chain_seq if last else 0) + 1, "chain_prev": last.seal_sha256 if last else None}
    written = conn.execute(select(turns).where(turns.c.attempt_id == row["id"])).mappings().all()
    sealed = seal.seal_values(seal.content(row, written), key)
    return {"chain_seq": row["chain_seq"], "chain_prev": row["chain_prev"], **sealed}


def check_seals(conn: Connection, where: list[ColumnElement[bool]], key: bytes | None) -> list[seal.SealCheck]:
    """Check finished attempts matching `where`, with their sessions' hash chains, against the database now."""
    rows = conn.execute(select(attempts).where(attempts.c.finished_at.is_not(None), *where)
                        .order_by(attempts.c.id)).mappings().all()
    codes = {r["session_code"] for r in rows}
    chain_rows = conn.execute(select(attempts.c.id, attempts.c.session_code, attempts.c.chain_seq,
                                     attempts.c.seal_sha256).where(
        or_(false(), *[same_session(c) for c in codes]), attempts.c.chain_seq.is_not(None))).mappings().all()
    turns_of: dict[int, list[RowMapping]] = {}
    if rows:
        for t in conn.execute(select(turns).where(turns.c.attempt_id.in_([r["id"] for r in rows]))).mappings():
            turns_of.setdefault(t["attempt_id"], []).append(t)
    links: dict[int, str | None] = {}
    gaps: dict[str | None, list[str]] = {}
    for code in codes:
        found, gaps[code] = seal.expected_links([r for r in chain_rows if r["session_code"] == code])
        links.update(found)
    checks = seal.check_attempts(rows, turns_of, links, key)
    for check in checks:  # a hole in a chain marks every attempt of that session
        if gaps.get(check.session_code):
            check.status = seal.TAMPERED
            check.problems.extend(g for g in gaps[check.session_code] if g not in check.problems)
    return checks
