"""Engine time for a 20-turn play (interpreter start and imports excluded): `python bench/engine_bench.py`.

Target: a 20-turn play (Session + 20 replies + score sheet) under 50 ms. Reports the cold first
play (the scenario's matcher is built then) and the warm median / p95 over repeated plays, plus a
replay of every shipped scenario's in-file tests. Run by hand; tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roleplay.core.conversation.engine import Session  # noqa: E402
from roleplay.core.phrasebook.book import load_phrasebook  # noqa: E402
from roleplay.core.scenario.model import load_scenario  # noqa: E402
from roleplay.core.scenario.library import discover_scenarios

CATEGORIES = ["greeting", "self_intro", "compliment", "inquiry", "appointment", "closing",
              "apology", "empathy", "thanks", "callback"]
REPLIES = [
    "陈总您好，我是移动公司的客户经理小王，现由我来负责您们公司的移动服务。",
    "这是我的名片，请多指教。",
    "您真的很忙哦，非常感谢您在百忙之中还抽空接待我。",
    "想先了解一下，贵公司目前固话费用每月大概支出多少？",
    "不好意思，看您今天比较忙，您看我们是明天上午还是后天下午到您的办公室谈谈呢？",
    "刘经理，非常抱歉给您添麻烦了，我非常理解您的心情，换作是我也会着急的。",
    "谢谢您的宝贵意见，我帮您查一下账单明细。",
    "您所反映的问题我已经记录下来了，我核实相关情况后给您回电，好吗？",
    "嗯",
    "如您有任何需要，请随时打电话与我联系，我会尽力为您服务，再见！",
]


def ring_scenario(states: int = 12) -> str:
    """A scenario that never ends by itself: a ring of states, six rules each, 20+ turns long."""
    lines = [
        "id: bench_ring", "title: 基准测试", "language: zh", "kind: visit", "difficulty: easy",
        "brief: 基准测试。", "persona: {name: 陈总, mood: 0}", "start: s0", "max_turns: 40", "states:",
    ]
    for i in range(states):
        lines += [f"  s{i}:", f"    say: [第{i}站A, 第{i}站B]", "    rules:",
                  "      - {when: {action: end}, goto: done}"]
        for j in range(5):
            cat = CATEGORIES[(i + j) % len(CATEGORIES)]
            lines.append(f"      - {{when: {{any: [{cat}], none: [taboo]}}, mood: {j - 2}, goto: s{(i + 1) % states}}}")
        lines.append("    fallback: {say: 嗯？, mood: -1}")
    lines += ["  done: {final: true, outcome: success}", "rubric:", "  pass_mark: 10", "  checks:",
              "    - {id: greet, description: 问候, points: 10, said: greeting}",
              "    - {id: order, description: 先道歉, points: 10, order: {first: apology, then: callback}}",
              "    - {id: polite, description: 不说忌语, points: 10, never: taboo, penalty: 5}"]
    return "\n".join(lines) + "\n"


def play(scenario, book, replies):
    session = Session(scenario, book, seed=1)
    for text in replies:
        session.reply(text)
    session.score_sheet()
    return session


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    book = load_phrasebook()
    load_book_ms = (time.perf_counter() - t0) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_ring.yaml"
        path.write_text(ring_scenario(), encoding="utf-8")
        t0 = time.perf_counter()
        scenario = load_scenario(path)
        load_scenario_ms = (time.perf_counter() - t0) * 1000
    replies = [REPLIES[i % len(REPLIES)] for i in range(20)]

    t0 = time.perf_counter()
    session = play(scenario, book, replies)
    cold_ms = (time.perf_counter() - t0) * 1000
    assert len(session.turns) == 20 and not session.ended, "the bench scenario must last 20 turns"

    # CPU time of this process: the figure other busy processes on the machine disturb least
    warm, wall = [], []
    for _ in range(args.runs):
        t0, w0 = time.process_time(), time.perf_counter()
        play(scenario, book, replies)
        warm.append((time.process_time() - t0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    warm.sort()
    median = statistics.median(warm)
    p95 = warm[int(0.95 * (len(warm) - 1))]
    wall_median = statistics.median(wall)

    matcher = scenario.matcher_for(book)
    match_runs = []
    for _ in range(args.runs):
        t0 = time.process_time()
        for text in replies:
            matcher.match(text)
        match_runs.append((time.process_time() - t0) * 1000)
    match_ms = statistics.median(match_runs)  # medians on both sides, so the difference is the engine's share
    overhead_ms = max(0.0, median - match_ms)  # noise can make the difference dip below zero

    shipped_path = discover_scenarios()[0].path
    t0 = time.perf_counter()
    load_scenario(shipped_path)
    warm_load_ms = (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    shipped_turns = 0
    for shipped in discover_scenarios():
        for test in shipped.tests:
            s = Session.replay(shipped, book, test.seed, test.trainee, "practice", test.replies, test.prepared)
            s.score_sheet()
            shipped_turns += len(s.turns)
    shipped_ms = (time.perf_counter() - t0) * 1000

    result = {
        "phrasebook_load_ms": round(load_book_ms, 1), "scenario_load_ms": round(load_scenario_ms, 1),
        "play20_cold_ms": round(cold_ms, 1), "play20_warm_median_ms": round(median, 2),
        "play20_warm_p95_ms": round(p95, 2), "play20_warm_wall_median_ms": round(wall_median, 2), "per_turn_ms": round(median / 20, 2),
        "matching20_ms": round(match_ms, 2), "engine_overhead20_ms": round(overhead_ms, 2),
        "scenario_load_warm_ms": round(warm_load_ms, 1),
        "shipped_tests_turns": shipped_turns, "shipped_tests_ms": round(shipped_ms, 1),
        "target_ms": 50, "runs": args.runs,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"phrasebook load           {load_book_ms:8.1f} ms")
        print(f"scenario load, first      {load_scenario_ms:8.1f} ms  (loads the shipped category ids once)")
        print(f"20-turn play, cold        {cold_ms:8.1f} ms  (builds the scenario's matcher)")
        print(f"20-turn play, warm        {median:8.2f} ms CPU median, {p95:.2f} ms p95 over {args.runs} runs"
              f"  ({median / 20:.2f} ms/turn; target < 50 ms); wall median {wall_median:.2f} ms")
        print(f"  of which matching       {match_ms:8.2f} ms; engine (machine, rules, scoring) {overhead_ms:.2f} ms")
        print(f"scenario load, warm       {warm_load_ms:8.1f} ms  ({Path(shipped_path).name})")
        print(f"shipped scenario tests    {shipped_ms:8.1f} ms for {shipped_turns} turns")
    return 0 if median < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
