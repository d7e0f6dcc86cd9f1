"""Alembic migrations for the attempt store, shipped inside the package and run on open."""

# The newest revision in versions/. open_store compares the database's revision with this
# constant so an up-to-date store opens without importing Alembic (~0.2 s); a test checks it
# matches Alembic's own idea of the head.
HEAD = "0003"
