"""Rosters in the store: who is expected in a session or a standing group, looked up by 工号 or name."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from roleplay.core.content.roster_file import RosterEntry, normalise_id, normalise_name
from roleplay.core.store.errors import StoreError
from roleplay.core.store.store import Store, utc_now
from roleplay.core.store.tables import assessment_sessions, roster


def session_scope(code: str) -> str:
    return f"session:{code}"


def group_scope(name: str) -> str:
    return f"group:{normalise_name(name)}"


def replace_roster(store: Store, scope: str, entries: list[RosterEntry]) -> tuple[int, int]:
    """Make `entries` the scope's roster, in one transaction (all or nothing). Returns (removed, added)."""
    if scope.startswith("session:") and store.get_session(scope.split(":", 1)[1]) is None:
        raise StoreError(f"no session with code {scope.split(':', 1)[1]!r}: create it first (roleplay session create)")
    now = utc_now()
    with store._begin(f"import the roster of {scope}") as conn:
        removed = conn.execute(delete(roster).where(roster.c.scope == scope)).rowcount
        if entries:
            conn.execute(insert(roster), [{"scope": scope, "employee_id": e.employee_id, "name": e.name,
                                           "department": e.department, "email": e.email, "imported_at": now}
                                          for e in entries])
    return int(removed or 0), len(entries)


def members(store: Store, scope: str) -> list[RosterEntry]:
    query = select(roster).where(roster.c.scope == scope).order_by(roster.c.employee_id)
    with store._read() as conn:
        return [RosterEntry(r["employee_id"], r["name"], r["department"], r["email"])
                for r in conn.execute(query).mappings()]


def scopes(store: Store) -> list[tuple[str, int]]:
    """Every roster in the store with its size: ("session:K7M2QX", 31), ("group:2026届新员工", 120)."""
    query = select(roster.c.scope, func.count()).group_by(roster.c.scope).order_by(roster.c.scope)
    with store._read() as conn:
        return [(scope, int(n)) for scope, n in conn.execute(query)]


def link_group(store: Store, code: str, group: str | None) -> None:
    """Expect a standing group's members in a session too (None unlinks)."""
    with store._begin(f"link a roster group to session {code}") as conn:
        done = conn.execute(update(assessment_sessions).where(assessment_sessions.c.code == code)
                            .values(roster_group=None if group is None else normalise_name(group))).rowcount
    if not done:
        raise StoreError(f"no session with code {code!r}")


def session_group(store: Store, code: str) -> str | None:
    query = select(assessment_sessions.c.roster_group).where(assessment_sessions.c.code == code)
    with store._read() as conn:
        group: str | None = conn.execute(query).scalar()
    return group


def session_roster(store: Store, code: str) -> list[RosterEntry] | None:
    """Who is expected in a session: its own roster plus its linked group's; None when it has neither."""
    group = session_group(store, code)
    found = members(store, session_scope(code))
    if group:
        own = {e.employee_id for e in found}
        found += [e for e in members(store, group_scope(group)) if e.employee_id not in own]
    if not found and not group:
        return None
    return sorted(found, key=lambda e: e.employee_id)


def find_member(expected: list[RosterEntry], typed: str) -> RosterEntry | None:
    """The roster entry a trainee means by what they typed: a 工号 first, else a name that only one person has."""
    by_id = normalise_id(typed)
    for entry in expected:
        if entry.employee_id == by_id:
            return entry
    name = normalise_name(typed)
    named = [e for e in expected if e.name == name]
    if len(named) > 1:
        raise StoreError(f"{len(named)} people on the roster are called {name}: enter your 工号 instead")
    return named[0] if named else None
