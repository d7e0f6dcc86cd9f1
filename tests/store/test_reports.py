"""Exports read back (CSV with BOM, XLSX via openpyxl, HTML parsed, JSON) and `verify` catching edits."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from roleplay.core.reports import integrity
from roleplay.core.attempts.assessment import create_session
from roleplay.core.reports.export import render_cohort, render_trainee
from roleplay.core.reports.model import build_cohort, build_trainee
from roleplay.core.attempts.attempt import Attempt
from tests.conftest import ROOT

SNEAKY = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def cohort(store, examples):
    """A session with three trainees: 小王 passes, 小李 fails, and one whose 'name' is a spreadsheet formula."""
    scenario, book = examples["scenario"], examples["phrasebook"]
    same_bar = 100.0 * scenario.pass_mark / scenario.max_points  # so "good" passes and "bad" fails here too
    session = create_session(store, "十一月考核 <b>", [scenario.id], pass_mark=same_bar, code="NOV26")
    for trainee, run in [("小王", examples["good"]), ("小李", examples["bad"]), (SNEAKY, examples["good"])]:
        attempt = Attempt.start(scenario, book, trainee, store=store, assessment=session, prepared=run.prepared)
        for text in run.replies:
            if not attempt.ended:
                attempt.reply(text)
        assert attempt.ended
    return store, session


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser


def test_cohort_csv_opens_in_excel_with_chinese(cohort):
    store, session = cohort
    data = render_cohort(build_cohort(store, session.code), "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads UTF-8 instead of the ANSI code page
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "学员"
    by_name = {r[0]: r for r in rows[1:4]}
    assert set(by_name) == {"小王", "小李", "'" + SNEAKY}  # formula neutralised
    assert by_name["小王"][3] == "通过" and by_name["小李"][3] == "未通过"
    summary = {r[0]: r[1] for r in rows[5:] if len(r) > 1}
    assert summary["通过率"] == "66.7%"
    assert rows[-1][0].startswith("# roleplay-integrity v1 sha256=")


def test_cohort_xlsx_reads_back(cohort, tmp_path):
    from openpyxl import load_workbook

    store, session = cohort
    report = build_cohort(store, session.code)
    path = tmp_path / "cohort.xlsx"
    path.write_bytes(render_cohort(report, "xlsx"))
    book = load_workbook(path)
    table, categories, summary = book.worksheets
    rows = list(table.iter_rows(values_only=True))
    assert rows[0][0] == "学员" and len(rows) == 4
    sneaky = next(c for c in table["A"] if c.value == SNEAKY)
    assert sneaky.data_type == "s"  # stored as text, never as a formula
    cats = {r[1]: r[2] for r in categories.iter_rows(min_row=2, values_only=True)}
    assert cats == {cid: r.percent for cid, r in report.categories.items()}
    assert dict(summary.iter_rows(values_only=True))["通过率"] == "66.7%"
    assert integrity.verify_file(path).intact


def test_cohort_html_has_a_category_chart_and_no_network(cohort):
    store, session = cohort
    report = build_cohort(store, session.code)
    html = render_cohort(report, "html").decode("utf-8")
    parsed = _parse(html)
    bars = {a["data-category"]: float(a["data-percent"]) for t, a in parsed.tags if t == "rect" and "data-percent" in a}
    expected = {report.category_names.get(c, c): r.percent for c, r in report.categories.items() if r.percent is not None}
    assert bars == expected and bars
    assert sum(1 for t, a in parsed.tags if t == "tr") >= 4
    assert not [a for t, a in parsed.tags if a.get("src") or a.get("href")]  # nothing fetched from anywhere
    assert "Noto Sans CJK SC" in html and '<meta charset="utf-8">' in html
    assert "十一月考核 <b>" in "".join(parsed.text) and "<b>" not in html.split("<body>")[1].split("<h1>")[0]
    percents = {c: r.percent for c, r in report.categories.items() if r.percent is not None}
    weakest = report.weakest
    assert bool(weakest) == (len(set(percents.values())) > 1)  # a tie singles out nobody
    others = [p for c, p in percents.items() if c not in weakest]
    assert all(percents[w] <= min(others) and percents[w] < max(percents.values()) for w in weakest)
    assert {a["data-category"] for t, a in parsed.tags if t == "rect" and a.get("fill") == "#c0392b"} == \
           {report.category_names.get(w, w) for w in weakest}


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_trainee_sheets_read_back(cohort, fmt, tmp_path):
    store, session = cohort
    report = build_trainee(store, "小王", session.code)
    text = render_trainee(report, fmt).decode("utf-8")
    if fmt == "json":
        document = json.loads(text)
        assert document["trainee"] == "小王" and len(document["attempts"]) == 1
        assert document["attempts"][0]["passed"] is True and document["integrity"]["sha256"]
    elif fmt == "html":
        parsed = _parse(text)
        assert [a["data-scenario"] for t, a in parsed.tags if t == "section"] == [report.attempts[0][1].scenario]
        assert "小王" in "".join(parsed.text)
    else:
        assert text.startswith("# 成绩单 — 小王") and "| 考核项 |" in text
    assert integrity.verify_file(_write(tmp_path / f"sheet.{fmt}", text)).intact


def _one_char_edit(data: bytes, fmt: str) -> bytes:
    text = data.decode("utf-8")
    # change the first digit of a score: the smallest edit a careless or dishonest hand would make
    anchor = {"md": "(", "html": "(", "json": '"total": ', "csv": "小王,"}[fmt]
    at = text.index(anchor) + len(anchor)
    while not text[at].isdigit():
        at += 1
    return (text[:at] + ("1" if text[at] != "1" else "2") + text[at + 1:]).encode("utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_verify_detects_a_one_character_edit(cohort, tmp_path, fmt):
    store, session = cohort
    if fmt == "csv":
        data = render_cohort(build_cohort(store, session.code), fmt)
    else:
        data = render_trainee(build_trainee(store, "小王", session.code), fmt)
    path = tmp_path / f"sheet.{fmt}"
    path.write_bytes(data)
    assert _verify_cli(path).returncode == 0
    path.write_bytes(_one_char_edit(data, fmt))
    done = _verify_cli(path)
    assert done.returncode == 1 and "ALTERED" in done.stdout


def test_verify_detects_an_xlsx_cell_edit(cohort, tmp_path):
    from openpyxl import load_workbook

    store, session = cohort
    path = tmp_path / "cohort.xlsx"
    path.write_bytes(render_cohort(build_cohort(store, session.code), "xlsx"))
    book = load_workbook(path)
    book.worksheets[0]["C3"].value = 100.0
    book.save(path)
    assert not integrity.verify_file(path).intact


def test_hmac_catches_an_edit_with_a_recomputed_hash(cohort, tmp_path, monkeypatch):
    store, session = cohort
    key = b"coach-secret"
    data = render_trainee(build_trainee(store, "小李", session.code), "md", key=key).decode("utf-8")
    body, stamp_line = data.rstrip("\n").rsplit("\n", 1)
    assert "hmac-sha256=" in stamp_line
    assert integrity.verify_file(_write(tmp_path / "a.md", data), key).hmac_ok is True
    forged_body = body.replace("未通过", "通过", 1) + "\n"
    forged_hash = integrity.stamp(forged_body.encode("utf-8"), None).split("sha256=")[1]
    forged = forged_body + stamp_line.replace(stamp_line.split("sha256=")[1].split()[0], forged_hash) + "\n"
    verdict = integrity.verify_file(_write(tmp_path / "b.md", forged), key)
    assert verdict.hash_ok and not verdict.intact and verdict.hmac_ok is False
    # dropping the HMAC altogether passes the bare hash check, but not --require-hmac
    unsigned = forged_body + integrity.stamp_text(forged_body, "md").rsplit("\n", 2)[-2] + "\n"
    _write(tmp_path / "c.md", unsigned)
    monkeypatch.setenv("ROLEPLAY_COACH_KEY", key.decode())
    done = _verify_cli(tmp_path / "c.md", "--require-hmac")
    assert done.returncode == 1 and "NOT VERIFIED" in done.stdout


def test_verify_refuses_files_it_cannot_check(tmp_path):
    plain = _write(tmp_path / "notes.md", "# 不是成绩单\n")
    done = _verify_cli(plain)
    assert done.returncode == 2 and "no roleplay-integrity stamp" in done.stdout


def test_report_cli_writes_every_format(cohort, store_url, tmp_path):
    store, session = cohort
    for extra, name in [([], "c.csv"), (["--format", "xlsx"], "c.xlsx"), (["--format", "html"], "c.html"),
                        (["--trainee", "小王"], "w.md"), (["--trainee", "小王", "--format", "json"], "w.json")]:
        done = subprocess.run([sys.executable, "-m", "roleplay", "report", "--session", session.code, "--db", store_url,
                               "-o", str(tmp_path / name), *extra], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "roleplay", "report", "--session", session.code, "--db", store_url,
                           "--each-trainee", "--format", "html", "--out-dir", str(tmp_path / "each")],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "each").iterdir()) == sorted(
        [f"小王-{session.code}.html", f"小李-{session.code}.html", f"=HYPERLINK(_http_evil.example_,_点我_)-{session.code}.html"])
    assert _verify_cli(*sorted(tmp_path.glob("[cw].*")), *sorted((tmp_path / "each").iterdir())).returncode == 0


def _write(path, text: str):
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _verify_cli(*args):
    return subprocess.run([sys.executable, "-m", "roleplay", "verify", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True)
