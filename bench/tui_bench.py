"""TUI speed, measured by hand (not in tests): time to the first screen, and Enter -> feedback line.

    .venv/bin/python bench/tui_bench.py            # both measurements, 5 runs each
    .venv/bin/python bench/tui_bench.py --runs 10

Targets (issue 4): first screen under 1 s from a cold `roleplay`; feedback under 100 ms after Enter.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_SCREEN_MARK = b"F1"  # the key bar at the bottom of the start screen
LOADED_MARK = "·zh".encode()  # "拜访·中等·zh" appears only in a filled scenario list


def time_to_screen(runs: int, base_env: dict | None = None, cpu: list | None = None) -> tuple[list[float], list[float]]:
    """Run the real `roleplay` in a pseudo-terminal (100x30) and time the first frame and the filled list.

    With `base_env` (scale_bench) its ROLEPLAY_HOME is kept, so its content caches are warm as a user's are.
    With `cpu`, (first frame, list filled) CPU seconds of the app process are appended to it: on a shared,
    loaded machine that is the figure to compare."""
    first, loaded = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(base_env or os.environ)
            home = env.get("ROLEPLAY_HOME", home) if base_env else home
            env.update(ROLEPLAY_HOME=home, LANG="zh_CN.UTF-8", COLUMNS="100", LINES="30", TERM="xterm-256color")
            env.pop("ROLEPLAY_DB", None)
            master, slave = pty.openpty()
            os.set_blocking(master, False)
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "roleplay"], stdin=slave, stdout=slave, stderr=slave,
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
                    c_first = _cpu_seconds(proc.pid)
                if LOADED_MARK in seen:
                    t_loaded = now - start
                    if cpu is not None and t_first is not None:
                        cpu.append((c_first, _cpu_seconds(proc.pid)))
            proc.terminate()
            proc.wait(timeout=5)
            os.close(master)
            if t_first is not None:
                first.append(t_first)
            if t_loaded is not None:
                loaded.append(t_loaded)
    return first, loaded


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by a running process, all its threads (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def feedback_latency(runs: int) -> tuple[list[float], list[float]]:
    """In-process, at 100x30: from the reply's Enter being handled to the frame with the new feedback line
    written to the terminal (the app's _display), and the engine's share of it. Pilot's own idle waits are
    outside the measured span."""
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
            if hasattr(app.screen, "action_done"):  # the preparation checklist: go straight on
                app.screen.action_done()
                await pilot.pause()
            play = app.screen
            feedback = play.query_one(FeedbackLine)
            marks: dict[str, float] = {}
            original_reply, original_send, original_display = play.session.reply, play.send, app._display

            def timed_reply(text):
                t = time.perf_counter()
                result = original_reply(text)
                engine.append((time.perf_counter() - t) * 1000)
                return result

            def timed_send(text):
                marks["enter"] = time.perf_counter()
                marks["before"] = feedback.render()
                original_send(text)

            def timed_display(screen, renderable):
                original_display(screen, renderable)
                if "enter" in marks and feedback.render() is not marks["before"]:
                    total.append((time.perf_counter() - marks.pop("enter")) * 1000)

            play.session.reply = timed_reply
            play.send = timed_send
            app._display = timed_display
            for i in range(runs):
                play.query_one(ReplyInput).value = replies[i % len(replies)]
                await pilot.press("enter")
                await pilot.pause(0.1)
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
