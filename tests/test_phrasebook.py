"""The phrasebook: shipped content, merging coach files and scenario-local categories, templates, cache."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from roleplay.core.phrasebook import cache as phrasebook_cache
from roleplay.core.matching.matcher import Matcher
from roleplay.core.phrasebook.book import CORE_CATEGORIES, load_phrasebook, parse_phrasebook_doc
from roleplay.core.content.problems import ContentError
from roleplay.core.authoring.validate import validate_paths
from roleplay.core.content.yamlsafe import load_yaml
from roleplay.core.settings import phrasebook_dir


def test_shipped_phrasebook_has_every_category_in_both_languages(phrasebook):
    assert set(CORE_CATEGORIES) <= set(phrasebook.categories)
    for cid in CORE_CATEGORIES:
        cat = phrasebook.categories[cid]
        for lang in ("zh", "en"):
            assert cat.name(lang) and cat.description(lang), (cid, lang)
            total = len(cat.phrases.get(lang, [])) + len(cat.templates.get(lang, []))
            assert total >= 12, f"{cid}/{lang} has only {total} phrases and templates"
    assert phrasebook.categories["taboo"].negative
    assert not phrasebook.categories["greeting"].negative


def test_seed_examples_are_all_in_the_phrasebook(phrasebook):
    # the six courteous-phrase types of the training material, word for word
    for cid, phrase in [("greeting", "您好"), ("greeting", "新年好"), ("request", "请代转告"), ("request", "请稍等"),
                        ("thanks", "谢谢您的夸奖"), ("thanks", "感谢您的宝贵意见"), ("inquiry", "有什么可以帮到您呢"),
                        ("apology", "这是我们工作的疏忽"), ("closing", "祝您新年快乐")]:
        assert phrase in phrasebook.phrases(cid, "zh"), (cid, phrase)


def test_shipped_content_validates():
    assert validate_paths([phrasebook_dir()]) == []


def test_coach_folder_is_merged_and_tunes_thresholds(tmp_path):
    (tmp_path / "extra.yaml").write_text(
        "language: zh\n"
        "categories:\n  greeting: {threshold: {zh: 70}}\n"
        "phrases:\n  greeting: [吃了吗您内]\n", encoding="utf-8")
    book = load_phrasebook(phrasebook_dir(), tmp_path)
    assert "吃了吗您内" in book.phrases("greeting", "zh")
    assert book.categories["greeting"].threshold("zh") == 70
    assert book.categories["greeting"].yields_to == ["closing"]  # untouched settings survive a tune
    assert Matcher(book, "zh").match("吃了吗您内").labels == ["greeting"]


def test_scenario_local_category_via_copy_and_merge(phrasebook):
    doc = load_yaml_text(
        "language: zh\n"
        "categories:\n  loan_docs: {name: {zh: 贷款资料, en: Loan documents}, threshold: 85}\n"
        "phrases:\n  loan_docs: [营业执照, 公司章程, 验资报告]\n"
        "templates:\n  loan_docs: ['近{any:1-2}年{的|}财务报告']\n")
    local = phrasebook.copy()
    assert local.merge(doc, parse_phrasebook_doc(doc)) == []
    assert "loan_docs" not in phrasebook.categories  # the shared book is untouched
    result = Matcher(local, "zh").match("麻烦您准备营业执照和近三年的财务报告")
    assert {"loan_docs", "request"} <= set(result.labels)


def test_phrases_for_an_undefined_category_are_a_located_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("language: zh\nphrases:\n  nosuch: [你好]\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_phrasebook(bad)
    assert str(err.value.problems[0]).startswith(f"{bad}:3:3: category 'nosuch' is not defined")


@pytest.mark.parametrize("body, message", [
    ("language: zh\nphrases: {greeting: 您好}\n", "list"),
    ("language: fr\nphrases: {greeting: [salut]}\n", "language"),
    ("language: zh\nphrasez: {greeting: [您好]}\n", "phrasez"),
    ("language: zh\ncues: {neutral: [不客气], sarcasm: [呵呵]}\n", "sarcasm"),
    ("phrases: {greeting: [您好]}\n", "language: zh"),
    ("language: zh\ncategories: {greeting: {threshold: 120}}\n", "between 0 and 100"),
])
def test_wrong_shapes_are_located_problems(tmp_path, body, message):
    f = tmp_path / "p.yaml"
    f.write_text(body, encoding="utf-8")
    problems = validate_paths([f])
    assert problems, body
    assert any(message in p.message for p in problems), [str(p) for p in problems]
    assert all(p.path == str(f) and p.line >= 1 and p.col >= 1 for p in problems)


def test_template_with_an_undefined_slot_is_reported(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text("language: zh\ntemplates:\n  self_intro: ['我是{$no_such_slot}的']\n", encoding="utf-8")
    assert [(p.line, p.col, p.code) for p in validate_paths([f])] == [(3, 19, "T141")]


def test_template_syntax(phrasebook):
    book = phrasebook.copy()
    book.categories["greeting"].templates["zh"] = ["{start}{喂|哈喽}{any:1}{end}"]
    book.categories["greeting"].phrases["zh"] = []
    matcher = Matcher(book, "zh")
    matcher.labeller = None  # the template grammar alone (the label scorer would read 他说喂您 as a greeting too)
    assert matcher.match("喂您").labels == ["greeting"]
    assert matcher.match("哈喽啊").labels == ["greeting"]
    assert matcher.match("他说喂您").labels == []  # {start}
    assert matcher.match("喂您好吗").labels == []  # {any:1}{end}


def test_cache_round_trip_and_invalidation(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    files = sorted(phrasebook_dir().rglob("*.yaml"))
    fresh = load_phrasebook()  # writes the cache
    cached = phrasebook_cache.read(files)
    assert cached is not None
    assert json.dumps(cached, sort_keys=True) == json.dumps(asdict(fresh), sort_keys=True)
    assert json.dumps(load_phrasebook().__dict__, default=vars, sort_keys=True) == json.dumps(
        fresh.__dict__, default=vars, sort_keys=True)  # read back from the cache, the same phrasebook
    copy_dir = tmp_path / "book"
    copy_dir.mkdir()
    one = copy_dir / "a.yaml"
    one.write_text("language: zh\n", encoding="utf-8")
    phrasebook_cache.write([one], asdict(fresh))
    assert phrasebook_cache.read([one]) is not None
    one.write_text("language: en\n", encoding="utf-8")  # size changes: the entry is no longer valid
    assert phrasebook_cache.read([one]) is None


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ROLEPLAY_NO_CACHE", "1")
    load_phrasebook()
    assert not (tmp_path / "cache").exists()


def load_yaml_text(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "local.yaml"
        path.write_text(text, encoding="utf-8")
        return load_yaml(path)


def test_cache_keeps_another_versions_entry(tmp_path, monkeypatch):
    """Two installed versions sharing a cache folder must not evict each other's entry on every start."""
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ROLEPLAY_NO_CACHE", raising=False)
    books = []
    for name in ("one", "two", "three", "four", "five"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a.yaml").write_text(f"language: zh\n# {name}\n", encoding="utf-8")
        books.append([folder / "a.yaml"])
        phrasebook_cache.write(books[-1], {"name": name})
    assert phrasebook_cache.read(books[-2]) == {"name": "four"}  # the previous one is still there
    assert phrasebook_cache.read(books[-1]) == {"name": "five"}
    assert len(list((tmp_path / "cache").glob("phrasebook-*.json"))) == phrasebook_cache.KEEP
    assert phrasebook_cache.read(books[0]) is None  # the oldest went first
