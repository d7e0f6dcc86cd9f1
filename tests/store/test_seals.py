"""Sealed attempts: each store forgery from the reliability probe is detected (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from roleplay.core.store import open_store
from roleplay.core.store.seal import OK, TAMPERED, UNSIGNED, UNVERIFIED, content, seal_values
from roleplay.core.store.store import SessionRow
from tests.conftest import ROOT
from tests.store.test_store import make_sheet, make_turn

KEY = b"coach-key-for-tests-0123456789abcdef"
TRAINEES = ("甲", "乙", "丙")  # attempts 1, 2, 3 of session SEAL01, totals 3, 5, 8 of 10


def _fill(url: str, key: bytes | None = KEY) -> None:
    with open_store(url, key=key) as store:
        store.add_session(SessionRow("SEAL01", "封存", ["visit_intro"], 60.0, None, None, 1))
        for trainee, total in zip(TRAINEES, (3.0, 5.0, 8.0)):
            attempt = store.start_attempt(trainee, "visit_intro", 3, "assessment", session_code="SEAL01")
            store.record_turn(attempt, make_turn(1, "您好"))
            store.finish_attempt(attempt, make_sheet(trainee, total))


def _unguarded(url: str, *statements: str) -> None:
    """What someone with store access does: switch the freezing triggers off, then edit."""
    with open_store(url, key=None) as store, store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for name in ("attempts_frozen_update", "attempts_frozen_delete", "turns_frozen_insert",
                         "turns_frozen_update", "turns_frozen_delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        else:  # the app's own role owns the tables, so it may do this
            conn.exec_driver_sql("ALTER TABLE attempts DISABLE TRIGGER attempts_frozen")
            conn.exec_driver_sql("ALTER TABLE turns DISABLE TRIGGER turns_frozen")
        for statement in statements:
            conn.execute(text(statement))


def _reseal(url: str, attempt_id: int, sheet_edit=None, strip_hmac: bool = False) -> None:
    """A careful forger: rewrites the sheet, its hash, the columns and the unkeyed seal consistently."""
    with open_store(url, key=None) as store, store.engine.begin() as conn:
        row = dict(conn.execute(text("SELECT * FROM attempts WHERE id = :i"), {"i": attempt_id}).mappings().one())
        if sheet_edit:
            sheet = json.loads(row["sheet"])
            sheet_edit(sheet)
            row["sheet"] = json.dumps(sheet, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            row["sheet_sha256"] = hashlib.sha256(row["sheet"].encode()).hexdigest()
            row.update(total=sheet["total"], passed=sheet["passed"], trainee=sheet["trainee"])
        turns = conn.execute(text("SELECT * FROM turns WHERE attempt_id = :i"), {"i": attempt_id}).mappings().all()
        row["seal_sha256"] = seal_values(content(row, turns), None)["seal_sha256"]
        if strip_hmac:
            row["seal_hmac"] = row["seal_key"] = None
    sets = ", ".join(f"{k} = :{k}" for k in ("sheet", "sheet_sha256", "total", "passed", "trainee", "seal_sha256",
                                             "seal_hmac", "seal_key"))
    _unguarded(url)
    with open_store(url, key=None) as store, store.engine.begin() as conn:
        conn.execute(text(f"UPDATE attempts SET {sets} WHERE id = :id"), row)


def _statuses(url: str, key: bytes | None = KEY) -> dict[int, str]:
    with open_store(url, key=key) as store:
        return {c.attempt_id: c.status for c in store.check_seals(session_code="SEAL01")}


def _raise_to_pass(sheet: dict) -> None:
    sheet.update(total=9.5, passed=True)


def test_intact_attempts_check_out(store_url):
    _fill(store_url)
    assert _statuses(store_url) == {1: OK, 2: OK, 3: OK}
    assert _statuses(store_url, key=None) == {1: UNVERIFIED, 2: UNVERIFIED, 3: UNVERIFIED}
    assert _statuses(store_url, key=b"another key") == {1: UNVERIFIED, 2: UNVERIFIED, 3: UNVERIFIED}
    with open_store(store_url, key=KEY) as store:
        rows = store.engine.connect().execute(text("SELECT chain_seq, chain_prev, seal_sha256 FROM attempts "
                                                   "ORDER BY id")).all()
    assert [r.chain_seq for r in rows] == [1, 2, 3]
    assert [r.chain_prev for r in rows] == [None, rows[0].seal_sha256, rows[1].seal_sha256]


def test_without_a_key_attempts_are_sealed_unsigned(store_url):
    _fill(store_url, key=None)
    assert _statuses(store_url, key=None) == {1: UNSIGNED, 2: UNSIGNED, 3: UNSIGNED}
    assert _statuses(store_url, key=KEY) == {1: UNSIGNED, 2: UNSIGNED, 3: UNSIGNED}


@pytest.mark.parametrize("forgery, tampered, also_without_key", [
    ("UPDATE attempts SET total = 10 WHERE id = 1", {1}, True),
    ("UPDATE attempts SET trainee = CASE id WHEN 1 THEN '乙' ELSE '甲' END WHERE id IN (1, 2)", {1, 2}, True),
    ("UPDATE attempts SET passed = TRUE WHERE id = 1", {1}, True),
    ("UPDATE attempts SET finished_at = '2026-11-28T08:00:00+00:00' WHERE id = 2", {2}, True),
    ("UPDATE turns SET reply = '您好，欢迎光临' WHERE attempt_id = 2", {2}, True),
    ("INSERT INTO turns (attempt_id, turn, reply, data, recorded_at) VALUES (3, 2, '再见', '{}', 'x')", {3}, True),
    ("DELETE FROM turns WHERE attempt_id = 2", {2}, True),
    ("UPDATE attempts SET session_code = NULL WHERE id = 2", {1, 3}, True),  # moved out: a hole in the chain
])
def test_edits_with_the_triggers_off_are_detected(store_url, forgery, tampered, also_without_key):
    _fill(store_url)
    _unguarded(store_url, forgery)
    found = _statuses(store_url)
    assert {i for i, s in found.items() if s == TAMPERED} == (tampered & set(found))
    if also_without_key:
        assert {i for i, s in _statuses(store_url, key=None).items() if s == TAMPERED} == (tampered & set(found))


def test_deleting_an_attempt_breaks_the_sessions_chain(store_url):
    _fill(store_url)
    _unguarded(store_url, "DELETE FROM turns WHERE attempt_id = 2", "DELETE FROM attempts WHERE id = 2")
    assert _statuses(store_url) == {1: TAMPERED, 3: TAMPERED}  # a hole in the chain marks the whole session
    with open_store(store_url, key=KEY) as store:
        [check] = store.check_seals(attempt_ids=[3])
    assert "hash chain broken" in check.describe() and "missing" in check.describe()


def test_a_consistent_forgery_with_the_unkeyed_seal_recomputed_needs_the_key(store_url):
    _fill(store_url)
    _reseal(store_url, 3, _raise_to_pass)  # the newest attempt: no later link covers it
    assert _statuses(store_url)[3] == TAMPERED  # the HMAC (coach key) catches it
    assert _statuses(store_url, key=None)[3] == UNVERIFIED  # without the key it cannot be told from a real one


def test_stripping_the_hmac_leaves_an_unsigned_attempt_that_a_keyed_export_refuses(store_url):
    _fill(store_url)
    _reseal(store_url, 3, _raise_to_pass, strip_hmac=True)
    assert _statuses(store_url)[3] == UNSIGNED
    _reseal(store_url, 1, _raise_to_pass, strip_hmac=True)  # not the newest: attempt 2's link covers it
    assert _statuses(store_url)[2] == TAMPERED


def _cli(*args: str, key: bytes | None = KEY) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ROLEPLAY_COACH_KEY"}
    if key:
        env["ROLEPLAY_COACH_KEY"] = key.decode()
    return subprocess.run([sys.executable, "-m", "roleplay", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env)


def test_report_session_show_and_verify_refuse_a_forged_store(store_url, tmp_path):
    _fill(store_url)
    out = tmp_path / "cohort.csv"
    assert _cli("report", "--session", "SEAL01", "-o", str(out), "--db", store_url).returncode == 0
    assert _cli("verify", "--store", "--db", store_url).returncode == 0
    _reseal(store_url, 3, _raise_to_pass)

    report = _cli("report", "--session", "SEAL01", "-o", str(tmp_path / "forged.csv"), "--db", store_url)
    assert report.returncode == 1 and not (tmp_path / "forged.csv").exists()
    assert "attempt 3 (丙, session SEAL01): TAMPERED" in report.stderr and "HMAC does not match" in report.stderr
    one = _cli("report", "--attempt", "3", "-o", str(tmp_path / "one.md"), "--db", store_url)
    assert one.returncode == 1 and "TAMPERED" in one.stderr

    shown = _cli("session", "show", "SEAL01", "--db", store_url)
    assert shown.returncode == 1
    assert "TAMPERED" in [line for line in shown.stdout.splitlines() if "#3" in line][0]
    assert "WARNING" in shown.stderr and "altered in the store" in shown.stderr

    verified = _cli("verify", "--store", "--session", "SEAL01", "--db", store_url)
    assert verified.returncode == 1
    assert verified.stdout.count(": ok:") == 2 and "attempt 3 (丙, session SEAL01): TAMPERED" in verified.stdout


def test_keyed_export_refuses_unsigned_attempts_unless_allowed(store_url, tmp_path):
    _fill(store_url, key=None)  # finished on terminals without the coach key
    plain = _cli("report", "--session", "SEAL01", "-o", str(tmp_path / "a.csv"), "--db", store_url)
    assert plain.returncode == 1 and "--allow-unsigned" in plain.stderr
    allowed = _cli("report", "--session", "SEAL01", "-o", str(tmp_path / "a.csv"), "--allow-unsigned",
                   "--db", store_url)
    assert allowed.returncode == 0 and (tmp_path / "a.csv").exists()
    nokey = _cli("report", "--session", "SEAL01", "-o", str(tmp_path / "b.csv"), "--db", store_url, key=None)
    assert nokey.returncode == 0 and "unkeyed seals only" in nokey.stderr


def test_a_store_from_before_seals_upgrades_and_lists_old_attempts_as_not_sealed(store_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from roleplay.core.store.connect import normalise_url

    engine = create_engine(normalise_url(store_url))
    with engine.begin() as conn:  # the schema as the previous release left it
        config = Config()
        config.set_main_option("script_location", "roleplay.core.store:migrations")
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text("INSERT INTO assessment_sessions (code, title, scenario_ids, pass_mark, attempts_allowed, "
                          "created_at) VALUES ('OLD001', '旧', '[\"visit_intro\"]', 60, 1, '2026-11-01')"))
        sheet = json.dumps(make_sheet("老王").to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        conn.execute(text("INSERT INTO attempts (trainee, scenario_id, seed, mode, session_code, started_at, "
                          "updated_at, finished_at, total, max, passed, sheet, sheet_sha256) VALUES ('老王', "
                          "'visit_intro', 3, 'assessment', 'OLD001', 'a', 'b', 'c', 7, 10, TRUE, :s, :h)"),
                     {"s": sheet, "h": hashlib.sha256(sheet.encode()).hexdigest()})
    engine.dispose()
    with open_store(store_url, key=KEY) as store:
        [old] = store.check_seals(session_code="OLD001")
        assert old.status == UNSIGNED and "not sealed" in old.describe()
        attempt = store.start_attempt("小王", "visit_intro", 3, "assessment", session_code="OLD001")
        store.finish_attempt(attempt, make_sheet())
        assert {c.attempt_id: c.status for c in store.check_seals(session_code="OLD001")} == {1: UNSIGNED, 2: OK}
        with pytest.raises(Exception, match="finished"):  # the triggers survived the upgrade
            with store.engine.begin() as conn:
                conn.execute(text("UPDATE attempts SET total = 10 WHERE id = 2"))
