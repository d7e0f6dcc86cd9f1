"""Calibration on the dev set: figures, floors, and the `roleplay calibrate` command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from roleplay.core.authoring.calibrate import evaluate, format_report, load_labeled
from roleplay.core.content.problems import ContentError
from tests.conftest import ROOT

DEV_SET = ROOT / "tests" / "data" / "labeled_replies.yaml"

# Floors set below what the matcher reaches on the dev set (zh 0.98, en 0.99 when written):
# they catch a regression without pretending the dev set measures generalisation.
MACRO_F1_FLOOR = {"zh": 0.90, "en": 0.90}
TABOO_FP_CEILING = 0.02


@pytest.fixture(scope="module")
def reports(phrasebook):
    return evaluate(phrasebook, load_labeled(DEV_SET, set(phrasebook.categories)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dev_set_macro_f1_floor(reports, lang):
    report = reports[lang]
    assert report.replies >= 100
    assert report.macro_f1 >= MACRO_F1_FLOOR[lang], format_report(report, show_errors=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dev_set_taboo_false_positive_ceiling(reports, lang):
    assert reports[lang].taboo_fp_rate <= TABOO_FP_CEILING, format_report(reports[lang], show_errors=True)


def test_every_category_is_measured(reports):
    for lang, report in reports.items():
        measured = {c for c, s in report.scores.items() if s.support}
        assert len(measured) == 12, (lang, measured)


def test_metrics_arithmetic(phrasebook, tmp_path):
    f = tmp_path / "mini.yaml"
    f.write_text(
        "replies:\n"
        "  - {text: 您好, lang: zh, labels: [greeting]}\n"          # tp greeting
        "  - {text: 谢谢, lang: zh, labels: [greeting]}\n"          # fn greeting, fp thanks
        "  - {text: 这不归我管, lang: zh, labels: []}\n"            # fp taboo on a non-taboo reply
        "  - {text: 贷款期限是三年, lang: zh, labels: []}\n",       # correct: nothing
        encoding="utf-8")
    report = evaluate(phrasebook, load_labeled(f, set(phrasebook.categories)))["zh"]
    g = report.scores["greeting"]
    assert (g.tp, g.fp, g.fn) == (1, 0, 1) and g.precision == 1.0 and g.recall == 0.5
    assert report.scores["thanks"].fp == 1 and report.scores["thanks"].f1 == 0.0
    assert report.taboo_fp == 1 and report.not_taboo == 4
    assert report.confusions[("greeting", "thanks")] == 1
    assert report.confusions[("(none)", "taboo")] == 1
    assert report.exact == 2


def test_unknown_category_in_labelled_file_is_located(phrasebook, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("replies:\n  - {text: 您好, lang: zh, labels: [greting]}\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_labeled(f, set(phrasebook.categories))
    assert str(err.value.problems[0]).startswith(f"{f}:2:")
    assert "greting" in str(err.value)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "roleplay", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_calibrate_command_prints_the_figures():
    done = run_cli("calibrate", str(DEV_SET), "--lang", "en")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "== en:" in out and "== zh:" not in out
    for needle in ("category", "macro-F1", "taboo flagged on", "greeting"):
        assert needle in out


def test_calibrate_command_json():
    done = run_cli("calibrate", str(DEV_SET), "--json")
    data = json.loads(done.stdout)
    assert set(data) == {"zh", "en"}
    assert 0 <= data["zh"]["macro_f1"] <= 1 and "greeting" in data["zh"]["categories"]


def test_calibrate_command_bad_file(tmp_path):
    f = tmp_path / "broken.yaml"
    f.write_text("replies: [\n", encoding="utf-8")
    done = run_cli("calibrate", str(f))
    assert done.returncode == 1
    assert done.stderr.startswith(f"{f}:") and "Traceback" not in done.stderr


SANITY_SET = ROOT / "tests" / "data" / "matcher_sanity.yaml"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sanity_set_floor(phrasebook, lang):
    # the author's own replies (see the file's header): a regression guard with a floor below the
    # figures when written (zh 0.99, en 1.00), and no taboo flag on a polite reply
    replies = [r for r in load_labeled(SANITY_SET, set(phrasebook.categories)) if r.lang == lang]
    report = evaluate(phrasebook, replies)[lang]
    assert report.macro_f1 >= 0.93, format_report(report, show_errors=True)
    assert report.taboo_fp == 0, format_report(report, show_errors=True)


def test_kinds_and_compliance_are_measured_apart(phrasebook, tmp_path):
    f = tmp_path / "kinds.yaml"
    f.write_text(
        "replies:\n"
        "  - {text: 这不归我管，你自己看着办, lang: zh, labels: [taboo], taboo_kind: brush_off}\n"   # found, right kind
        "  - {text: 早干嘛去了, lang: zh, labels: [taboo], taboo_kind: threat}\n"                   # found, wrong kind
        "  - {text: 贷款期限是三年, lang: zh, labels: [taboo], taboo_kind: sarcasm}\n"               # missed
        "  - {text: 这个月给您打个八折, lang: zh, labels: [compliance], compliance_kind: discount}\n"
        "  - {text: 您好, lang: zh, labels: [greeting, compliance], compliance_kind: guarantee}\n"  # missed
        "  - {text: 保本保息没有任何风险, lang: zh, labels: []}\n",                                  # false flag
        encoding="utf-8")
    report = evaluate(phrasebook, load_labeled(f, set(phrasebook.categories)))["zh"]
    kinds = report.taboo_kinds
    assert (kinds["brush_off"].found, kinds["brush_off"].right_kind) == (1, 1)
    assert (kinds["threat"].found, kinds["threat"].right_kind) == (1, 0)
    assert kinds["sarcasm"].recall == 0.0
    c = report.compliance
    assert (c.tp, c.fn, c.fp) == (1, 1, 1)
    assert report.compliance_kinds["discount"].right_kind == 1
    assert "compliance" not in report.scores  # the macro-F1 stays over the twelve categories
    text = format_report(report)
    assert "taboo by kind: recall 2/3" in text and "compliance (apart from macro-F1)" in text


def test_kind_without_its_label_is_located(phrasebook, tmp_path):
    f = tmp_path / "bad_kind.yaml"
    f.write_text("replies:\n  - {text: 您好, lang: zh, labels: [greeting], taboo_kind: blame}\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_labeled(f, set(phrasebook.categories))
    assert str(err.value.problems[0]).startswith(f"{f}:2:") and "taboo_kind" in str(err.value)


def test_calibrate_json_reports_kinds():
    done = run_cli("calibrate", str(ROOT / "tests" / "data" / "heldout4_replies.yaml"), "--json", "--lang", "en")
    data = json.loads(done.stdout)["en"]
    assert set(data["taboo_kinds"]) == {"brush_off", "blame", "contempt", "sarcasm", "command", "impatience",
                                        "threat", "profanity"}
    assert data["compliance"]["support"] == 15 and 0 <= data["compliance"]["recall"] <= 1
