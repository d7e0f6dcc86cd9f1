"""Attempt store, assessment sessions, exports, verify and rescore (SQLite and PostgreSQL)."""
