"""Reads take no write lock: a report, a rescore worker or another terminal reading never queues a writer."""

from __future__ import annotations

import sqlite3

from roleplay.core.store import open_store


def test_a_read_transaction_leaves_the_write_lock_free(tmp_path):
    path = tmp_path / "store.db"
    with open_store(f"sqlite:///{path}") as store:
        with store._read() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM attempts").scalar()
            assert conn.in_transaction()
            other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
            try:  # with BEGIN IMMEDIATE for reads, this waited for the reader and failed: database is locked
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            finally:
                other.close()
        with store._begin("write") as conn:  # writes still take the lock at BEGIN
            other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
            try:
                locked = False
                try:
                    other.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as exc:
                    locked = "locked" in str(exc)
                assert locked
            finally:
                other.close()
