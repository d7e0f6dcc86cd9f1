"""One driver per live attempt: a lease (owner + heartbeat) in the attempts row, taken over only when stale."""

from __future__ import annotations

import getpass
import os
import secrets
import socket
import time
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from roleplay.core.store.errors import StoreError
from roleplay.core.store.tables import attempts

if TYPE_CHECKING:
    from roleplay.core.store.store import Store

HEARTBEAT_S = 10.0  # how often a driving terminal says it is still there
STALE_AFTER_S = 45.0  # silence after which a lease may be taken over (with a confirmation)


class LeaseError(StoreError):
    """Another terminal holds (or took over) the attempt; `holder` and `seen_s_ago` say who and when."""

    def __init__(self, message: str, holder: str | None = None, seen_s_ago: float | None = None):
        super().__init__(message)
        self.holder = holder
        self.seen_s_ago = seen_s_ago


class LeaseHeld(LeaseError):
    """The attempt is being driven right now by another terminal: it cannot be taken over."""


class LeaseStale(LeaseError):
    """The terminal that drove the attempt has gone quiet: it may be taken over after a confirmation."""


class LeaseLost(LeaseError):
    """This terminal no longer drives the attempt (another one took it over): nothing more is written."""


def new_owner() -> str:
    """Who drives an attempt, as an assessor reads it: `user@host pid N #tag` (the tag tells two runs apart)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (containers): the pid and host still identify the terminal
        user = "?"
    return f"{user}@{socket.gethostname()} pid {os.getpid()} #{secrets.token_hex(2)}"


def _dead_here(owner: str) -> bool:
    """True when the owner ran on this machine and its process is gone (a crash frees the lease at once)."""
    try:
        who, rest = owner.split(" pid ", 1)
        host = who.rsplit("@", 1)[1]
        pid = int(rest.split(" ", 1)[0])
    except (IndexError, ValueError):
        return False
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists but belongs to someone else
        return False
    return False


def claim(store: Store, attempt_id: int, owner: str, take_over: bool = False, now: float | None = None) -> None:
    """Make `owner` the attempt's driver. Raises LeaseHeld (someone is active), LeaseStale (someone went quiet:
    pass take_over=True once the user confirmed), StoreError (no such attempt, or it is finished)."""
    now = time.time() if now is None else now
    with store._begin(f"take over attempt {attempt_id}") as conn:
        row = conn.execute(select(attempts.c.finished_at, attempts.c.lease_owner, attempts.c.lease_seen_at)
                           .where(attempts.c.id == attempt_id).with_for_update()).first()
        if row is None:
            raise StoreError(f"no attempt {attempt_id} in the store at {store.url}")
        if row.finished_at is not None:
            raise StoreError(f"attempt {attempt_id} finished at {row.finished_at}; it cannot be resumed")
        holder = row.lease_owner
        if holder and holder != owner and not _dead_here(holder):  # a crashed process here holds nothing
            age = max(0.0, now - (row.lease_seen_at or 0.0))
            if age < STALE_AFTER_S:
                raise LeaseHeld(f"attempt {attempt_id} is being played in another terminal ({holder}, active "
                                f"{age:.0f} s ago); close that one first", holder, age)
            if not take_over:
                raise LeaseStale(f"attempt {attempt_id} was being played by {holder} (last seen {age:.0f} s ago); "
                                 "take it over only if that terminal is closed", holder, age)
        conn.execute(update(attempts).where(attempts.c.id == attempt_id)
                     .values(lease_owner=owner, lease_seen_at=now))


def heartbeat(store: Store, attempt_id: int, owner: str, now: float | None = None) -> bool:
    """Refresh the lease; False when this terminal no longer holds it (or the attempt is finished)."""
    with store._begin(f"keep attempt {attempt_id} alive") as conn:
        done = conn.execute(update(attempts).where(
            attempts.c.id == attempt_id, attempts.c.lease_owner == owner, attempts.c.finished_at.is_(None))
            .values(lease_seen_at=time.time() if now is None else now))
        return done.rowcount == 1


def release(store: Store, attempt_id: int, owner: str) -> None:
    """Let go of an unfinished attempt (paused on purpose), so resuming needs no take-over."""
    with store._begin(f"release attempt {attempt_id}") as conn:
        conn.execute(update(attempts).where(
            attempts.c.id == attempt_id, attempts.c.lease_owner == owner, attempts.c.finished_at.is_(None))
            .values(lease_owner=None, lease_seen_at=None))


def check_holder(attempt_id: int, owner: str | None, holder: str | None) -> None:
    """Inside a write: refuse it when another terminal has taken the attempt over."""
    if owner is not None and holder != owner:
        raise LeaseLost(f"attempt {attempt_id} is now played in another terminal ({holder or 'nobody'}); "
                        "this terminal stops writing to it", holder)
