"""The attempt store's tables (SQLAlchemy Core); the migrations in migrations/versions build them."""

from __future__ import annotations

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint, false)

# Stable constraint names so migrations (and SQLite batch mode) can refer to them.
metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# Timestamps are ISO 8601 UTC strings: identical on SQLite and PostgreSQL, sortable as text,
# and exactly what the score sheets carry.
assessment_sessions = Table(
    "assessment_sessions", metadata,
    Column("code", String(16), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("scenario_ids", Text, nullable=False),  # JSON list of scenario ids, in play order
    Column("pass_mark", Float, nullable=False),  # percent
    Column("time_limit_s", Float),  # per reply; NULL = no limit
    Column("deadline", String(40)),  # ISO 8601; NULL = open-ended
    Column("attempts_allowed", Integer, nullable=False),  # per trainee and scenario
    Column("created_at", String(40), nullable=False),
    Column("roster_group", String(100)),  # a standing roster group whose members are expected too
    Column("scenario_files", Text),  # JSON {scenario id: absolute path} for scenarios given as files
)

attempts = Table(
    "attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("trainee", String(100), nullable=False),
    Column("scenario_id", String(100), nullable=False),
    Column("seed", Integer, nullable=False),
    Column("mode", String(20), nullable=False),
    Column("session_code", String(16), ForeignKey("assessment_sessions.code")),
    Column("prepared", Text),  # JSON list of checklist ids, NULL when none were picked
    Column("started_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),  # last turn written (for resume prompts)
    Column("finished_at", String(40)),  # set once; afterwards the row and its turns are immutable
    Column("total", Float),
    Column("max", Float),
    Column("passed", Boolean),
    Column("sheet", Text),  # the final ScoreSheet as JSON
    Column("sheet_sha256", String(64)),  # hash of `sheet`, to detect edits made behind the store's back
    Column("employee_id", String(40)),  # 工号, when the trainee was identified by the roster
    # The seal (revision 0003; roleplay.core.store.seal), written with finished_at in one UPDATE: a digest of the
    # attempt's canonical content, an HMAC of it with the coach key when one exists, and a link to the
    # previous sealed attempt of the same session (a hash chain, so a deleted attempt shows).
    Column("chain_seq", Integer),
    Column("chain_prev", String(64)),
    Column("seal_sha256", String(64)),
    Column("seal_hmac", String(64)),
    Column("seal_key", String(16)),
    # Live attempts (revision 0002). Clock times are epoch seconds: compared across terminals and resumes.
    Column("time_limit_s", Float),  # per reply, fixed when the attempt starts; NULL = no limit
    Column("asked_at", Float),  # when the client's current line was shown; the reply's clock starts here
    Column("lease_owner", String(200)),  # the terminal driving the attempt ("user@host pid N #tag")
    Column("lease_seen_at", Float),  # that terminal's last heartbeat
    Column("abandoned", Boolean, nullable=False, server_default=false()),  # given up on purpose, confirmed
    Index("ix_attempts_trainee", "trainee"),
    Index("ix_attempts_scenario_id", "scenario_id"),
    Index("ix_attempts_session_code", "session_code"),
    Index("ix_attempts_employee_id", "employee_id"),
)

turns = Table(
    "turns", metadata,
    Column("attempt_id", Integer, ForeignKey("attempts.id"), primary_key=True),
    Column("turn", Integer, primary_key=True),  # 1-based; the key forbids a turn written twice
    Column("reply", Text, nullable=False),  # what was actually played (replayed on resume/rescore)
    Column("data", Text, nullable=False),  # the TurnResult as JSON
    Column("recorded_at", String(40), nullable=False),
)

# Who is expected: a session's own roster ("session:CODE") or a standing group's ("group:NAME").
roster = Table(
    "roster", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(120), nullable=False),
    Column("employee_id", String(40), nullable=False),  # 工号, NFKC-normalised
    Column("name", String(100), nullable=False),
    Column("department", String(200)),  # 部门 or 班级
    Column("email", String(200)),
    Column("imported_at", String(40), nullable=False),
    UniqueConstraint("scope", "employee_id", name="uq_roster_scope"),
)
