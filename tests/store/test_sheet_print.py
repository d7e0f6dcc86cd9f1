"""Every HTML sheet kind printed to A4 PDF by headless Chromium: nothing past the right margin, no machinery in the text.

Trainee and cohort sheets, in Chinese and English, for sessions of 2 and 12 scenarios. The PDF text is read back
with pdftotext (-bbox for word positions). Skipped, with the reason, where Chromium or poppler is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from roleplay.core.attempts.assessment import create_session
from roleplay.core.attempts.attempt import Attempt
from roleplay.core.reports.export import render_cohort, render_trainee
from roleplay.core.reports.model import build_cohort, build_trainee

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="headless Chromium not installed (.ci/browser.sh installs it)"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed"),
]
A4_WIDTH_PT, RIGHT_MARGIN_PT = 595.3, 12 / 25.4 * 72  # @page margin 12 mm left and right
CATEGORY_IDS = ("greeting request thanks inquiry apology closing self_intro compliment appointment empathy "
                "callback taboo").split()
TEMPLATE = re.compile(r"[{}]|\{any:|\bany:\d")


def _store(tmp_path, lang: str, n: int):
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.scenario.library import discover_scenarios
    from roleplay.core.store import open_store

    book = load_phrasebook()
    scenarios = [s for s in discover_scenarios() if s.tests]
    picked = [s for s in scenarios if s.language == lang][:n]
    picked += [s for s in scenarios if s.language != lang][: n - len(picked)]  # 12 needs both languages' files
    store = open_store(f"sqlite:///{tmp_path / f'{lang}{n}.db'}")
    session = create_session(store, "十一月考核" if lang == "zh" else "November check", [s.id for s in picked],
                             pass_mark=60, code=f"P{lang.upper()}{n}", attempts_allowed=3)
    for i, trainee in enumerate(["小王", "Alice Smith", "欧阳小明"]):
        for scenario in picked:
            for test in scenario.tests[i % len(scenario.tests):][:2]:
                attempt = Attempt.start(scenario, book, trainee, store=store, assessment=session,
                                        prepared=test.prepared)
                for reply in test.replies:
                    if not attempt.ended:
                        attempt.reply(reply)
                if not attempt.ended:
                    attempt.finish()
    return store, session


def _pdf(html: bytes, path: Path) -> Path:
    page = path.with_suffix(".html")
    page.write_bytes(html)
    pdf = path.with_suffix(".pdf")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120, check=True)
    return pdf


def _words(pdf: Path) -> list[tuple[float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(m[1]), m[2]) for m in re.finditer(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" '
                                                      r'yMax="[\d.]+">([^<]*)</word>', out)]


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_print_on_a4_in_words(tmp_path, lang, n):
    store, session = _store(tmp_path, lang, n)
    sheets = {"cohort": render_cohort(build_cohort(store, session.code, lang=lang), "html", lang),
              "trainee": render_trainee(build_trainee(store, "欧阳小明", session.code, lang=lang), "html", lang)}
    for kind, html in sheets.items():
        pdf = _pdf(html, tmp_path / f"{kind}-{lang}-{n}")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "(A4)" in info, info
        words = _words(pdf)
        assert words, f"{kind}: no text in the PDF"
        overflow = [(x, w) for x, w in words if x > A4_WIDTH_PT - RIGHT_MARGIN_PT + 1]
        assert not overflow, f"{kind} {lang} {n}: text past the right margin: {overflow[:5]}"
        text = " ".join(w for _, w in words)
        assert not TEMPLATE.search(text), f"{kind}: template syntax in {TEMPLATE.search(text)[0]!r}"
        ids = [w for w in re.findall(r"[a-z_]+", text) if w in CATEGORY_IDS and (lang == "zh" or "_" in w)]
        assert not ids, f"{kind} {lang}: category ids on the sheet: {ids}"
        assert not re.search(r"\b(?:failure|success)\b", text) or lang == "en"
        if lang == "zh":
            assert "通过" in text and "学员" in text
    assert "欧阳小明" in subprocess.run(["pdftotext", str(tmp_path / f"trainee-{lang}-{n}.pdf"), "-"],
                                     capture_output=True, text=True).stdout
