"""Initial schema: assessment sessions, attempts, turns, and triggers that freeze finished attempts.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The database itself refuses to change a finished attempt or any written turn, so results
# cannot be quietly edited through the store, whichever client talks to it.
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER attempts_frozen_update BEFORE UPDATE ON attempts
       WHEN OLD.finished_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'attempt is finished and cannot be changed'); END""",
    """CREATE TRIGGER attempts_frozen_delete BEFORE DELETE ON attempts
       WHEN OLD.finished_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'attempt is finished and cannot be deleted'); END""",
    """CREATE TRIGGER turns_frozen_insert BEFORE INSERT ON turns
       WHEN (SELECT finished_at FROM attempts WHERE id = NEW.attempt_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'attempt is finished: no more turns can be added'); END""",
    """CREATE TRIGGER turns_frozen_update BEFORE UPDATE ON turns
       BEGIN SELECT RAISE(ABORT, 'turns are written once and cannot be changed'); END""",
    """CREATE TRIGGER turns_frozen_delete BEFORE DELETE ON turns
       WHEN (SELECT finished_at FROM attempts WHERE id = OLD.attempt_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'attempt is finished and its turns cannot be deleted'); END""",
)

_POSTGRES_TRIGGERS = (
    """CREATE FUNCTION roleplay_attempts_frozen() RETURNS trigger AS $$
       BEGIN
         IF OLD.finished_at IS NOT NULL THEN
           RAISE EXCEPTION 'attempt % is finished and cannot be changed', OLD.id;
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER attempts_frozen BEFORE UPDATE OR DELETE ON attempts
       FOR EACH ROW EXECUTE FUNCTION roleplay_attempts_frozen()""",
    """CREATE FUNCTION roleplay_turns_frozen() RETURNS trigger AS $$
       DECLARE finished text;
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           RAISE EXCEPTION 'turns are written once and cannot be changed';
         END IF;
         IF TG_OP = 'DELETE' THEN
           SELECT finished_at INTO finished FROM attempts WHERE id = OLD.attempt_id;
         ELSE
           SELECT finished_at INTO finished FROM attempts WHERE id = NEW.attempt_id;
         END IF;
         IF finished IS NOT NULL THEN
           RAISE EXCEPTION 'attempt is finished and its turns cannot be changed';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER turns_frozen BEFORE INSERT OR UPDATE OR DELETE ON turns
       FOR EACH ROW EXECUTE FUNCTION roleplay_turns_frozen()""",
)


def upgrade() -> None:
    op.create_table(
        "assessment_sessions",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("scenario_ids", sa.Text, nullable=False),
        sa.Column("pass_mark", sa.Float, nullable=False),
        sa.Column("time_limit_s", sa.Float),
        sa.Column("deadline", sa.String(40)),
        sa.Column("attempts_allowed", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_assessment_sessions"),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("trainee", sa.String(100), nullable=False),
        sa.Column("scenario_id", sa.String(100), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("session_code", sa.String(16)),
        sa.Column("prepared", sa.Text),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("total", sa.Float),
        sa.Column("max", sa.Float),
        sa.Column("passed", sa.Boolean),
        sa.Column("sheet", sa.Text),
        sa.Column("sheet_sha256", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"),
        sa.ForeignKeyConstraint(["session_code"], ["assessment_sessions.code"],
                                name="fk_attempts_session_code_assessment_sessions"),
    )
    op.create_index("ix_attempts_trainee", "attempts", ["trainee"])
    op.create_index("ix_attempts_scenario_id", "attempts", ["scenario_id"])
    op.create_index("ix_attempts_session_code", "attempts", ["session_code"])
    op.create_table(
        "turns",
        sa.Column("attempt_id", sa.Integer, nullable=False),
        sa.Column("turn", sa.Integer, nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("attempt_id", "turn", name="pk_turns"),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_turns_attempt_id_attempts"),
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}.get(dialect, ()):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS turns_frozen ON turns")
        op.execute("DROP TRIGGER IF EXISTS attempts_frozen ON attempts")
        op.execute("DROP FUNCTION IF EXISTS roleplay_turns_frozen()")
        op.execute("DROP FUNCTION IF EXISTS roleplay_attempts_frozen()")
    op.drop_table("turns")
    op.drop_table("attempts")
    op.drop_table("assessment_sessions")
