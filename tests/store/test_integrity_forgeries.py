"""Each forgery from issue 14 (points 1-2) fails verification: text around the stamp, XLSX formats, unsigned sheets."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from roleplay.core.reports import integrity
from roleplay.core.reports.export import render_cohort, render_trainee, write_sheet
from roleplay.core.reports.model import build_cohort, build_trainee
from tests.conftest import ROOT
from tests.store.test_reports import cohort  # noqa: F401  (the fixture)

KEY = b"coach-secret"


def _verify(path, key=KEY) -> integrity.Verdict:
    return integrity.verify_file(path, key)


def _signed(tmp_path, store, session, fmt: str):
    if fmt in ("csv", "xlsx") or fmt == "cohort.html":
        real = fmt.split(".")[-1]
        return write_sheet(tmp_path / f"sheet.{real}", render_cohort(build_cohort(store, session.code), real, key=KEY),
                           real, KEY)
    return write_sheet(tmp_path / f"sheet.{fmt}", render_trainee(build_trainee(store, "小李", session.code), fmt,
                                                                 key=KEY), fmt, KEY)


FORGED_TEXT = {
    "html-fixed-div": lambda raw: _before_stamp(raw, b'<div style="position:fixed;top:0">\xe5\x90\x88\xe6\xa0\xbc 100/100</div>'),
    "html-script-same-line": lambda raw: _on_stamp_line(raw, b"<script>document.body.innerHTML='100'</script>"),
    "html-after-stamp": lambda raw: raw + b"<div>100/100</div>\n",
    "md-bold-line-before-stamp": lambda raw: _before_stamp(raw, "**总分 100/100 通过**\n".encode()),
    "md-prefix-on-stamp-line": lambda raw: _on_stamp_line(raw, b"**100/100** "),
    "cut-by-10-bytes": lambda raw: raw[:-10],
    "crlf-line-endings": lambda raw: raw.replace(b"\n", b"\r\n"),
}


def _before_stamp(raw: bytes, extra: bytes) -> bytes:
    cut = raw.rfind(b"\n", 0, len(raw) - 1) + 1
    return raw[:cut] + extra + raw[cut:]


def _on_stamp_line(raw: bytes, extra: bytes) -> bytes:
    cut = raw.rfind(b"\n", 0, len(raw) - 1) + 1
    return raw[:cut] + extra + raw[cut:]


@pytest.mark.parametrize("forgery", sorted(FORGED_TEXT))
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_text_around_the_stamp_fails(cohort, tmp_path, fmt, forgery):  # noqa: F811
    store, session = cohort
    path = _signed(tmp_path, store, session, fmt)
    assert _verify(path).verified(True)
    path.write_bytes(FORGED_TEXT[forgery](path.read_bytes()))
    verdict = _verify(path)
    assert not verdict.intact, verdict.message
    assert "ALTERED" in verdict.message


def test_cohort_html_with_injected_overlay_fails(cohort, tmp_path):  # noqa: F811
    store, session = cohort
    path = _signed(tmp_path, store, session, "cohort.html")
    path.write_bytes(_before_stamp(path.read_bytes(), b'<div style="position:fixed">100%</div>'))
    assert not _verify(path).intact


def test_csv_row_prefix_fails(cohort, tmp_path):  # noqa: F811
    store, session = cohort
    path = _signed(tmp_path, store, session, "csv")
    assert _verify(path).verified(True)
    path.write_bytes(path.read_bytes().replace(b"\xe5\xb0\x8f\xe6\x9d\x8e", b"\xe5\xb0\x8f\xe6\x9d\x8e\xef\xbc\x88\xe5\x90\x88\xe6\xa0\xbc\xef\xbc\x89", 1))
    assert not _verify(path).intact


def test_csv_stamp_sidecar_edited_fails(cohort, tmp_path):  # noqa: F811
    store, session = cohort
    path = _signed(tmp_path, store, session, "csv")
    sig = integrity.sidecar_path(path)
    sig.write_bytes(b"# " + sig.read_bytes())
    assert not _verify(path).intact
    sig.write_bytes(sig.read_bytes()[2:-5] + b"\n")  # truncated stamp
    assert not _verify(path).intact


def _xlsx_forge(path, change) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    change(book.worksheets[0])
    book.save(path)


XLSX_FORGERIES = {
    "number-format-shows-95": lambda ws: setattr(ws["D3"], "number_format", '"95"'),
    "result-format-shows-passed": lambda ws: setattr(ws["E3"], "number_format", ';;;"通过"'),
    "hidden-row": lambda ws: setattr(ws.row_dimensions[3], "hidden", True),
    "white-font": lambda ws: setattr(ws["E3"], "font", __import__("openpyxl").styles.Font(color="FFFFFFFF")),
}


@pytest.mark.parametrize("forgery", sorted(XLSX_FORGERIES))
def test_xlsx_presentation_forgeries_fail(cohort, tmp_path, forgery):  # noqa: F811
    store, session = cohort
    path = _signed(tmp_path, store, session, "xlsx")
    assert _verify(path).verified(True)
    _xlsx_forge(path, XLSX_FORGERIES[forgery])
    assert not _verify(path).intact


def test_json_duplicate_key_and_reformatting_fail(cohort, tmp_path):  # noqa: F811
    store, session = cohort
    path = _signed(tmp_path, store, session, "json")
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"trainee": "\xe5\xb0\x8f\xe6\x9d\x8e",',
                                 b'"trainee": "\xe5\xb0\x8f\xe6\x9d\x8e", "trainee": "\xe5\xb0\x8f\xe7\x8e\x8b",', 1))
    assert not _verify(path).intact
    path.write_bytes(json.dumps(json.loads(raw), ensure_ascii=False).encode())  # same content, other bytes
    assert not _verify(path).intact
    path.write_bytes(raw[:-10])
    assert not _verify(path).intact


def _cli(*args, env_key: str | None = KEY.decode()):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLEPLAY_COACH")}
    if env_key:
        env["ROLEPLAY_COACH_KEY"] = env_key
    return subprocess.run([sys.executable, "-m", "roleplay", "verify", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env=env)


def test_unsigned_or_rehashed_sheet_fails_by_default_with_a_coach_key(cohort, tmp_path):  # noqa: F811
    store, session = cohort
    unsigned = write_sheet(tmp_path / "u.md", render_trainee(build_trainee(store, "小李", session.code), "md"), "md", None)
    done = _cli(unsigned)
    assert done.returncode == 1 and "NOT VERIFIED" in done.stdout
    assert _cli(unsigned, "--allow-unsigned").returncode == 0
    assert _cli(unsigned, env_key=None).returncode == 0  # no key configured: the bare hash is all there is
    signed = _signed(tmp_path, store, session, "md")
    assert _cli(signed).returncode == 0
    assert _cli(signed, env_key="another-key").returncode == 1  # signed, but not with the configured key


def test_truncated_signed_sheet_is_reported_altered(cohort, tmp_path):  # noqa: F811
    store, session = cohort
    path = _signed(tmp_path, store, session, "html")
    path.write_bytes(path.read_bytes()[:-10])
    done = _cli(path)
    assert done.returncode == 1 and "ALTERED" in done.stdout and "without a coach key" not in done.stdout
