"""Store reliability probe, run by hand: SIGKILL mid-attempt, concurrent writers, forged stores.

    python bench/store_probe.py [--kills 30] [--writers 50] [--pg URL] [--seed 1]

1. SIGKILL: `roleplay play --session` is fed replies one by one and killed at a random moment; the store
   must hold every turn the child acknowledged (printed the client's answer for), no turn twice, nothing
   it was never sent; `--resume` then finishes the attempt with every reply stored exactly once.
2. Concurrent writers: N headless attempts start at once into one SQLite file (and PostgreSQL with --pg);
   every attempt must finish with all its turns, every seal must check out, the session's hash chain
   must run 1..N without a gap.
3. Forgeries: each edit from the probe (triggers off) on a sealed store, checked with and without the key.

Bounded: at most --kills children one after another and --writers children at once per database, each
with a 300 s timeout. Prints one JSON object per part. Needs a POSIX system (SIGKILL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roleplay.core.attempts.assessment import create_session  # noqa: E402
from roleplay.core.store import open_store  # noqa: E402

KEY = "probe-coach-key-0123456789"


def _example():
    """A shipped scenario and a passing in-file test with several replies that ends it."""
    from roleplay.core.conversation.engine import Session
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.scenario.model import discover_scenarios

    book = load_phrasebook()
    best = None
    for scenario in discover_scenarios():
        if scenario.language != "zh":
            continue
        for test in scenario.tests:
            played = Session.replay(scenario, book, 0, "t", "assessment", test.replies, test.prepared)
            if played.ended and played.score_sheet().passed and (best is None or len(test.replies) > len(best[1].replies)):
                best = (scenario, test)
    return best


def _env(home: Path) -> dict:
    return {**os.environ, "ROLEPLAY_HOME": str(home), "PYTHONIOENCODING": "utf-8", "ROLEPLAY_COACH_KEY": KEY}


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    from roleplay.core.store.connect import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def sigkill_probe(url: str, home: Path, kills: int, rng: random.Random) -> dict:
    scenario, test = _example()
    with open_store(url, key=KEY.encode()) as store:
        code = create_session(store, "断电演练", [scenario.id], attempts_allowed=1).code
    lost = duplicated = phantom = resumed_ok = started = 0
    killed_after: list[int] = []
    for n in range(kills):
        trainee = f"学员{n:03d}"
        base = [sys.executable, "-m", "roleplay", "play", "--session", code, "--trainee", trainee, "--db", url]
        # --json: the conversation goes to stderr (read here), the final sheet alone to stdout
        child = subprocess.Popen(base + ["--prepared", ",".join(test.prepared), "--json"], cwd=ROOT, env=_env(home),
                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        said: list[str] = []
        reader = threading.Thread(target=lambda: said.extend(line.decode("utf-8", "replace") for line in child.stderr),
                                  daemon=True)
        reader.start()
        sent = 0
        ready = time.monotonic() + 120
        while not any(line.startswith("客户：") for line in said) and time.monotonic() < ready:  # the opening line: the attempt exists, the clock starts
            time.sleep(0.02)
        deadline = time.monotonic() + rng.uniform(0.0, 1.5)  # die while answering, writing or finishing
        while time.monotonic() < deadline:
            if sent < len(test.replies):
                child.stdin.write((test.replies[sent] + "\n").encode("utf-8"))
                child.stdin.flush()
                sent += 1
            time.sleep(rng.uniform(0.0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        reader.join(timeout=5)
        acknowledged = max(0, sum(line.startswith("客户：") for line in said) - 1)  # minus the opening line
        with open_store(url, key=KEY.encode()) as store:
            infos = store.history(trainee, session_code=code)
            stored = store.replies(infos[0].id) if infos else []
            numbers = [t.turn for t in store.turns(infos[0].id)] if infos else []
        killed_after.append(len(stored))
        lost += max(0, acknowledged - len(stored))
        duplicated += len(numbers) - len(set(numbers)) + (numbers != list(range(1, len(numbers) + 1)))
        phantom += int(stored != test.replies[:len(stored)] or len(stored) > sent)
        if not infos:
            continue  # killed before the attempt was started: nothing to resume
        started += 1
        rest = "\n".join(test.replies[len(stored):]) + "\n"
        finished_before = infos[0].finished  # killed after the sheet was written: nothing left to resume
        done = subprocess.run(base + ["--resume", "--json"], cwd=ROOT, env=_env(home), input=rest.encode("utf-8"),
                              capture_output=True, timeout=300) if not finished_before else None
        with open_store(url, key=KEY.encode()) as store:
            info = store.attempt(infos[0].id)
            whole = store.replies(info.id) == test.replies and info.finished
            [check] = store.check_seals(attempt_ids=[info.id])
        resumed_ok += int((done is None or done.returncode == 0) and whole and check.status == "ok")
    return {"part": "sigkill", "store": url.split(":", 1)[0], "kills": kills, "turns_lost": lost,
            "turns_duplicated": duplicated, "replies_not_sent_but_stored": phantom,
            "attempts_started_before_kill": started,
            "turns_kept_at_kill": {"min": min(killed_after), "max": max(killed_after)},
            "resumed_to_a_sealed_finish": resumed_ok}


def writers_probe(url: str, home: Path, writers: int) -> dict:
    scenario, test = _example()
    with open_store(url, key=KEY.encode()) as store:
        code = create_session(store, f"{writers}人同时考核", [scenario.id]).code
    replies = home / f"replies-{code}.txt"
    replies.write_text("\n".join(test.replies) + "\n", encoding="utf-8")
    started = time.monotonic()
    children = [subprocess.Popen(
        [sys.executable, "-m", "roleplay", "play", "--session", code, "--trainee", f"学员{n:02d}", "--db", url,
         "--replies", str(replies), "--prepared", ",".join(test.prepared), "--json"],
        cwd=ROOT, env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for n in range(writers)]
    failures = []
    for child in children:
        try:
            rc = child.wait(timeout=300)
        except subprocess.TimeoutExpired:
            child.kill()
            rc = "timeout"
        err = child.stderr.read().decode("utf-8", "replace")
        child.stderr.close()
        if rc != 0:
            failures.append(f"{rc}: {err.strip().splitlines()[-1] if err.strip() else ''}")
    elapsed = time.monotonic() - started
    with open_store(url, key=KEY.encode()) as store:
        history = store.history(session_code=code)
        complete = sum(1 for a in history if a.finished and store.replies(a.id) == test.replies)
        checks = store.check_seals(session_code=code)
        with store.engine.connect() as conn:
            from sqlalchemy import text

            seqs = sorted(r[0] for r in conn.execute(text("SELECT chain_seq FROM attempts WHERE session_code = :c"),
                                                     {"c": code}))
    return {"part": "writers", "store": url.split(":", 1)[0], "writers": writers, "exit_failures": failures,
            "attempts": len(history), "complete_with_every_turn": complete,
            "turns_missing": writers * len(test.replies) - sum(a.turns for a in history),
            "seals_ok": sum(c.status == "ok" for c in checks), "chain_contiguous": seqs == list(range(1, writers + 1)),
            "wall_s": round(elapsed, 1)}


def forgery_probe(url: str) -> list[dict]:
    """Each forgery on a fresh sealed store: is it flagged with the key, and without it?"""
    sys.path.insert(0, str(ROOT))
    from tests.store import test_seals as seals

    forgeries = {
        "raise a total (triggers off)": lambda u: seals._unguarded(u, "UPDATE attempts SET total = 10 WHERE id = 1"),
        "swap two trainee names": lambda u: seals._unguarded(
            u, "UPDATE attempts SET trainee = CASE id WHEN 1 THEN '乙' ELSE '甲' END WHERE id IN (1, 2)"),
        "rewrite a turn's reply": lambda u: seals._unguarded(u, "UPDATE turns SET reply = 'x' WHERE attempt_id = 2"),
        "delete an attempt": lambda u: seals._unguarded(u, "DELETE FROM turns WHERE attempt_id = 2",
                                                        "DELETE FROM attempts WHERE id = 2"),
        "rewrite the sheet, recompute sheet_sha256 and the unkeyed seal (newest attempt)":
            lambda u: seals._reseal(u, 3, seals._raise_to_pass),
        "same, and strip the HMAC (newest attempt)": lambda u: seals._reseal(u, 3, seals._raise_to_pass, True),
        "same, and strip the HMAC (older attempt)": lambda u: seals._reseal(u, 1, seals._raise_to_pass, True),
    }
    results = []
    from roleplay.core.store.seal import refused

    for name, forge in forgeries.items():
        if url.startswith("postgres"):
            _reset_pg(url)
        else:
            Path(url.split("///", 1)[1]).unlink(missing_ok=True)
        seals._fill(url)
        forge(url)
        row = {"part": "forgery", "store": url.split(":", 1)[0], "forgery": name}
        for label, key in (("with_key", seals.KEY), ("without_key", None)):
            with open_store(url, key=key) as store:
                checks = store.check_seals()
            row[label] = ("refused" if refused(checks, key is not None) else "NOT DETECTED") + \
                f" ({', '.join(sorted({c.status for c in checks}))})"
        results.append(row)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--pg", metavar="URL", help="also probe this PostgreSQL database (it is emptied!)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", action="append", default=[], choices=["sigkill", "writers", "forgery"])
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="store-probe-") as tmp:
        home = Path(tmp)
        stores = [f"sqlite:///{home / 'probe.db'}"] + ([args.pg] if args.pg else [])
        for url in stores:
            fresh = (lambda: _reset_pg(url)) if url.startswith("postgres") else (lambda: None)
            if "sigkill" not in args.skip:
                fresh()
                print(json.dumps(sigkill_probe(url, home, args.kills, rng), ensure_ascii=False), flush=True)
            if "writers" not in args.skip:
                fresh()
                print(json.dumps(writers_probe(url, home, args.writers), ensure_ascii=False), flush=True)
            if "forgery" not in args.skip:
                for row in forgery_probe(url.replace("probe.db", "forgery.db")):
                    print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
