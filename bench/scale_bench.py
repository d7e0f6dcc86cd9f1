"""Scale benchmark (issue 15), run by hand: a 10,000-attempt store and every assessor/trainee command timed.

    .venv/bin/python bench/scale_bench.py                  # build (or reuse) the store, time every row
    .venv/bin/python bench/scale_bench.py --rounds 3 --only rescore,play
    .venv/bin/python bench/scale_bench.py --code /path/to/other/checkout   # time another version's commands

The store (50 sessions x 200 trainees, one attempt each, over every shipped scenario, replies from the
scenarios' own tests with some turns swapped for labelled replies) is built through the project's API
(create_session, Attempt) on a tmpfs copy and cached in bench/results/, so reruns reuse it.
Each figure is a median over --rounds runs of the real command in a fresh process, printed beside its raw
floor measured in the same run (what the same work costs with nothing but sqlite3/json or a bare start; for
the session report also the import of SQLAlchemy, the store layer) and the load average when it was printed.
`make test` is timed separately (`time make test`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
STORE = RESULTS / "scale-store.db"
META = RESULTS / "scale-store.json"
SESSIONS, TRAINEES = 50, 200
BUILD_FORMAT = 1  # bump when the way the store is built changes (a newer schema is migrated on the working copy)
ROWS = ("rescore", "report", "session-report", "play", "tui", "graph")


def build_store(path: Path) -> dict:
    """Play SESSIONS x TRAINEES attempts through the project's own API; returns what was built."""
    sys.path.insert(0, str(ROOT))
    import yaml

    from roleplay.core.attempts.assessment import create_session
    from roleplay.core.attempts.attempt import Attempt
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.scenario.library import discover_scenarios
    from roleplay.core.store import open_store

    book = load_phrasebook()
    scenarios = [s for s in discover_scenarios() if s.tests]
    labelled = yaml.safe_load((ROOT / "tests" / "data" / "labeled_replies.yaml").read_text(encoding="utf-8"))
    pool = {lang: [r["text"] for r in labelled["replies"] if r.get("lang") == lang] for lang in ("zh", "en")}
    rng = random.Random(15)
    # tmpfs: the store commits (and fsyncs) every turn; on a RAM disk the build is bounded by the CPU
    shm = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    work = Path(tempfile.mkdtemp(prefix="rp-scale-", dir=shm))
    turns = 0
    started = time.perf_counter()
    try:
        with open_store(f"sqlite:///{work / 'store.db'}") as store:
            for s in range(SESSIONS):
                session = create_session(store, f"规模测试 {s + 1}", [sc.id for sc in scenarios], pass_mark=60,
                                         code=f"SCALE{s:03d}")
                for t in range(TRAINEES):
                    scenario = scenarios[(s * TRAINEES + t) % len(scenarios)]
                    test = scenario.tests[(s + t) % len(scenario.tests)]
                    attempt = Attempt.start(scenario, book, f"学员{t:03d}", store=store, seed=s,
                                            assessment=session, prepared=test.prepared)
                    for reply in test.replies:
                        if attempt.ended:
                            break
                        if reply and not reply.startswith("/") and rng.random() < 0.25:
                            reply = rng.choice(pool[scenario.language])  # a cohort is not word-perfect
                        attempt.reply(reply)
                        turns += 1
                    attempt.finish()
                done = (s + 1) * TRAINEES
                rate = done / (time.perf_counter() - started)
                print(f"\rbuilding: {done}/{SESSIONS * TRAINEES} attempts, {turns} turns "
                      f"({rate:.0f}/s, ~{(SESSIONS * TRAINEES - done) / rate:.0f} s left)",
                      end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(work / "store.db") as source, sqlite3.connect(path) as target:
            source.backup(target)  # one self-contained file (the WAL folded in)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"format": BUILD_FORMAT, "attempts": SESSIONS * TRAINEES, "turns": turns,
            "scenarios": len(scenarios), "build_s": round(time.perf_counter() - started, 1)}


def cached_store(rebuild: bool) -> dict:
    if not rebuild and STORE.is_file() and META.is_file():
        meta = json.loads(META.read_text(encoding="utf-8"))
        if meta.get("format") == BUILD_FORMAT:
            return meta
    STORE.unlink(missing_ok=True)
    meta = build_store(STORE)
    META.write_text(json.dumps(meta), encoding="utf-8")
    return meta


