"""Exports are complete or absent, follow the user's umask, and carry no terminal escape sequences."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

from roleplay.core.attempts.attempt import Attempt
from roleplay.core.reports.export import render_trainee, write_atomically, write_folder, write_sheet
from roleplay.core.reports.model import build_trainee
from tests.conftest import ROOT

ESCAPES = "您好\x1b[2J\x1b]0;owned\x07\x1b]8;;http://evil.example\x1b\\点我\x1b]8;;\x1b\\，我是小陈\x9b31m"


def _run_child(code: str, cwd) -> int:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return done.returncode


def test_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_sheet(tmp_path / "c.csv", b"a,b\r\n", "csv", None)
        folder = write_folder(tmp_path / "each", [("a.md", b"x\n")])
    finally:
        os.umask(old)
    for p in (path, tmp_path / "c.csv.sig", folder / "a.md"):
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p  # shared folders are the usual destination, not 0600


def test_a_killed_folder_export_leaves_nothing_that_looks_complete(tmp_path):
    code = """
        import os, signal
        from roleplay.core.reports.export import write_folder
        def files():
            yield ("a.md", b"one\\n")
            yield ("b.md", b"two\\n")
            os.kill(os.getpid(), signal.SIGKILL)
            yield ("c.md", b"three\\n")
        write_folder("out/each", files())
    """
    assert _run_child(code, tmp_path) == -9
    assert not (tmp_path / "out" / "each").exists()  # absent, not partial
    leftovers = [p.name for p in (tmp_path / "out").iterdir()]
    assert leftovers and all(n.startswith(".each.tmp-") for n in leftovers)  # hidden, and swept next time
    write_folder(tmp_path / "out" / "each", [("a.md", b"one\n"), ("b.md", b"two\n")])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["each"]
    assert sorted(p.name for p in (tmp_path / "out" / "each").iterdir()) == [".roleplay-sheets", "a.md", "b.md"]


def test_a_kill_between_write_and_rename_leaves_no_stray_file(tmp_path):
    code = """
        import os, signal
        from roleplay.core.reports import export
        export.os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)
        export.write_atomically("out/sheet.md", b"complete\\n")
    """
    assert _run_child(code, tmp_path) == -9
    assert not (tmp_path / "out" / "sheet.md").exists()
    write_atomically(tmp_path / "out" / "sheet.md", b"again\n")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["sheet.md"]


def test_a_second_folder_export_replaces_the_first_whole(tmp_path):
    write_folder(tmp_path / "each", [("old.md", b"1\n")])
    write_folder(tmp_path / "each", [("new.md", b"2\n")])
    assert sorted(p.name for p in (tmp_path / "each").iterdir()) == [".roleplay-sheets", "new.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["each"]


def test_a_folder_holding_other_files_is_never_replaced(tmp_path):
    import pytest

    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "cohort.xlsx").write_bytes(b"keep me")
    with pytest.raises(ValueError, match="holds other files"):
        write_folder(tmp_path / "exports", [("a.md", b"x\n")])
    assert (tmp_path / "exports" / "cohort.xlsx").read_bytes() == b"keep me"


def test_escape_sequences_never_reach_exports(store, examples):
    scenario, book = examples["scenario"], examples["phrasebook"]
    attempt = Attempt.start(scenario, book, "小陈\x1b[31m", store=store)
    attempt.reply(ESCAPES)
    attempt.finish()
    report = build_trainee(store, "小陈\x1b[31m")
    for fmt in ("md", "html", "json"):
        data = render_trainee(report, fmt)
        assert b"\x1b" not in data and "\x9b".encode() not in data and b"\x07" not in data, fmt
    assert "点我" in render_trainee(report, "md").decode()


def test_play_transcript_on_stdout_has_no_escape_sequences(tmp_path):
    replies = tmp_path / "replies.txt"
    replies.write_text(ESCAPES + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "roleplay", "play", "zh_bank_interest_reminder_easy", "--replies",
                           str(replies)], cwd=ROOT, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout and "\x9b".encode() not in done.stdout
    assert "点我".encode() in done.stdout
