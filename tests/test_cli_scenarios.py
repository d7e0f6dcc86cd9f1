"""The scenario commands: list, play, test and graph follow DESIGN.md's contracts."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from roleplay.cli import main
from roleplay.core.scenario.library import find_scenario
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def visit():
    return find_scenario("zh_visit_group_first")


def write_replies(tmp_path, replies, name="replies.txt"):
    path = tmp_path / name
    path.write_text("\n".join(replies) + "\n", encoding="utf-8")
    return path


def test_list_plain_and_json(capsys):
    assert main(["list"]) == 0
    assert "zh_visit_group_first" in capsys.readouterr().out
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    row = next(r for r in rows if r["id"] == "en_call_busy_owner")
    assert {"id", "title", "language", "kind"} <= set(row) and row["language"] == "en" and row["kind"] == "call"
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)


def test_play_model_answer_passes(tmp_path, capsys, visit):
    model = visit.tests[0]
    replies = write_replies(tmp_path, model.replies)
    code = main(["play", "zh_visit_group_first", "--replies", str(replies), "--json",
                 "--prepared", ",".join(model.prepared)])
    sheet = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"scenario", "total", "max", "passed", "turns"} <= set(sheet)
    assert sheet["passed"] is True and sheet["scenario"] == "zh_visit_group_first"
    assert len(sheet["turns"]) == len(model.replies)


def test_play_rude_replies_fail_and_say_why(tmp_path, capsys):
    replies = write_replies(tmp_path, ["这不归我管", "你自己看着办吧"])
    assert main(["play", "zh_complaint_qixintong_fees", "--replies", str(replies)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("客户：") and "你：这不归我管" in out
    assert "未通过" in out and "建议" in out and "一票否决" in out
    assert re.search(r"✗ +-?\d+/\d+ +不说忌语", out) and "no_taboo" not in out  # the check in words, not its id


def test_play_evasive_replies_fail(tmp_path, capsys):
    replies = write_replies(tmp_path, ["ok", "hmm", "well", "maybe", "ok"])
    assert main(["play", "en_call_busy_owner", "--replies", str(replies), "--json", "--seed", "3",
                 "--trainee", "Sam"]) == 0
    sheet = json.loads(capsys.readouterr().out)
    assert sheet["passed"] is False and sheet["trainee"] == "Sam" and sheet["seed"] == 3
    missed = [c for c in sheet["checks"] if not c["passed"]]
    assert missed and all(c["suggestion"] for c in missed)


def test_play_by_path_and_markdown(tmp_path, capsys):
    replies = write_replies(tmp_path, ["Hello, this is Alex from the bank."])
    path = ROOT / "scenarios" / "en_call_busy_owner.yaml"
    assert main(["play", str(path), "--replies", str(replies), "--markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Cold call to a busy business owner")


def test_play_reports_bad_input_as_located_problems(tmp_path, capsys):
    assert main(["play", "no_such_scenario", "--replies", str(tmp_path / "missing.txt")]) == 1
    assert "no_such_scenario:1:1: no scenario with this id" in capsys.readouterr().err
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"hello\x00world")
    assert main(["play", "en_call_busy_owner", "--replies", str(binary)]) == 1
    assert f"{binary}:1:6: binary data" in capsys.readouterr().err


def test_test_command_passes_on_the_starter_scenarios(capsys):
    # every shipped scenario's tests are checked one by one in test_scenario_shipped.py
    starters = [str(ROOT / "scenarios" / f"{name}.yaml")
                for name in ("zh_visit_group_first", "zh_complaint_qixintong_fees", "en_call_busy_owner")]
    assert main(["test", *starters]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "FAIL" not in out and "states visited by tests:" in out


def test_test_command_shows_expected_vs_actual_and_exits_1(tmp_path, capsys):
    broken = tmp_path / "scenario.yaml"
    source = (ROOT / "scenarios" / "en_call_busy_owner.yaml").read_text(encoding="utf-8")
    broken.write_text(source.replace("expect: {state: done, outcome: success, passed: true, score: {min: 95}}",
                                     "expect: {state: hung_up, outcome: success, passed: true, score: {min: 95}}"),
                      encoding="utf-8")
    assert main(["test", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "FAIL model answer" in out and "state: expected hung_up, got done" in out
    assert f"{broken}:" in out and "path: phone -> question -> booking" in out


def test_test_command_json_reports_coverage(capsys):
    path = ROOT / "scenarios" / "zh_complaint_qixintong_fees.yaml"
    assert main(["test", "--json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out.splitlines()[0])
    assert report["passed"] and 0 < report["coverage"] <= 1 and isinstance(report["unvisited"], list)


def test_graph_is_mermaid(capsys):
    assert main(["graph", "zh_complaint_qixintong_fees"]) == 0
    out = capsys.readouterr().out
    assert "stateDiagram-v2" in out and "angry --> listening: calm_first" in out
    assert "resolved --> [*]" in out and "[*] --> angry" in out


def test_headless_scenario_commands_do_not_import_textual():
    code = ("import sys\nfrom roleplay.cli import main\n"
            "main(['list', '--json'])\nmain(['graph', 'en_call_busy_owner'])\n"
            "sys.exit(1 if 'textual' in sys.modules else 0)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_validate_command_on_a_copied_scenario_folder(tmp_path, capsys):
    folder = tmp_path / "mine"
    shutil.copytree(ROOT / "scenarios", folder)
    assert main(["validate", str(folder)]) == 0
    (folder / "zh_visit_group_first.yaml").write_text("id: x\nstates: {}\n", encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    assert f"{folder / 'zh_visit_group_first.yaml'}:1:1:" in capsys.readouterr().out


def test_graph_front_matter_has_a_title(capsys):
    assert main(["graph", "en_call_busy_owner"]) == 0
    assert capsys.readouterr().out.startswith('---\ntitle: "en_call_busy_owner: Cold call to a busy business owner"\n---\n')


def test_list_notes_invalid_files_it_skipped(tmp_path, capsys):
    shutil.copy(ROOT / "scenarios" / "en_call_busy_owner.yaml", tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("id: bad\nstates: {}\n", encoding="utf-8")
    assert main(["list", "--json", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert [r["id"] for r in json.loads(captured.out)] == ["en_call_busy_owner"]
    assert "1 file(s) skipped as invalid" in captured.err and "bad.yaml" in captured.err
