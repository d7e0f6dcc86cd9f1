"""The attempt store: every turn committed as it happens, finished attempts frozen, sessions kept."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import datetime, UTC
from types import TracebackType
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, and_, func, insert, select, true, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from roleplay.core.conversation.results import ScoreSheet, TurnResult
from roleplay.core.store import seal, sealing
from roleplay.core.store.connect import READS_ONLY, _reason, shown_url
from roleplay.core.store.errors import StoreError
from roleplay.core.store.leases import check_holder
from roleplay.core.store.tables import assessment_sessions, attempts, turns

_DEFAULT_KEY = object()  # Store(key=...) not given: read the coach key from the environment when needed


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def canonical_json(obj: object) -> str:
    """One spelling per value, so the same sheet always hashes the same."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class AttemptInfo:
    """One attempt as listed in history and resume prompts (no turns, no sheet)."""

    id: int
    trainee: str
    scenario_id: str
    mode: str
    session_code: str | None
    seed: int
    started_at: str
    finished_at: str | None
    total: float | None
    max: float | None
    passed: bool | None
    prepared: list[str] | None = None
    turns: int = 0  # turns written so far
    updated_at: str | None = None  # when the last turn was written
    time_limit_s: float | None = None  # per reply, fixed at the start
    asked_at: float | None = None  # epoch seconds: when the client's current line was shown
    lease_owner: str | None = None  # the terminal driving it now (None: nobody)
    lease_seen_at: float | None = None  # that terminal's last heartbeat (epoch seconds)
    abandoned: bool = False
    employee_id: str | None = None  # 工号, when the trainee was identified by the roster

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> float | None:
        if self.total is None or not self.max:
            return None
        return round(100.0 * self.total / self.max, 1)


@dataclass
class SessionRow:
    """An assessment session as stored (roleplay.core.attempts.assessment wraps it with the rules)."""

    code: str
    title: str
    scenario_ids: list[str]
    pass_mark: float
    time_limit_s: float | None
    deadline: str | None
    attempts_allowed: int
    created_at: str = field(default_factory=utc_now)
    scenario_files: dict[str, str] | None = None  # scenario id -> file, for scenarios outside the shipped set


