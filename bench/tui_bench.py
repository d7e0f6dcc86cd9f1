"""TUI speed, measured by hand (not in tests): time to the first screen, and Enter -> feedback line.

    .venv/bin/python bench/tui_bench.py            # both measurements, 5 runs each
    .venv/bin/python bench/tui_bench.py --runs 10

Targets (issue 4): first screen under 1 s from a cold `roleplay`; feedback under 100 ms after Enter.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_SCREEN_MARK = "F1".encode()  # the key bar is the last line composed on the start screen
LOADED_MARK = "首次拜访集团客户".encode()  # a shipped scenario title: the list is filled


def time_to_screen(runs: int) -> tuple[list[float], list[float]]:
    """Run the real `roleplay` in a pseudo-terminal (100x30) and time the first frame and the filled list."""
    first, loaded = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, ROLEPLAY_HOME=home, LANG="zh_CN.UTF-8", COLUMNS="100", LINES="30",
                       TERM="xterm-256color")
            env.pop("ROLEPLAY_DB", None)
            master, slave = pty.openpty()
            os.set_blocking(master, False)
            import fcntl
            import struct
            import termios

            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "roleplay", "--trainee", "小王"] if False else
                                    [sys.executable, "-m", "roleplay"], stdin=slave, stdout=slave, stderr=slave,
                                    env=env, cwd=home, close_fds=True)
            os.close(slave)
            seen = b""
            t_first = t_loaded = None
            deadline = start + 20
            while time.perf_counter() < deadline and t_loaded is None:
                ready, _, _ = select.select([master], [], [], 0.01)
                if not ready:
                    continue
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                now = time.perf_counter()
                if t_first is None and FIRST_SCREEN_MARK in seen:
                    t_first = now - start
                if LOADED_MARK in seen:
                    t_loaded = now - start
            proc.terminate()
            proc.wait(timeout=5)
            os.close(master)
            if t_first is not None:
                first.append(t_first)
            if t_loaded is not None:
                loaded.append(t_loaded)
    return first, loaded


async def feedback_latency(runs: int) -> tuple[list[float], list[float]]:
    """In-process: from the reply's Enter to the feedback line repainted, and the engine's share of it."""
    sys.path.insert(0, str(ROOT))
    from roleplay.tui.app import create_app
    from roleplay.tui.widgets.feedback_line import FeedbackLine
    from roleplay.tui.widgets.reply_input import ReplyInput

    replies = ["陈总您好，我是移动公司的客户经理小王，现由我来负责您们公司的移动服务。",
               "您真的很忙哦，非常感谢您在百忙之中还抽空接待我。",
               "想先了解一下，贵公司目前固话费用每月大概支出多少？"]
    total, engine = [], []
    with tempfile.TemporaryDirectory() as home:
        os.environ["ROLEPLAY_HOME"] = home
        app = create_app(lang="zh", trainee="小王", scenario="zh_visit_group_first", store=True, remember=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            if hasattr(screen, "action_done"):  # the preparation checklist: go straight on
                screen.action_done()
                await pilot.pause()
            play = app.screen
            original = play.session.reply

            def timed_reply(text):
                t = time.perf_counter()
                result = original(text)
                engine.append((time.perf_counter() - t) * 1000)
                return result

            play.session.reply = timed_reply
            feedback = play.query_one(FeedbackLine)
            for i in range(runs):
                reply_input = play.query_one(ReplyInput)
                reply_input.value = replies[i % len(replies)]
                before = feedback.render()
                t0 = time.perf_counter()
                await pilot.press("enter")
                while feedback.render() is before:
                    await asyncio.sleep(0)
                await pilot.pause()
                total.append((time.perf_counter() - t0) * 1000)
                if play.session.ended:
                    break
    return total, engine


def summary(values: list[float], unit: str, scale: float = 1.0) -> str:
    if not values:
        return "no data"
    vals = [v * scale for v in values]
    return (f"median {statistics.median(vals):.0f} {unit}, min {min(vals):.0f}, max {max(vals):.0f} "
            f"(n={len(vals)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    first, loaded = time_to_screen(args.runs)
    print(f"first screen (cold `python -m roleplay`, 100x30): {summary(first, 'ms', 1000)}")
    print(f"scenario list filled:                           {summary(loaded, 'ms', 1000)}")
    total, engine = asyncio.run(feedback_latency(args.runs))
    print(f"Enter -> feedback line repainted:               {summary(total, 'ms')}")
    print(f"  of which Session.reply (engine + matcher):    {summary(engine, 'ms')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
