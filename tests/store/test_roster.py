"""Rosters: CSV/XLSX import (Chinese or English headers), located errors with nothing half-imported, 工号 at
join time and on every attempt, and who has or has not attempted in `session show`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from roleplay.core.content.problems import ContentError
from roleplay.core.content.roster_file import RosterEntry, read_roster
from roleplay.core.store import open_store
from tests.conftest import ROOT

CSV_ZH = "工号,姓名,部门,邮箱\n10023,王小明,高新区支行,wxm@example.com\n１００２４,李 娜,营业部,\n10025,王伟,营业部,\n"


def _cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roleplay", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ), input=input, timeout=120)


def _session(url: str, examples, *extra: str) -> str:
    made = _cli("session", "create", "--title", "花名册", "--scenario", examples["scenario"].id, "--code", "ROST01",
                "--db", url, *extra)
    assert made.returncode == 0, made.stderr
    return "ROST01"


def test_csv_with_chinese_headers_reads_back(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(CSV_ZH, encoding="utf-8-sig")
    assert read_roster(path) == [RosterEntry("10023", "王小明", "高新区支行", "wxm@example.com"),
                                 RosterEntry("10024", "李 娜", "营业部", None),
                                 RosterEntry("10025", "王伟", "营业部", None)]


def test_gbk_csv_from_a_chinese_excel_and_english_xlsx_headers(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("工号,姓名,班级\nA7,赵六,2026届一班\n".encode("gbk"))
    assert read_roster(gbk) == [RosterEntry("A7", "赵六", "2026届一班", None)]
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Employee ID", "Name", "Department", "Email"])
    book.active.append([10023, "Wang Xiaoming", "Gaoxin branch", "w@example.com"])
    book.active.append([None, None, None, None])  # an empty row is skipped
    book.active.append(["00031", "Li Na", None, None])
    book.save(tmp_path / "r.xlsx")
    assert read_roster(tmp_path / "r.xlsx") == [RosterEntry("10023", "Wang Xiaoming", "Gaoxin branch", "w@example.com"),
                                                RosterEntry("00031", "Li Na", None, None)]


@pytest.mark.parametrize("body, located", [
    ("工号,姓名\n1,甲\n,乙\n", ["3:1: 工号 is empty"]),
    ("工号,姓名\n1,甲\n2,\n", ["3:2: 姓名 is empty"]),
    ("工号,姓名\n1,甲\n1,乙\n", ["3:1: 工号 1 appears twice (first on row 2)"]),
    ("工号,姓名,邮箱\n1,甲,not-an-email\n2,乙,\n", ["2:3: 'not-an-email' is not an email address"]),
    ("编号X,姓名\n1,甲\n", ["1:1: no 工号"]),
    ("工号,姓名\n1 2,甲\n", ["2:1: 工号 '1 2' must be"]),
    ("", ["1:1: the roster is empty"]),
    ("工号,姓名\n", ["1:1: the roster has a header but no trainees"]),
])
def test_bad_rows_are_located(tmp_path, body, located):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_roster(path)
    shown = [str(p) for p in caught.value.problems]
    for expected in located:
        assert any(line.startswith(f"{path}:{expected}") for line in shown), shown


def test_import_is_all_or_nothing_and_list_reads_back(store_url, tmp_path, examples):
    code = _session(store_url, examples)
    good = tmp_path / "roster.csv"
    good.write_text(CSV_ZH, encoding="utf-8")
    done = _cli("roster", "import", str(good), "--session", code, "--db", store_url)
    assert done.returncode == 0 and "imported 3 trainee(s) into session ROST01" in done.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("工号,姓名,部门\n20001,新人甲,营业部\n20002,,营业部\n20003,新人丙,营业部\n", encoding="utf-8")
    refused = _cli("roster", "import", str(bad), "--session", code, "--db", store_url)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"{bad}:3:2: 姓名 is empty" in refused.stderr and "nothing imported" in refused.stderr
    listed = _cli("roster", "list", "--session", code, "--json", "--db", store_url)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["employee_id"], r["name"], r["department"], r["email"]) for r in rows] == [
        ("10023", "王小明", "高新区支行", "wxm@example.com"), ("10024", "李 娜", "营业部", None), ("10025", "王伟", "营业部", None)]
    unknown = _cli("roster", "import", str(good), "--session", "NOSUCH", "--db", store_url)
    assert unknown.returncode == 1 and "no session with code 'NOSUCH'" in unknown.stderr


def test_trainees_join_by_employee_id_and_session_show_lists_who_has_not(store_url, tmp_path, examples):
    good = examples["good"]
    roster = tmp_path / "dept.csv"
    roster.write_text(CSV_ZH, encoding="utf-8")
    assert _cli("roster", "import", str(roster), "--group", "营业部新人", "--db", store_url).returncode == 0
    nogroup = _cli("session", "create", "--title", "x", "--scenario", examples["scenario"].id, "--group", "没有这个组",
                   "--db", store_url)
    assert nogroup.returncode == 1 and "no roster group" in nogroup.stderr
    code = _session(store_url, examples, "--group", "营业部新人")
    base = ["play", "--session", code, "--prepared", ",".join(good.prepared), "--json", "--db", store_url]
    replies = "\n".join(good.replies) + "\n"
    played = _cli(*base, "--trainee", "１００２４", input=replies)  # full-width digits: the same 工号
    assert played.returncode == 0, played.stderr
    stranger = _cli(*base, "--trainee", "路人甲", input=replies)
    assert stranger.returncode == 1 and "not on the roster of session ROST01" in stranger.stderr
    with open_store(store_url) as store:
        [info] = store.history(session_code=code)
    assert (info.trainee, info.employee_id) == ("李 娜", "10024")

    shown = _cli("session", "show", code, "--db", store_url)
    assert shown.returncode == 0, shown.stderr
    assert "roster: 1 of 3 have attempted" in shown.stdout
    missing = shown.stdout.split("not yet attempted (2):")[1]
    assert "10023" in missing and "10025" in missing and "10024" not in missing
    as_json = json.loads(_cli("session", "show", code, "--json", "--db", store_url).stdout)
    assert {r["employee_id"]: r["attempts"] for r in as_json["roster"]} == {"10023": 0, "10024": 1, "10025": 0}
    assert as_json["attempts"][0]["employee_id"] == "10024"


def test_two_trainees_with_one_name_are_told_apart_by_employee_id(store_url, tmp_path, examples):
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名\n1,王伟\n2,王伟\n", encoding="utf-8")
    code = _session(store_url, examples)
    assert _cli("roster", "import", str(roster), "--session", code, "--db", store_url).returncode == 0
    replies = "\n".join(examples["good"].replies) + "\n"
    base = ["play", "--session", code, "--prepared", ",".join(examples["good"].prepared), "--db", store_url]
    ambiguous = _cli(*base, "--trainee", "王伟", input=replies)
    assert ambiguous.returncode == 1 and "enter your 工号" in ambiguous.stderr
    assert _cli(*base, "--trainee", "1", input=replies).returncode == 0
    second = _cli(*base, "--trainee", "2", input=replies)  # the other 王伟 still has an attempt
    assert second.returncode == 0, second.stderr
    with open_store(store_url) as store:
        assert sorted(i.employee_id for i in store.history(session_code=code)) == ["1", "2"]
