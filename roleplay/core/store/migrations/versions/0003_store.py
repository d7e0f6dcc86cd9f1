"""Seals, hash chains, employee ids and rosters: attempts become tamper-evident; trainees have a 工号.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05

Columns are added with plain ALTER TABLE ADD COLUMN (not Alembic's batch copy), so the triggers that
freeze finished attempts stay in place on SQLite. Attempts finished before this revision keep no seal;
`roleplay verify --store` lists them as "not sealed".
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ATTEMPT_COLUMNS = (
    sa.Column("employee_id", sa.String(40)),  # 工号 from the roster, when the trainee was identified by it
    sa.Column("chain_seq", sa.Integer),  # position among the sealed attempts of the same session (1, 2, …)
    sa.Column("chain_prev", sa.String(64)),  # seal_sha256 of the previous sealed attempt of the session
    sa.Column("seal_sha256", sa.String(64)),  # SHA-256 of the attempt's canonical content
    sa.Column("seal_hmac", sa.String(64)),  # HMAC-SHA256 of the same content with the coach key, if any
    sa.Column("seal_key", sa.String(16)),  # the coach key's public fingerprint
)


def upgrade() -> None:
    # add_column outside batch mode: SQLite's ALTER TABLE ADD COLUMN keeps the table (and its triggers)
    for column in _ATTEMPT_COLUMNS:
        op.add_column("attempts", column)
    op.create_index("ix_attempts_employee_id", "attempts", ["employee_id"])
    op.add_column("assessment_sessions", sa.Column("roster_group", sa.String(100)))
    # scenarios given as files at `session create`: JSON {id: absolute path}, so trainees can join them
    op.add_column("assessment_sessions", sa.Column("scenario_files", sa.Text))
    op.create_table(
        "roster",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(120), nullable=False),  # "session:CODE" or "group:NAME"
        sa.Column("employee_id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("department", sa.String(200)),
        sa.Column("email", sa.String(200)),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster"),
        sa.UniqueConstraint("scope", "employee_id", name="uq_roster_scope"),
    )


def downgrade() -> None:
    op.drop_table("roster")
    with op.batch_alter_table("assessment_sessions") as batch:
        batch.drop_column("scenario_files")
        batch.drop_column("roster_group")
    op.drop_index("ix_attempts_employee_id", "attempts")
    for column in reversed(_ATTEMPT_COLUMNS):
        op.drop_column("attempts", column.name)