class Store:
    """Attempts, turns and assessment sessions in one SQL database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, key: bytes | None | object = _DEFAULT_KEY) -> None:
        self.engine = engine
        self.url = shown_url(str(engine.url))
        self._key: bytes | None | object = key  # the coach key that seals finished attempts (bytes or None)

    @property
    def key(self) -> bytes | None:
        """The coach key sealing and checking attempts: given to the Store, else $ROLEPLAY_COACH_KEY or the key file."""
        if self._key is _DEFAULT_KEY:
            from roleplay.core.settings import CoachKeyError, coach_key

            try:
                self._key = coach_key()
            except CoachKeyError as exc:
                raise StoreError(str(exc)) from None
        return cast("bytes | None", self._key)  # the sentinel was replaced above

    # -- attempts -------------------------------------------------------------------------

    def start_attempt(self, trainee: str, scenario_id: str, seed: int, mode: str,
                      session_code: str | None = None, prepared: list[str] | None = None,
                      attempts_allowed: int | None = None, time_limit_s: float | None = None,
                      owner: str | None = None, clock: float | None = None, employee_id: str | None = None) -> int:
        """A new attempt's id. With `attempts_allowed`, counting and inserting are one atomic step, so two
        terminals starting at the same moment cannot both take the trainee's last attempt (counted by
        `employee_id`, the 工号, when given: two 王伟 stay apart). `owner` takes the lease; the reply clock
        starts now (`clock`, epoch seconds)."""
        now = utc_now()
        clock = time.time() if clock is None else clock
        row = {
            "trainee": trainee, "scenario_id": scenario_id, "seed": int(seed), "mode": mode,
            "session_code": session_code, "started_at": now, "updated_at": now,
            "prepared": None if prepared is None else canonical_json(list(prepared)),
            "time_limit_s": time_limit_s, "asked_at": clock, "lease_owner": owner,
            "lease_seen_at": clock if owner else None, "employee_id": employee_id,
        }
        with self._begin("start an attempt") as conn:
            if attempts_allowed is not None and session_code is not None:
                if conn.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE already serialises writers
                    conn.execute(select(func.pg_advisory_xact_lock(
                        func.hashtext(f"{session_code}\x1f{trainee}\x1f{scenario_id}"))))
                used = conn.execute(select(func.count()).select_from(attempts).where(
                    attempts.c.session_code == session_code, _who(trainee, employee_id),
                    attempts.c.scenario_id == scenario_id)).scalar_one()
                if used >= attempts_allowed:
                    raise StoreError(f"{trainee} has used all {attempts_allowed} attempt(s) at {scenario_id} "
                                     f"in session {session_code}")
            return int(conn.execute(insert(attempts).values(**row).returning(attempts.c.id)).scalar_one())

    def record_turn(self, attempt_id: int, turn: TurnResult, owner: str | None = None,
                    clock: float | None = None) -> None:
        """Write one turn; the next reply's clock starts at `clock` (epoch seconds, default now). With `owner`,
        refused (LeaseLost) once another terminal has taken the attempt over."""
        clock = time.time() if clock is None else clock
        # PostgreSQL text cannot hold NUL; dropping it on every database keeps SQLite and PostgreSQL alike
        # (and a NUL carries nothing a reader could see).
        turn.reply = turn.reply.replace("\x00", "")
        with self._begin(f"record turn {turn.turn} of attempt {attempt_id}") as conn:
            self._require_open(conn, attempt_id, owner)
            try:
                conn.execute(insert(turns).values(
                    attempt_id=attempt_id, turn=int(turn.turn), reply=turn.reply,
                    data=canonical_json(turn.to_dict()), recorded_at=utc_now()))
            except IntegrityError:
                raise StoreError(f"attempt {attempt_id} already has a turn {turn.turn}") from None
            values = {"updated_at": utc_now(), "asked_at": clock}
            if owner is not None:
                values["lease_seen_at"] = clock
            conn.execute(update(attempts).where(attempts.c.id == attempt_id).values(**values))

    def finish_attempt(self, attempt_id: int, sheet: ScoreSheet, owner: str | None = None) -> None:
        """Freeze the attempt with its sheet (an abandoned sheet marks it abandoned); the lease ends with it.
        The same UPDATE seals it (roleplay.core.store.seal): digest, HMAC with the coach key, session chain."""
        data = canonical_json(sheet.to_dict())
        key = self.key
        with self._begin(f"finish attempt {attempt_id}") as conn:
            self._require_open(conn, attempt_id, owner)
            now = utc_now()
            values = dict(finished_at=sheet.finished_at or now, updated_at=now, total=float(sheet.total),
                          max=float(sheet.max), passed=bool(sheet.passed), sheet=data, abandoned=bool(sheet.abandoned),
                          lease_owner=None, lease_seen_at=None,
                          sheet_sha256=hashlib.sha256(data.encode("utf-8")).hexdigest())
            row = dict(conn.execute(select(attempts).where(attempts.c.id == attempt_id)).mappings().one())
            values.update(sealing.seal_finishing(conn, {**row, **values}, key))
            conn.execute(update(attempts).where(attempts.c.id == attempt_id).values(**values))

    def check_seals(self, session_code: str | None = None, trainee: str | None = None,
                    attempt_ids: list[int] | None = None) -> list[seal.SealCheck]:
        """Check the seals of finished attempts (one session's, one trainee's, these ids, or all), with their
        sessions' hash chains, against what the database holds now."""
        where: list[ColumnElement[bool]] = []
        if session_code is not None:
            where.append(attempts.c.session_code == session_code)
        if trainee is not None:
            where.append(attempts.c.trainee == trainee)
        if attempt_ids is not None:
            where.append(attempts.c.id.in_(attempt_ids))
        key = self.key
        with self._read() as conn:
            return sealing.check_seals(conn, where, key)

    def attempt(self, attempt_id: int) -> AttemptInfo | None:
        rows = self._infos(attempts.c.id == attempt_id)
        return rows[0] if rows else None

    def unfinished_attempts(self, trainee: str | None = None, employee_id: str | None = None) -> list[AttemptInfo]:
        where: list[ColumnElement[bool]] = [attempts.c.finished_at.is_(None)]
        if trainee is not None or employee_id is not None:
            where.append(_who(trainee, employee_id))
        return self._infos(and_(*where))

    def history(self, trainee: str | None = None, scenario_id: str | None = None,
                session_code: str | None = None) -> list[AttemptInfo]:
        where: list[ColumnElement[bool]] = []
        if trainee is not None:
            where.append(attempts.c.trainee == trainee)
        if scenario_id is not None:
            where.append(attempts.c.scenario_id == scenario_id)
        if session_code is not None:
            where.append(attempts.c.session_code == session_code)
        return self._infos(and_(true(), *where))

    def replies(self, attempt_id: int) -> list[str]:
        query = select(turns.c.reply).where(turns.c.attempt_id == attempt_id).order_by(turns.c.turn)
        with self._read() as conn:
            return [r for (r,) in conn.execute(query)]

    def replay_inputs(self, attempt_ids: list[int]) -> dict[int, tuple[dict[str, Any] | None, list[str]]]:
        """attempt id -> (its stored sheet as a dict, or None; its replies in turn order), for many attempts in
        two queries per batch (rescore): one query per attempt cost more than replaying it."""
        found: dict[int, tuple[dict[str, Any] | None, list[str]]] = {}
        for start in range(0, len(attempt_ids), 500):  # well under every database's bound-parameter limit
            batch = attempt_ids[start:start + 500]
            with self._read() as conn:
                for row in conn.execute(select(attempts.c.id, attempts.c.sheet, attempts.c.sheet_sha256)
                                        .where(attempts.c.id.in_(batch))):
                    found[row.id] = (None if row.sheet is None else _checked_sheet(row.id, row.sheet,
                                                                                    row.sheet_sha256), [])
                for attempt_id, reply in conn.execute(select(turns.c.attempt_id, turns.c.reply)
                                                      .where(turns.c.attempt_id.in_(batch))
                                                      .order_by(turns.c.attempt_id, turns.c.turn)):
                    found[attempt_id][1].append(reply)
        return found

    def turns(self, attempt_id: int) -> list[TurnResult]:
        query = select(turns.c.data).where(turns.c.attempt_id == attempt_id).order_by(turns.c.turn)
        with self._read() as conn:
            return [TurnResult.from_dict(json.loads(d)) for (d,) in conn.execute(query)]

    def score_sheet(self, attempt_id: int) -> ScoreSheet | None:
        """The final sheet of a finished attempt; None while unfinished or unknown."""
        query = select(attempts.c.sheet, attempts.c.sheet_sha256).where(attempts.c.id == attempt_id)
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None or row.sheet is None:
            return None
        return ScoreSheet.from_dict(_checked_sheet(attempt_id, row.sheet, row.sheet_sha256))

    def finished_sheets(self, trainee: str | None = None, session_code: str | None = None,
                        attempt_id: int | None = None) -> Iterator[tuple[AttemptInfo, dict[str, Any]]]:
        """(AttemptInfo, the stored sheet as a dict) for every finished attempt, oldest first, in ONE query:
        reports build their rows from what was stored instead of asking per attempt or replaying."""
        where: list[ColumnElement[bool]] = [attempts.c.finished_at.is_not(None), attempts.c.sheet.is_not(None)]
        for column, value in ((attempts.c.trainee, trainee), (attempts.c.session_code, session_code),
                              (attempts.c.id, attempt_id)):
            if value is not None:
                where.append(column == value)
        query = select(attempts).where(*where).order_by(attempts.c.started_at, attempts.c.id)
        with self._read() as conn:  # streamed: a 10,000-attempt report never holds every sheet at once
            for row in conn.execute(query).mappings():
                yield _info({**row, "n_turns": 0}), _checked_sheet(row["id"], row["sheet"], row["sheet_sha256"])

    def count_attempts(self, session_code: str, trainee: str, scenario_id: str | None = None,
                       employee_id: str | None = None) -> int:
        where = [attempts.c.session_code == session_code, _who(trainee, employee_id)]
        if scenario_id is not None:
            where.append(attempts.c.scenario_id == scenario_id)
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(attempts).where(*where)).scalar_one())

    # -- assessment sessions --------------------------------------------------------------

    def add_session(self, row: SessionRow) -> None:
        values = {**row.__dict__, "scenario_ids": canonical_json(list(row.scenario_ids)),
                  "scenario_files": canonical_json(row.scenario_files) if row.scenario_files else None}
        try:
            with self._begin(f"create session {row.code}") as conn:
                conn.execute(insert(assessment_sessions).values(**values))
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError) or "UNIQUE" in str(exc) or "duplicate" in str(exc):
                raise StoreError(f"a session with code {row.code} already exists: choose another code") from None
            raise

    def get_session(self, code: str) -> SessionRow | None:
        query = select(assessment_sessions).where(assessment_sessions.c.code == code)
        with self._read() as conn:
            row = conn.execute(query).mappings().first()
        return _session_row(row) if row else None

    def sessions(self) -> list[SessionRow]:
        query = select(assessment_sessions).order_by(assessment_sessions.c.created_at.desc())
        with self._read() as conn:
            return [_session_row(r) for r in conn.execute(query).mappings()]

    # -- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _infos(self, where: ColumnElement[bool]) -> list[AttemptInfo]:
        counts = (select(turns.c.attempt_id, func.count().label("n"))
                  .group_by(turns.c.attempt_id).subquery())
        query = (select(attempts, func.coalesce(counts.c.n, 0).label("n_turns"))
                 .outerjoin(counts, counts.c.attempt_id == attempts.c.id)
                 .where(where).order_by(attempts.c.started_at.desc(), attempts.c.id.desc()))
        with self._read() as conn:
            return [_info(r) for r in conn.execute(query).mappings()]

    def _require_open(self, conn: Connection, attempt_id: int, owner: str | None = None) -> None:
        query = select(attempts.c.finished_at, attempts.c.lease_owner).where(attempts.c.id == attempt_id)
        row = conn.execute(query).first()
        if row is None:
            raise StoreError(f"no attempt {attempt_id} in the store at {self.url}")
        if row.finished_at is not None:
            raise StoreError(f"attempt {attempt_id} finished at {row.finished_at} and cannot be changed")
        check_holder(attempt_id, owner, row.lease_owner)

    def _begin(self, doing: str) -> _Transaction:
        return _Transaction(self, doing, write=True)

    def _read(self) -> _Transaction:
        return _Transaction(self, "read the store", write=False)


