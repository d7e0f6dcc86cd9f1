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
from roleplay.core.reports.export import render_cohort, render_trainee, write_sheet
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
    assert rows[0][:2] == ["工号", "学员"]
    by_name = {r[1]: r for r in rows[1:]}
    assert len(rows) == 4  # header + one row per trainee: no summary or stamp rows Excel would show as data
    assert set(by_name) == {"小王", "小李", "'" + SNEAKY}  # formula neutralised
    assert by_name["小王"][4] == "通过" and by_name["小李"][4] == "未通过"
    assert float(by_name["小王"][3]) > float(by_name["小李"][3])  # numbers stay numbers
    assert b"roleplay-integrity" not in data


def test_cohort_xlsx_reads_back(cohort, tmp_path):
    from openpyxl import load_workbook

    store, session = cohort
    report = build_cohort(store, session.code)
    path = tmp_path / "cohort.xlsx"
    write_sheet(path, render_cohort(report, "xlsx"), "xlsx", None)
    book = load_workbook(path)
    table, categories, summary = book.worksheets
    rows = list(table.iter_rows(values_only=True))
    assert rows[0][:2] == ("工号", "学员") and len(rows) == 4
    assert table.auto_filter.ref == f"A1:{table.cell(1, table.max_column).column_letter}4"
    assert table.freeze_panes == "C2"
    sneaky = next(c for c in table["B"] if c.value == SNEAKY)
    assert sneaky.data_type == "s"  # stored as text, never as a formula
    wang = next(r for r in table.iter_rows(min_row=2) if r[1].value == "小王")
    percent_cell = wang[3]
    assert isinstance(percent_cell.value, (int, float)) and 0 <= percent_cell.value <= 1
    assert percent_cell.number_format == "0.0%"
    assert percent_cell.value == pytest.approx(report.rows[[r.trainee for r in report.rows].index("小王")]
                                               .results[report.scenario_ids[0]].percent / 100)
    cats = {r[0]: r[1] for r in categories.iter_rows(min_row=2, values_only=True)}
    from roleplay.core.reports.cohort import _cat_name

    expected = {_cat_name(report, c): (None if r.percent is None else r.percent / 100)
                for c, r in report.categories.items()}
    assert set(cats) == set(expected)
    for name, value in expected.items():
        assert cats[name] == (None if value is None else pytest.approx(value, abs=1e-9)), name
    info = {r[0].value: r[1] for r in summary.iter_rows()}
    assert info["通过率"].value == pytest.approx(2 / 3, abs=1e-3) and info["通过率"].number_format == "0.0%"
    assert integrity.verify_file(path).intact


def test_cohort_html_has_a_category_chart_and_no_network(cohort):
    store, session = cohort
    report = build_cohort(store, session.code)
    html = render_cohort(report, "html").decode("utf-8")
    parsed = _parse(html)
    bars = {a["data-category"]: float(a["data-percent"]) for t, a in parsed.tags if t == "rect" and "data-percent" in a}
    expected = {report.category_names.get(c, c): r.percent for c, r in report.categories.items() if r.percent is not None}
    clear = {a["data-category"]: (int(a["data-clear"]), int(a["data-said"])) for t, a in parsed.tags
             if t == "rect" and "data-clear" in a}
    assert clear == {report.category_names.get(c, c): (r.clear, r.said) for c, r in report.categories.items()
                     if r.negative}  # taboo: who stayed clear / who said it, never a backwards percentage
    assert bars == expected and bars
    assert sum(1 for t, a in parsed.tags if t == "tr") >= 4
    assert not [a for t, a in parsed.tags if a.get("src") or a.get("href")]  # nothing fetched from anywhere
    assert "@font-face" in html and "data:font/woff;base64," in html and '<meta charset="utf-8">' in html
    assert "十一月考核 <b>" in "".join(parsed.text) and "<b>" not in html.split("<body>")[1].split("<h1>")[0]
    percents = {c: r.percent for c, r in report.categories.items() if r.percent is not None}
    weakest = report.weakest
    assert bool(weakest) == (len(set(percents.values())) > 1)  # a tie singles out nobody
    others = [p for c, p in percents.items() if c not in weakest]
    assert all(percents[w] <= min(others) and percents[w] < max(percents.values()) for w in weakest)
    # red percentage bars mark the weakest categories (a taboo's red "said" segment is another matter)
    assert {a["data-category"] for t, a in parsed.tags if t == "rect" and a.get("class") == "bar"
            and a.get("fill") == "#c0392b"} == \
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
        words = document["attempts"][0]["words"]  # the printed sheet's words, for tools that show them
        assert words["result"] == "通过" and "及格线" in words["verdict"]
        assert all("{" not in line for c in words["checks"] for line in c["evidence"])
    elif fmt == "html":
        parsed = _parse(text)
        assert [a["data-scenario"] for t, a in parsed.tags if t == "section"] == [report.attempts[0][1].scenario]
        assert "小王" in "".join(parsed.text)
    else:
        assert text.startswith("# 成绩单 — 小王") and "| 评分项 |" in text
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
    path = write_sheet(tmp_path / f"sheet.{fmt}", data, fmt, None)
    assert _verify_cli(path, "--allow-unsigned").returncode == 0
    path.write_bytes(_one_char_edit(data, fmt))
    done = _verify_cli(path)
    assert done.returncode == 1 and "ALTERED" in done.stdout


