"""Cohort report speed (issue 15), run by hand: `report` over all attempts and over one session, beside the raw floor.

    .venv/bin/python bench/report_bench.py                          # build a 10,000-attempt store, time it
    .venv/bin/python bench/report_bench.py --db bench/results/scale-store.db   # scale_bench.py's store
    .venv/bin/python bench/report_bench.py --rounds 5 --attempts 10000

Without --db the store is built in seconds: every shipped scenario's in-file tests are played once through the
project's API (Attempt), then those finished attempts (rows and turns) are copied in SQL under new
trainee names until there are --attempts of them, in 50 sessions of 200 trainees. Each figure is the median of
--rounds runs of the real command (`python -m roleplay report …` in a fresh process, interpreter start
included), printed beside the raw floor measured in the same run: sqlite3 + json.loads of the same rows.
Goals: all attempts (csv / xlsx / html) <= 5 s; one session of 200 attempts (csv / xlsx) <= 0.5 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSIONS, PER_SESSION = 50, 200


def build_store(path: Path, attempts: int) -> None:
    sys.path.insert(0, str(ROOT))
    from roleplay.core.attempts.assessment import create_session
    from roleplay.core.attempts.attempt import Attempt
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.scenario.library import discover_scenarios
    from roleplay.core.store import open_store

    book = load_phrasebook()
    scenarios = [s for s in discover_scenarios() if s.tests]
    store = open_store(f"sqlite:///{path}")
    sessions = []
    for n in range(SESSIONS):
        picked = [scenarios[(n * 3 + k) % len(scenarios)].id for k in range(3)]
        sessions.append(create_session(store, f"第 {n + 1} 期考核", picked, pass_mark=60, code=f"S{n:03d}",
                                       attempts_allowed=99))
    seed_session = sessions[0]
    seeds: dict[str, list[int]] = {}
    for scenario in scenarios:  # real sheets: each scenario's own tests, played once
        for test in scenario.tests:
            run = Attempt.start(scenario, book, "seed", store=store, assessment=seed_session, prepared=test.prepared)
            for reply in test.replies:
                if not run.ended:
                    run.reply(reply)
            if not run.ended:
                run.finish()
            seeds.setdefault(scenario.id, []).append(run.attempt_id)
    store.close()
    db = sqlite3.connect(path)
    columns = [r[1] for r in db.execute("PRAGMA table_info(attempts)") if r[1] != "id"]
    turn_cols = [r[1] for r in db.execute("PRAGMA table_info(turns)") if r[1] != "attempt_id"]
    made = 0
    with db:
        for i in range(attempts):
            session = sessions[i // PER_SESSION % SESSIONS]
            scenario = session.scenario_ids[i % len(session.scenario_ids)]
            source = seeds[scenario][i % len(seeds[scenario])]
            trainee = f"学员{(i % PER_SESSION) + 1:03d}-{i // (PER_SESSION * 5):02d}"
            row = dict(zip(columns, db.execute(f"SELECT {', '.join(columns)} FROM attempts WHERE id = ?",
                                               (source,)).fetchone(), strict=False))
            sheet = json.loads(row["sheet"])
            sheet["trainee"] = trainee
            row.update(trainee=trainee, session_code=session.code,
                       sheet=json.dumps(sheet, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
            row["sheet_sha256"] = hashlib.sha256(row["sheet"].encode("utf-8")).hexdigest()
            final = {c: row.pop(c) for c in ("finished_at", "total", "max", "passed", "sheet", "sheet_sha256")}
            names = list(row)
            new_id = db.execute(f"INSERT INTO attempts ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                [row[c] for c in names]).lastrowid
            db.execute(f"INSERT INTO turns (attempt_id, {', '.join(turn_cols)}) SELECT ?, {', '.join(turn_cols)} "
                       "FROM turns WHERE attempt_id = ?", (new_id, source))
            db.execute(f"UPDATE attempts SET {', '.join(f'{c} = ?' for c in final)} WHERE id = ?",
                       [*final.values(), new_id])  # finished last, as the store does (triggers freeze it then)
            made += 1
        # the seed attempts stay (finished attempts are frozen by triggers): a few dozen rows among thousands
    db.close()
    print(f"built {made} attempts in {SESSIONS} sessions at {path}", file=sys.stderr)


def floor(path: Path, session: str | None) -> float:
    """The raw floor: read the same finished sheets with sqlite3 and json.loads each."""
    started = time.perf_counter()
    db = sqlite3.connect(path)
    query = "SELECT sheet FROM attempts WHERE finished_at IS NOT NULL"
    rows = db.execute(query + (" AND session_code = ?" if session else ""), (session,) if session else ())
    for (sheet,) in rows:
        json.loads(sheet)
    db.close()
    return time.perf_counter() - started


def command(path: Path, out: Path, fmt: str, session: str | None) -> float:
    args = [sys.executable, "-m", "roleplay", "report", "--db", f"sqlite:///{path}", "--format", fmt,
            "--no-progress", "-o", str(out / f"cohort.{fmt}")] + (["--session", session] if session else [])
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"report failed: {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing SQLite store (default: build one in a temp folder)")
    parser.add_argument("--attempts", type=int, default=SESSIONS * PER_SESSION)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rp-report-bench-"))
    path = args.db
    if path is None:
        path = work / "store.db"
        build_store(path, args.attempts)
    db = sqlite3.connect(path)
    total = db.execute("SELECT count(*) FROM attempts WHERE finished_at IS NOT NULL").fetchone()[0]
    session, size = db.execute("SELECT session_code, count(*) FROM attempts WHERE finished_at IS NOT NULL "
                               "GROUP BY session_code ORDER BY count(*) DESC LIMIT 1").fetchone()
    db.close()
    rows = [("all attempts", None, total, ("csv", "xlsx", "html"), 5.0),
            (f"--session {session}", session, size, ("csv", "xlsx"), 0.5)]
    print(f"{'report':<24}{'fmt':<6}{'attempts':>9}{'median s':>10}{'floor s':>9}{'goal s':>8}  rounds")
    for name, code, count, formats, goal in rows:
        for fmt in formats:
            times, floors = [], []
            for _ in range(args.rounds):
                floors.append(floor(path, code))
                times.append(command(path, work, fmt, code))
            median = statistics.median(times)
            print(f"{name:<24}{fmt:<6}{count:>9}{median:>10.2f}{statistics.median(floors):>9.3f}{goal:>8.1f}  "
                  f"{' '.join(f'{t:.2f}' for t in times)}{'' if median <= goal else '  MISSED'}")


if __name__ == "__main__":
    main()
