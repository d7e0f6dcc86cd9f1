"""Alembic environment: migrates the connection open_store hands over (never opens its own)."""

from alembic import context

from roleplay.core.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare `alembic` CLI call
    raise SystemExit("run migrations through roleplay.core.store.open_store(url)")

# render_as_batch: SQLite can only ALTER tables by copying them; batch mode does that for us.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
