"""`roleplay match` honours the DESIGN.md contract: one JSON object per stdin line."""

import json
import subprocess
import sys

from tests.conftest import ROOT


def run_cli(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "roleplay", *args], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_json_lines_contract():
    done = run_cli("match", "--json", stdin="您好\n這不歸我管\n\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["text"] == "您好" and "greeting" in rows[0]["labels"]
    assert rows[1]["labels"] == ["taboo"]
    assert rows[2]["labels"] == []
    for row in rows:
        for m in row["matches"]:
            assert set(m) >= {"category", "score", "phrase"} and 0 <= m["score"] <= 100


def test_english_and_argument_form():
    done = run_cli("match", "--lang", "en", "--json", "Thank you for your time")
    row = json.loads(done.stdout)
    assert "thanks" in row["labels"] or "closing" in row["labels"]


def test_broken_phrasebook_gives_located_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("language: zh\nphrases:\n  nosuch: [你好]\n", encoding="utf-8")
    done = run_cli("match", "--phrasebook", str(bad), "您好")
    assert done.returncode == 1
    assert f"{bad}:3:3: category 'nosuch' is not defined" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_lang_each_reply_is_read_in_its_own_language():
    done = run_cli("match", "--json", stdin="谢谢您\nThank you so much\n")
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["labels"] == ["thanks"] and second["labels"] == ["thanks"]
