"""`roleplay serve` refuses bad settings with a clear message before it listens."""

from __future__ import annotations

import subprocess
import sys


def serve(tmp_path, *args, env=None):
    import os

    environ = dict(os.environ, ROLEPLAY_HOME=str(tmp_path))
    environ.pop("ROLEPLAY_ROOM_PASSWORD", None)
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "roleplay", "serve", "--host", "127.0.0.1", "--port", "8159", *args],
                          capture_output=True, text=True, timeout=60, env=environ, cwd=tmp_path)


def test_an_empty_password_file_is_named_with_its_line(tmp_path):
    empty = tmp_path / "pw.txt"
    empty.write_text("\n", encoding="utf-8")
    result = serve(tmp_path, "--password-file", str(empty))
    assert result.returncode != 0
    assert f"{empty}:1: the first line (the room password) is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_password_file_and_a_zero_limit_are_refused(tmp_path):
    result = serve(tmp_path, "--password-file", str(tmp_path / "nope.txt"))
    assert result.returncode != 0 and "cannot read the password file" in result.stderr
    result = serve(tmp_path, "--max-sessions", "0")
    assert result.returncode == 2 and "--max-sessions must be at least 1" in result.stderr


def test_an_unusable_store_is_reported_before_any_browser_connects(tmp_path):
    result = serve(tmp_path, "--db", "mysql://nobody@127.0.0.1/x")
    assert result.returncode == 1 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
