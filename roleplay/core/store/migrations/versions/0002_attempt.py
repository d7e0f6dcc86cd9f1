"""Live attempts: the per-reply time limit and clock, the driving terminal's lease, and abandoned attempts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): the frozen-attempt triggers stay as they are.
    op.add_column("attempts", sa.Column("time_limit_s", sa.Float))
    op.add_column("attempts", sa.Column("asked_at", sa.Float))
    op.add_column("attempts", sa.Column("lease_owner", sa.String(200)))
    op.add_column("attempts", sa.Column("lease_seen_at", sa.Float))
    op.add_column("attempts", sa.Column("abandoned", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    for name in ("abandoned", "lease_seen_at", "lease_owner", "asked_at", "time_limit_s"):
        op.drop_column("attempts", name)
