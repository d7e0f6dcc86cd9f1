"""Assessment sessions: a coach creates one (code, scenarios, pass mark, limits); trainees join by code."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, UTC

from typing import TYPE_CHECKING

from roleplay.core.conversation.results import ScoreSheet

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when a session is read or written
    from roleplay.core.scenario.model import Scenario
    from roleplay.core.store.store import SessionRow, Store

# No 0/O, 1/I/L: codes are read aloud in a classroom and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_PATTERN = re.compile(r"^[A-Z0-9]{4,16}$")
MAX_TRAINEE_CHARS = 80  # a 40-character name plus ' [工号]' (roleplay.core.attempts.identity)


class AssessmentError(Exception):
    """A session cannot be created or joined; the message says why and what to do."""


@dataclass
class AssessmentSession:
    """A coach's assessment: which scenarios, the pass mark (percent), and the limits."""

    code: str
    title: str
    scenario_ids: list[str]
    pass_mark: float  # percent of the scenario's points
    time_limit_s: float | None  # per reply; None = no limit
    deadline: str | None  # ISO 8601 with offset; None = open-ended
    attempts_allowed: int  # per trainee and scenario
    created_at: str = ""
    scenario_files: dict[str, str] = field(default_factory=dict)  # id -> file, for scenarios given as files

    @classmethod
    def from_row(cls, row: SessionRow) -> AssessmentSession:
        return cls(row.code, row.title, list(row.scenario_ids), row.pass_mark, row.time_limit_s,
                   row.deadline, row.attempts_allowed, row.created_at, dict(row.scenario_files or {}))

    def scenario(self, scenario_id: str) -> Scenario:
        """One of the session's scenarios, from the file it was created with, else among the shipped ones."""
        from roleplay.core.scenario.library import find_scenario

        return find_scenario(self.scenario_files.get(scenario_id, scenario_id))

    def past_deadline(self, now: datetime | None = None) -> bool:
        if not self.deadline:
            return False
        return (now or datetime.now(UTC)) > datetime.fromisoformat(self.deadline)

    def attempts_left(self, store: Store, trainee: str, employee_id: str | None = None) -> dict[str, int]:
        """Scenario id -> attempts the trainee may still start (started ones count, finished or not);
        counted by 工号 when the trainee was identified by the roster."""
        return {sid: max(0, self.attempts_allowed - store.count_attempts(self.code, trainee, sid, employee_id))
                for sid in self.scenario_ids}

    def next_scenario(self, store: Store, trainee: str, employee_id: str | None = None) -> str | None:
        """The first scenario, in the coach's order, the trainee has not used up."""
        left = self.attempts_left(store, trainee, employee_id)
        done = {i.scenario_id for i in store.history(trainee, session_code=self.code) if i.finished
                and (employee_id is None or i.employee_id == employee_id)}
        for sid in self.scenario_ids:  # untried scenarios first, then retries
            if left[sid] and sid not in done:
                return sid
        return next((sid for sid in self.scenario_ids if left[sid]), None)

    def is_open(self, now: datetime | None = None) -> bool:
        return not self.past_deadline(now)

    def apply_pass_mark(self, sheet: ScoreSheet) -> ScoreSheet:
        """The session's percent pass mark replaces the scenario's; hard-fail checks still fail."""
        sheet.pass_mark = round(sheet.max * self.pass_mark / 100.0, 2)
        sheet.passed = sheet.total >= sheet.pass_mark - 1e-9 and not sheet.hard_failed
        sheet.mode = "assessment"
        return sheet

    def to_row(self) -> SessionRow:
        from roleplay.core.store.store import SessionRow, utc_now

        return SessionRow(self.code, self.title, list(self.scenario_ids), self.pass_mark, self.time_limit_s,
                          self.deadline, self.attempts_allowed, self.created_at or utc_now(),
                          dict(self.scenario_files) or None)


def new_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    return unicodedata.normalize("NFKC", code or "").strip().upper()