def test_verify_detects_an_xlsx_cell_edit(cohort, tmp_path):
    from openpyxl import load_workbook

    store, session = cohort
    path = write_sheet(tmp_path / "cohort.xlsx", render_cohort(build_cohort(store, session.code), "xlsx"), "xlsx", None)
    book = load_workbook(path)
    book.worksheets[0]["D3"].value = 1.0
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
    # dropping the HMAC altogether passes the bare hash check, but not verify while a coach key is configured
    (tmp_path / "c.md").write_bytes(integrity.stamp_text(forged_body))
    monkeypatch.setenv("ROLEPLAY_COACH_KEY", key.decode())
    done = _verify_cli(tmp_path / "c.md")
    assert done.returncode == 1 and "NOT VERIFIED" in done.stdout
    assert _verify_cli(tmp_path / "c.md", "--allow-unsigned").returncode == 0


def test_verify_refuses_files_it_cannot_check(tmp_path):
    plain = _write(tmp_path / "notes.md", "# 不是成绩单\n")
    done = _verify_cli(plain)
    assert done.returncode == 2 and "no roleplay-integrity stamp" in done.stdout


@pytest.mark.slow
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
    assert sorted(p.name for p in (tmp_path / "each").iterdir() if p.name != ".roleplay-sheets") == sorted(
        [f"小王-{session.code}.html", f"小李-{session.code}.html", f"=HYPERLINK(_http_evil.example_,_点我_)-{session.code}.html"])
    assert _verify_cli(*sorted(tmp_path.glob("[cw].*[!g]")), *sorted((tmp_path / "each").glob("*.html")),
                       "--allow-unsigned").returncode == 0


def _write(path, text: str):
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _verify_cli(*args):
    return subprocess.run([sys.executable, "-m", "roleplay", "verify", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True)


def test_over_time_turns_are_marked_on_the_sheet(store, examples):
    scenario, book = examples["scenario"], examples["phrasebook"]
    session = create_session(store, "限时", [scenario.id], pass_mark=50, code="TIME1", time_limit_s=1)
    now = [1000.0]
    attempt = Attempt.start(scenario, book, "小周", store=store, assessment=session, clock=lambda: now[0])
    now[0] += 5.0  # the reply comes 5 s after the client's line, over the 1 s limit
    attempt.reply(examples["good"].replies[0])
    attempt.finish()
    report = build_trainee(store, "小周", session.code)
    assert "(超时，按沉默计)" in render_trainee(report, "md").decode()
    assert "(超时，按沉默计)" in render_trainee(report, "html").decode()
    assert "(over time, counted as silence)" in render_trainee(report, "md", "en").decode()


def test_sheets_speak_in_words(cohort):
    from roleplay.core.reports.facts import ScenarioFacts

    store, session = cohort
    report = build_trainee(store, "小李", session.code)
    facts = ScenarioFacts()
    for fmt in ("md", "html"):
        text = render_trainee(report, fmt).decode()
        shown = text.split("</style>")[-1]  # what a reader sees (the HTML style sheet has braces of its own)
        assert "{" not in shown and "}" not in shown  # no template syntax
        for state_id in facts.scenario(report.attempts[0][1].scenario)["states"]:
            assert f"“{state_id}”" not in text and f" {state_id} " not in text, state_id
        for word in ("failure", "success", "greeting,", "self_intro"):
            assert word not in text
        assert "得分" in text and ("达到及格线" in text or "低于及格线" in text)  # the verdict sentence
        # the category table says what its percent is: points on the checks, not whether it was said
        assert "说过不等于得分" in text


def test_tui_and_sheets_share_one_vocabulary():
    from roleplay.core.reports.labels import _LABELS, label
    from roleplay.tui.i18n import tr

    for key, sheet_key in [("result.passed", "passed"), ("result.failed", "failed"), ("result.checks", "checks"),
                           ("result.title", "score_sheet"), ("result.no_evidence", "no_evidence")]:
        for lang in ("zh", "en"):
            assert tr(lang, key) == label(sheet_key, lang)
    import string

    for key, (zh, en) in _LABELS.items():  # placeholders match in both languages
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (zh, en)]
        assert fields[0] == fields[1], key