class _Transaction:
    """A connection in a transaction, turning database errors into StoreError with what was being done."""

    def __init__(self, store: Store, doing: str, write: bool) -> None:
        self.store, self.doing, self.write = store, doing, write

    def __enter__(self) -> Connection:
        try:
            self._context: AbstractContextManager[Connection] = (
                self.store.engine.begin() if self.write
                else self.store.engine.connect().execution_options(**{READS_ONLY: True}))
            return self._context.__enter__()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {self.doing}: {_reason(exc)} ({self.store.url})") from exc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        try:
            self._context.__exit__(exc_type, exc, tb)
        except SQLAlchemyError as error:
            raise StoreError(f"cannot {self.doing}: {_reason(error)} ({self.store.url})") from error
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"cannot {self.doing}: {_reason(exc)} ({self.store.url})") from exc
        return False


def _who(trainee: str | None, employee_id: str | None) -> ColumnElement[bool]:
    """Attempts of one person: by 工号 when known (two 王伟 are two people), else by name."""
    if employee_id is not None:
        return attempts.c.employee_id == employee_id
    return attempts.c.trainee == trainee


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _checked_sheet(attempt_id: int, sheet: str, sha256: str | None) -> dict[str, Any]:
    """A stored sheet's JSON, refused when it no longer matches the hash written with it."""
    if hashlib.sha256(sheet.encode("utf-8")).hexdigest() != sha256:
        raise StoreError(f"attempt {attempt_id}: the stored score sheet does not match its hash; "
                         "it was edited outside roleplay")
    data: dict[str, Any] = json.loads(sheet)
    return data


def _info(r: Mapping[str, Any] | RowMapping) -> AttemptInfo:
    return AttemptInfo(
        id=r["id"], trainee=r["trainee"], scenario_id=r["scenario_id"], mode=r["mode"],
        session_code=r["session_code"], seed=r["seed"], started_at=r["started_at"],
        finished_at=r["finished_at"], total=r["total"], max=r["max"],
        passed=None if r["passed"] is None else bool(r["passed"]),
        prepared=_loads(r["prepared"]), turns=int(r["n_turns"]), updated_at=r["updated_at"],
        time_limit_s=r["time_limit_s"], asked_at=r["asked_at"], lease_owner=r["lease_owner"],
        lease_seen_at=r["lease_seen_at"], abandoned=bool(r["abandoned"]), employee_id=r["employee_id"])


def _session_row(r: Mapping[str, Any] | RowMapping) -> SessionRow:
    return SessionRow(code=r["code"], title=r["title"], scenario_ids=json.loads(r["scenario_ids"]),
                      pass_mark=r["pass_mark"], time_limit_s=r["time_limit_s"], deadline=r["deadline"],
                      attempts_allowed=r["attempts_allowed"], created_at=r["created_at"],
                      scenario_files=_loads(r["scenario_files"]))