def timed(cmd: list[str], env: dict, rounds: int, cwd: Path) -> tuple[float, float]:
    """Median wall time and median CPU time (user+sys, children included) of `cmd` over `rounds` runs.
    CPU time is what to compare on a shared, loaded machine; a failing command stops the bench."""
    walls, cpus = [], []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr.decode(errors='replace')[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


def timed_call(fn, rounds: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def raw_rows(db: Path, session: str | None = None, turns: bool = False) -> None:
    """The floor of a report or rescore: read the same rows with sqlite3 and decode their JSON."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        where, args = ("WHERE session_code = ?", (session,)) if session else ("", ())
        for (sheet,) in conn.execute(f"SELECT sheet FROM attempts {where}", args):
            json.loads(sheet)
        if turns:
            for (data,) in conn.execute("SELECT data FROM turns"):
                json.loads(data)


def big_scenario(folder: Path, states: int) -> Path:
    """A valid scenario with `states` states in a chain, each with three rules (forward, back, stay)."""
    lines = ["id: scale_graph", "title: 规模图", "language: zh", "kind: visit", "difficulty: easy",
             "brief: 一条很长的对话。", "persona: {name: 陈总}", "start: s0", "states:"]
    for n in range(states):
        last = n == states - 1
        lines.append(f"  s{n}:")
        lines.append(f"    say: 第{n}步")
        if last:
            lines += ["    final: true", "    outcome: success"]
            continue
        lines.append("    rules:")
        lines.append(f"      - {{when: {{any: [greeting]}}, goto: s{n + 1}, say: 好}}")
        if n:
            lines.append(f"      - {{when: {{any: [taboo]}}, goto: s{n - 1}, mood: -5, say: 不好}}")
        lines.append("      - {when: {any: [thanks]}, say: 嗯}")
    lines += ["rubric:", "  pass_mark: 60", "  checks:",
              "    - {id: reach, description: 走到最后, points: 100, reach: [s" + str(states - 1) + "]}"]
    path = folder / "scale_graph.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


PLAY_REPLIES = ("陈总您好，我是移动公司的客户经理小王。", "/card 这是我的名片，请多指教。", "非常感谢您在百忙之中抽空接待我。",
                "想先了解一下贵公司目前的通信费用？", "您看我们是明天上午还是后天下午再谈？", "好的，谢谢您。",
                "如有需要请随时联系我。", "再见！")


def _fig(value: tuple[float, float] | float | None) -> str:
    """`wall s (cpu s)` for a measured command, or a bare wall time."""
    if value is None:
        return "—"
    if isinstance(value, tuple):
        return f"{value[0]:.2f} s (cpu {value[1]:.2f} s)"
    return f"{value:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="runs per figure (median); default 5")
    parser.add_argument("--only", help=f"comma-separated rows: {','.join(ROWS)}")
    parser.add_argument("--jobs", type=int, default=2, help="rescore --jobs (default 2)")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--code", type=Path, help="time the commands of another checkout (PYTHONPATH)")
    parser.add_argument("--graph-states", type=int, default=1000)
    args = parser.parse_args()
    rows = set(args.only.split(",")) if args.only else set(ROWS)
    meta = cached_store(args.rebuild)
    print("figures: median wall time (median CPU time of the command and its children) over --rounds runs")
    print(f"store: {STORE.relative_to(ROOT)}: {meta['attempts']} attempts, {meta['turns']} turns, "
          f"{meta['scenarios']} scenarios (built in {meta['build_s']} s); {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    work = Path(tempfile.mkdtemp(prefix="rp-scale-run-"))
    env = dict(os.environ, ROLEPLAY_HOME=str(work / "home"), ROLEPLAY_CACHE_DIR=str(work / "cache"),
               PYTHONIOENCODING="utf-8")
    env.pop("ROLEPLAY_DB", None)
    if args.code:
        env["PYTHONPATH"] = str(args.code.resolve())
    db = work / "store.db"
    shutil.copy(STORE, db)  # reports and rescore never write, but the bench never risks the cache
    url = f"sqlite:///{db}"
    if not args.code:  # a store cached by an older version: migrate the working copy once, outside the timings
        sys.path.insert(0, str(ROOT))
        from roleplay.core.store import open_store

        open_store(url).close()
    rp = [sys.executable, "-m", "roleplay"]
    n = args.rounds

    def show(label: str, value: tuple[float, float] | float, floor: tuple[float, float] | float | None = None,
             floor_what: str = "", goal: str = "") -> None:
        # the load average as the figure is printed: on a shared machine, wall time means little without it
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{label:<40} {_fig(value):<22} floor {floor_what + ' ' + _fig(floor) if floor else '—':<38} "
              f"goal {goal:<9} load {load}", flush=True)

    try:
        timed(rp + ["list"], env, 1, work)  # warm this home's content caches once, as any earlier run would
        if "rescore" in rows:
            floor = timed_call(lambda: raw_rows(db, turns=True), n)
            serial = rp + ["rescore", "--db", url, "--json", "--no-progress"]
            show("rescore all (serial)", timed(serial, env, max(1, n // 2), work), floor, "sqlite3+json")
            if args.jobs > 1:
                show(f"rescore all (--jobs {args.jobs})", timed(serial + ["--jobs", str(args.jobs)], env,
                                                                 max(1, n // 2), work), floor, "sqlite3+json", "≤ 30 s")
        if "report" in rows:
            floor = timed_call(lambda: raw_rows(db), n)
            for fmt in ("csv", "xlsx", "html"):
                cmd = rp + ["report", "--db", url, "--format", fmt, "-o", str(work / f"all.{fmt}"), "--no-progress"]
                show(f"report all attempts, {fmt}", timed(cmd, env, n, work), floor, "sqlite3+json", "≤ 5 s")
        if "session-report" in rows:
            floor = timed_call(lambda: raw_rows(db, "SCALE000"), n)
            # the store layer is SQLAlchemy (kept on purpose): importing it is part of any command that reads it
            show("floor: python -c 'import sqlalchemy'", timed([sys.executable, "-c", "import sqlalchemy"], env, n,
                                                                 work))
            for fmt in ("csv", "xlsx"):
                cmd = rp + ["report", "--db", url, "--session", "SCALE000", "--format", fmt, "-o",
                            str(work / f"session.{fmt}"), "--no-progress"]
                show(f"report --session (200 attempts), {fmt}", timed(cmd, env, n, work), floor, "sqlite3+json",
                     "≤ 0.5 s")
        if "play" in rows:
            replies = work / "replies.txt"
            replies.write_text("\n".join(PLAY_REPLIES) + "\n", encoding="utf-8")
            floor = timed(rp + ["--help"], env, n, work)
            cmd = rp + ["play", "zh_visit_group_first", "--replies", str(replies)]
            show("play one scenario, 8 replies", timed(cmd, env, n, work), floor, "roleplay --help", "≤ 0.4 s")
        if "tui" in rows:
            sys.path.insert(0, str(ROOT / "bench"))
            from tui_bench import time_to_screen

            floor = timed([sys.executable, "-c", "import textual.app"], env, n, work)
            (work / "tui-home").mkdir(exist_ok=True)
            cpu: list[tuple[float, float]] = []
            first, loaded = time_to_screen(n, dict(env, ROLEPLAY_HOME=str(work / "tui-home")), cpu)

            def both(walls: list[float], cpus: list[float]) -> tuple[float, float]:
                nan = float("nan")
                return (statistics.median(walls) if walls else nan, statistics.median(cpus) if cpus else nan)

            show("TUI first frame", both(first, [c[0] for c in cpu]), floor, "import textual.app", "≤ 0.5 s")
            show("TUI scenario list filled", both(loaded, [c[1] for c in cpu]), goal="≤ 0.8 s")
        if "graph" in rows:
            path = big_scenario(work, args.graph_states)
            floor = timed(rp + ["validate", str(path)], env, n, work)
            show(f"graph, {args.graph_states} states", timed(rp + ["graph", str(path)], env, max(1, n // 2), work),
                 floor, "validate", "≤ 2 s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
