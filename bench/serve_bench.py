"""Load on one machine for `roleplay serve`: N trainees on loopback, each a websocket client speaking the
browser's protocol (what xterm.js sends and receives), so the figures are the server's, not a browser's.

Measures: time to first frame and to a usable start screen, memory per session (RSS and PSS of each trainer
process), CPU while all sessions type Chinese replies at a person's pace, and reply latency (Enter -> the
client's answer on screen). Bounded: at most --sessions (default 30) and --seconds of typing (default 60).

    .venv/bin/python bench/serve_bench.py --sessions 30 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

PASSWORD = "bench-room"
SCENARIO_SEARCH = "交接后电话预约拜访集团客户（简单"
CLIENT_FIRST_LINE = "您找哪位"  # the client's first words (the brief in the start screen's preview names the firm)
REPLIES = ["您好，我是移动公司的客户经理小李！请问是王总吗？", "之前服务您的客户经理已经调职了，现在由我负责贵公司。",
           "想和您预约时间上门拜访您，您看是周三下午还是周四上午方便？", "好的，谢谢您！周四上午十点见，再见！"]
CHARS_PER_SECOND = 4.0
SETUP_TIMEOUT_S = 240.0  # opening 30 trainers at once on a busy 2-core machine can take minutes  # a trainee typing Chinese with an IME commits a few characters a second


def proc_children(pid: int) -> list[int]:
    """Direct children of a process (the trainers the server exec'd)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB; PSS shares the pages of the Python binary and libraries fairly between processes."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return total / ticks


class Trainee:
    """One browser tab: signs in, opens the trainer, types, and watches the screen stream."""

    def __init__(self, index: int, url: str) -> None:
        self.index = index
        self.url = url
        self.stream = bytearray()
        self.first_frame_s: float | None = None
        self.ready_s: float | None = None
        self.latencies: list[float] = []
        self.error: str | None = None
        self.changed = asyncio.Event()

    async def wait_for(self, text: str, start: int, timeout: float) -> bool:
        needle = text.encode("utf-8")
        deadline = time.monotonic() + timeout
        while needle not in self.stream[start:]:
            self.changed.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                return False
        return True

    async def run(self, phases: Phases, started: float) -> None:
        self.started = started
        try:
            # each tab is its own browser: its own cookie jar, so its own browser id and preferences
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None),
                                             cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
                await self.session_run(session, phases, started)
        except Exception as exc:  # noqa: BLE001 - a bench reports failures, it does not stop at the first
            self.error = f"{type(exc).__name__}: {exc}"

    async def session_run(self, session: aiohttp.ClientSession, phases: Phases, started: float) -> None:
        async with session.post(self.url + "/login", data={"secret": PASSWORD}, allow_redirects=False):
            pass
        ws_url = self.url.replace("http", "ws") + "/ws?width=120&height=36"
        if True:
            async with session.ws_connect(ws_url, heartbeat=30) as ws:
                reader = asyncio.create_task(self.read(ws, started))
                try:
                    await self.script(ws, phases)
                finally:
                    reader.cancel()

    async def read(self, ws, started: float) -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                if self.first_frame_s is None and len(message.data) > 10:
                    self.first_frame_s = time.monotonic() - started
                self.stream += message.data
                self.changed.set()

    async def send(self, ws, text: str) -> None:
        await ws.send_str(json.dumps(["stdin", text]))

    async def type_slowly(self, ws, text: str, until: float) -> None:
        for ch in text:
            if time.monotonic() >= until:
                return
            await self.send(ws, ch)
            await asyncio.sleep(1.0 / CHARS_PER_SECOND)

    async def script(self, ws, phases: Phases) -> None:
        if not await self.wait_for("工号", 0, SETUP_TIMEOUT_S):
            raise RuntimeError("start screen never appeared")
        self.ready_s = time.monotonic() - self.started
        await asyncio.sleep(1.0)
        # Each field is typed, seen on screen, then left with Enter and a pause, as a person does: keys sent in
        # the same instant as the Enter would land before the focus moves.
        for text in (f"学员{self.index}", f"A{self.index:04d}", SCENARIO_SEARCH):
            mark = len(self.stream)
            await self.send(ws, text)
            if not await self.wait_for(text[-3:], mark, SETUP_TIMEOUT_S):
                raise RuntimeError(f"typing {text!r} never showed")
            if text != SCENARIO_SEARCH:
                await self.send(ws, "\r")
                await asyncio.sleep(1.0)
        await asyncio.sleep(1.0)
        mark = len(self.stream)
        await self.send(ws, "\r")
        if not await self.wait_for(CLIENT_FIRST_LINE, mark, 30):
            await self.send(ws, "\r")  # an Enter that came before the list had filtered starts nothing: again
        if not await self.wait_for(CLIENT_FIRST_LINE, mark, SETUP_TIMEOUT_S):
            if os.environ.get("SERVE_BENCH_DUMP"):
                Path(os.environ["SERVE_BENCH_DUMP"] + f".{self.index}").write_bytes(bytes(self.stream))
            raise RuntimeError("the scenario never opened")
        phases.arrived()
        await phases.go.wait()  # everyone types at the same time
        turn = 0
        while time.monotonic() < phases.typing_end:
            await self.type_slowly(ws, REPLIES[turn % len(REPLIES)], phases.typing_end)
            if time.monotonic() >= phases.typing_end:
                break
            mark = len(self.stream)
            sent = time.monotonic()
            await self.send(ws, "\r")
            # the reply echoes into the conversation with the trainee's name, in the frame with the answer
            if await self.wait_for(f"学员{self.index}：", mark, 30):
                self.latencies.append(time.monotonic() - sent)
            turn += 1
            if turn == len(REPLIES):  # the conversation is over: start it again, as a retry would
                break
        await phases.done.wait()  # stay connected until the CPU has been read
        if os.environ.get("SERVE_BENCH_DUMP") and self.index == 1:  # what trainee 1 saw, for debugging the bench
            Path(os.environ["SERVE_BENCH_DUMP"]).write_bytes(bytes(self.stream))