def check_trainee(trainee: str) -> str:
    """A trainee name/ID as typed: NFKC (Ａ123 and A123 are one person), trimmed, spaces collapsed, printable,
    short. Raises AssessmentError otherwise."""
    name = " ".join(unicodedata.normalize("NFKC", trainee or "").split())
    if not name:
        raise AssessmentError("enter your name or staff ID to join the session")
    if len(name) > MAX_TRAINEE_CHARS:
        raise AssessmentError(f"a name or ID has at most {MAX_TRAINEE_CHARS} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise AssessmentError("a name or ID cannot contain control characters")
    return name


def parse_deadline(text: str | None) -> str | None:
    """ISO 8601 date or date-time; without an offset it is local time. Returns ISO with offset."""
    if text is None or not str(text).strip():
        return None
    try:
        moment = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise AssessmentError(f"deadline {text!r} is not a date: use e.g. 2026-12-01T18:00 or 2026-12-01") from None
    if len(str(text).strip()) == 10:  # a bare date means the end of that day
        moment = moment.replace(hour=23, minute=59, second=59)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def create_session(store: Store, title: str, scenario_ids: list[str], pass_mark: float = 60.0,
                   time_limit_s: float | None = None, deadline: str | None = None,
                   attempts_allowed: int = 1, code: str | None = None,
                   now: datetime | None = None, scenario_files: dict[str, str] | None = None) -> AssessmentSession:
    """Validate and store a new session. `scenario_ids` must already be known scenarios (the caller checks)."""
    from roleplay.core.store.store import utc_now

    title = (title or "").strip()
    if not title or len(title) > 200:
        raise AssessmentError("a session needs a title of 1 to 200 characters")
    if not scenario_ids:
        raise AssessmentError("a session needs at least one scenario")
    if len(set(scenario_ids)) != len(scenario_ids):
        raise AssessmentError("a scenario is listed twice: list each once (use attempts for retries)")
    if not 0 <= pass_mark <= 100:
        raise AssessmentError(f"pass mark {pass_mark} must be a percentage between 0 and 100")
    if time_limit_s is not None and time_limit_s <= 0:
        raise AssessmentError("the time limit per reply must be more than 0 seconds")
    if attempts_allowed < 1:
        raise AssessmentError("attempts allowed must be at least 1")
    if code is not None:
        code = normalise_code(code)
        if not CODE_PATTERN.match(code):
            raise AssessmentError(f"session code {code!r} must be 4 to 16 letters or digits")
    else:
        code = _unused_code(store)
    closes = parse_deadline(deadline)
    now = now or datetime.now(UTC)
    if closes is not None and datetime.fromisoformat(closes) <= now:
        example = (now + timedelta(days=7)).astimezone().strftime("%Y-%m-%dT18:00")
        raise AssessmentError(f"deadline {deadline} is already past (it would close the session before anyone "
                              f"joins): give a future date or time, e.g. --deadline {example}")
    session = AssessmentSession(code, title, list(scenario_ids), float(pass_mark),
                                None if time_limit_s is None else float(time_limit_s),
                                closes, int(attempts_allowed), utc_now(), dict(scenario_files or {}))
    store.add_session(session.to_row())
    return session


def get_session(store: Store, code: str) -> AssessmentSession:
    row = store.get_session(normalise_code(code))
    if row is None:
        raise AssessmentError(f"no session with code {normalise_code(code)!r}: check the code with your coach")
    return AssessmentSession.from_row(row)


def identify(store: Store, session: AssessmentSession, typed: str) -> tuple[str, str | None]:
    """(name, 工号) of the trainee who typed `typed` (a 工号 or a name). With a roster, only people on it may
    join and the roster's spelling of the name is used; without one, (the cleaned name, None)."""
    from roleplay.core.store import StoreError
    from roleplay.core.store.roster import find_member, session_roster

    typed = check_trainee(typed)
    expected = session_roster(store, session.code)
    if expected is None:
        return typed, None
    try:
        entry = find_member(expected, typed)
    except StoreError as exc:
        raise AssessmentError(str(exc)) from None
    if entry is None:
        raise AssessmentError(f"{typed} is not on the roster of session {session.code}: enter your 工号 (staff ID) "
                              "as registered by your coach")
    return entry.name, entry.employee_id


def join_session(store: Store, code: str, trainee: str, now: datetime | None = None) -> AssessmentSession:
    """The session a trainee may play now. Raises AssessmentError: unknown code, past deadline, not on the
    session's roster, no attempts left."""
    session = get_session(store, code)
    if session.past_deadline(now):
        raise AssessmentError(f"session {session.code} closed at {session.deadline}: ask your coach")
    trainee, employee_id = identify(store, session, trainee)
    unfinished = [i for i in store.unfinished_attempts(trainee, employee_id) if i.session_code == session.code]
    if not unfinished and session.next_scenario(store, trainee, employee_id) is None:
        raise AssessmentError(f"{trainee} has used all {session.attempts_allowed} attempt(s) for every scenario "
                              f"of session {session.code}")
    return session


def not_attempted(store: Store, session: AssessmentSession) -> list[str]:
    """Who is expected but has no finished attempt yet: trainees who started one and never finished it, and
    everyone on the session's roster (by 工号) with no finished attempt. Abandoned attempts count as attempted."""
    from roleplay.core.store.roster import session_roster

    infos = store.history(session_code=session.code)
    finished = {i.trainee for i in infos if i.finished}
    finished_ids = {i.employee_id for i in infos if i.finished and i.employee_id}
    waiting = {i.trainee for i in infos} - finished
    for entry in session_roster(store, session.code) or []:
        if entry.employee_id not in finished_ids and not {entry.name, entry.employee_id} & finished:
            waiting.discard(entry.name)
            waiting.add(f"{entry.name} ({entry.employee_id})")
    return sorted(waiting - finished)


def _unused_code(store: Store) -> str:
    for _ in range(20):
        code = new_code()
        if store.get_session(code) is None:
            return code
    raise AssessmentError("could not find an unused session code; pass one with --code")