class Phases:
    """Start everyone, wait until all are in the scenario, then one typing window measured for everyone."""

    def __init__(self, sessions: int) -> None:
        self.sessions = sessions
        self.count = 0
        self.all_in = asyncio.Event()
        self.go = asyncio.Event()
        self.done = asyncio.Event()
        self.typing_end = 0.0

    def arrived(self) -> None:
        self.count += 1
        if self.count >= self.sessions:
            self.all_in.set()


async def bench(url: str, server_pid: int, sessions: int, seconds: float, stagger: float) -> dict:
    trainees = [Trainee(i + 1, url) for i in range(sessions)]
    phases = Phases(sessions)
    tasks = []
    for trainee in trainees:
        tasks.append(asyncio.create_task(trainee.run(phases, time.monotonic())))
        await asyncio.sleep(stagger)

    async def failures() -> None:  # a failed trainee will never arrive: stop waiting for it
        while not phases.all_in.is_set():
            if phases.count + sum(t.error is not None for t in trainees) >= sessions:
                phases.all_in.set()
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(failures())
    try:
        await asyncio.wait_for(phases.all_in.wait(), SETUP_TIMEOUT_S)
    except asyncio.TimeoutError:
        pass
    watcher.cancel()
    children = proc_children(server_pid)
    memory = [memory_kb(pid) for pid in children]
    # CPU each trainer spent to start, paint the start screen, take the typing and open the scenario:
    # independent of how busy the machine is, so it sizes a dedicated server
    startup_cpu = cpu_seconds(children) / len(children) if children else 0.0
    cpu_start, wall_start = cpu_seconds([server_pid] + children), time.monotonic()
    phases.typing_end = wall_start + seconds
    phases.go.set()
    await asyncio.sleep(seconds)
    cpu_used = cpu_seconds([server_pid] + children) - cpu_start  # children are still connected and alive
    wall = time.monotonic() - wall_start
    phases.done.set()
    await asyncio.gather(*tasks)
    return {"trainees": trainees, "memory": memory, "cpu_s": cpu_used, "wall_s": wall,
            "server": memory_kb(server_pid), "typing": phases.count, "startup_cpu": startup_cpu}


def summary(values: list[float]) -> str:
    if not values:
        return "n/a"
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
    return f"median {statistics.median(values):.2f} s, p90 {p90:.2f} s, max {values[-1]:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0, help="typing window (bounded to 300)")
    parser.add_argument("--stagger", type=float, default=0.0, help="seconds between tabs opening (0: all at once)")
    parser.add_argument("--port", type=int, default=8158)
    parser.add_argument("--db", metavar="URL", help="store URL (default: SQLite in a temporary folder)")
    args = parser.parse_args()
    sessions = max(1, min(args.sessions, 60))
    seconds = max(10.0, min(args.seconds, 300.0))
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        env = dict(os.environ, ROLEPLAY_HOME=tmp, ROLEPLAY_ROOM_PASSWORD=PASSWORD)
        server = subprocess.Popen([sys.executable, "-m", "roleplay", "serve", "--host", "127.0.0.1", "--port",
                                   str(args.port), "--max-sessions", str(sessions), "--db",
                                   args.db or f"sqlite:///{tmp}/bench.db"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        try:
            if "Training room open" not in (server.stdout.readline() or ""):
                print("roleplay serve did not start", file=sys.stderr)
                return 1
            load_before = os.getloadavg()[0]
            result = asyncio.run(bench(f"http://127.0.0.1:{args.port}", server.pid, sessions, seconds,
                                       args.stagger))
        finally:
            server.terminate()
            server.wait(30)
    trainees = result["trainees"]
    errors = [t.error for t in trainees if t.error]
    rss = [m[0] / 1024 for m in result["memory"] if m[0]]
    pss = [m[1] / 1024 for m in result["memory"] if m[1]]
    cores = result["cpu_s"] / result["wall_s"] if result["wall_s"] else 0.0
    print(f"roleplay serve, {sessions} sessions on loopback, {os.cpu_count()} cores, "
          f"load average before {load_before:.1f}")
    print(f"  time to first frame:   {summary([t.first_frame_s for t in trainees if t.first_frame_s is not None])}")
    print(f"  start screen usable:   {summary([t.ready_s for t in trainees if t.ready_s is not None])}")
    if rss:
        print(f"  memory per session:    RSS {statistics.mean(rss):.0f} MB, PSS {statistics.mean(pss):.0f} MB "
              f"(mean of {len(rss)} trainer processes); server {result['server'][0] / 1024:.0f} MB RSS")
    print(f"  CPU to get going:      {result['startup_cpu']:.2f} CPU-s per trainer (start, sign-in screen, "
          f"name, 工号, search, open the scenario)")
    print(f"  CPU while typing:      {cores:.2f} cores busy on average over {result['wall_s']:.0f} s "
          f"({result['cpu_s']:.0f} CPU-s, server + trainers; {result['typing']} sessions typing)")
    print(f"  reply latency:         {summary([x for t in trainees for x in t.latencies])} "
          f"({sum(len(t.latencies) for t in trainees)} replies)")
    if errors:
        print(f"  failed sessions:       {len(errors)}: {errors[:3]}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
