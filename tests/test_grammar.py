"""The template grammar on tiny inputs: its tree, its located problems, its limits, and the migration tool."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.core.authoring.validate import validate_paths
from roleplay.core.matching.encode import ChineseEncoder, EnglishEncoder
from roleplay.core.phrasebook.grammar import Anchor, Choice, Gap, Literal, Question, Slot, check_slots, parse
from roleplay.core.phrasebook.precedence import find_cycle, yielding
from roleplay.core.phrasebook.templates import clause_grams, compile_template, parse_template

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "data" / "phrasebook_broken"


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tree_has_one_node_per_part():
    nodes = parse("{start}我是{$org}的{any:1-4}{您|你|}{吗|?}{end}").nodes
    assert [type(n) for n in nodes] == [Anchor, Literal, Slot, Literal, Gap, Choice, Choice, Anchor]
    assert nodes[2] == Slot("org", 9)
    assert nodes[4] == Gap(1, 4, 16)
    assert nodes[5].optional and [o.text for o in nodes[5].options] == ["您", "你"]
    assert isinstance(nodes[6].options[1], Question)
    assert parse("好{q}").nodes == (Literal("好", 0), Question(1))
    assert [i.code for i in parse("{q}").issues] == ["T124"]  # any question at all: no words


def test_plain_word_in_an_alternation_never_becomes_a_slot():
    slots = {"hi": ["greetings"], "honorific": ["sir"]}
    encoder = EnglishEncoder({}, [])
    pattern = compile_template("{hi|hello} {$honorific}", slots, encoder.literal, True)
    assert pattern.search(" hi sir ") and pattern.search(" hello sir ")
    assert not pattern.search(" greetings sir ")
    assert [i.code for i in check_slots(parse("{hi|hello} {$honorific}"), slots)] == ["T142"]  # says so, as a warning


@pytest.mark.parametrize("template, code, at", [
    ("{hardshp|压力}大", "T143", 1),
    ("您好{start}我是", "T121", 2),
    ("我是{any:3-1}的", "T109", 2),
    ("{$hardshp}不小", "T141", 0),
    ("{压力}大", "T105", 0),
    ("压力{any:0-20}大", "T110", 2),
    ("{any:0}好", "T111", 0),
    ("好{end}的", "T122", 1),
    ("{您|{你}}好", "T103", 3),
    ("您好}", "T101", 2),
    ("您好{", "T102", 2),
    ("您好$org", "T104", 2),
    ("{$Org|你}好", "T107", 1),
    ("{|}好", "T106", 0),
    ("{any:a-b}好", "T108", 0),
    ("好{q}的", "T123", 1),
    ("{any:1-2}{end}", "T124", 0),
    ("{any:0-3}{any:0-3}好", "T131", 9),
    ("a{any:1}b{any:1}c{any:1}d{any:1}e{any:1}f", "T132", 33),
    ("啊{any:0-16}啊{any:0-16}啊{any:0-16}吧", "T133", 23),
])
def test_each_mistake_has_its_code_and_offset(template, code, at):
    parsed = parse(template)
    issues = list(parsed.issues) + check_slots(parsed, {"hardship": ["困难"], "org": ["建行"]})
    assert (code, at) in [(i.code, i.at) for i in issues], issues


def test_broken_phrasebook_fixtures_are_located():
    found = {(Path(p.path).name, p.line, p.col, p.code, p.severity): p.message for p in validate_paths([BROKEN])}
    expected = {
        ("templates.yaml", 6, 5, "P203", "error"): "yield to each other in a circle (stress → worry → stress)",
        ("templates.yaml", 14, 9, "T143", "error"): "'hardshp' looks like a mistyped slot: write $hardship",
        ("templates.yaml", 15, 10, "T121", "error"): "{start} means the clause's start: put it first",
        ("templates.yaml", 16, 10, "T109", "error"): "lower bound 3 is above its upper bound 1",
        ("templates.yaml", 17, 8, "T141", "error"): "slot $hardshp is not defined: did you mean {$hardship}?",
        ("templates.yaml", 18, 18, "T131", "error"): "8 gaps in a row: merge them into one {any:0-128}",
        ("templates.yaml", 18, 48, "T132", "error"): "more than 4 gaps in one template",
        ("templates.yaml", 19, 8, "T105", "error"): "{压力} is neither a slot nor a choice",
        ("templates.yaml", 20, 10, "T110", "error"): "a gap skips at most 16 units",
        ("templates.yaml", 21, 11, "T103", "error"): "braces do not nest",
        ("templates.yaml", 21, 14, "T101", "error"): "`}` without a `{` before it",
        ("templates.yaml", 22, 9, "T123", "error"): "a question mark ends the clause",
        ("templates.yaml", 23, 10, "T104", "error"): "write {$hardship} instead of $hardship",
        ("templates.yaml", 24, 31, "T133", "error"): "17 × 17 × 17 = 4913, at most 2000",
        ("templates.yaml", 25, 8, "T124", "error"): "the template has no words",
        ("english.yaml", 6, 12, "T142", "warning"): "'honorific' is matched as the word itself",
        ("english.yaml", 7, 19, "T102", "error"): "`{` is never closed",
    }
    assert found.keys() == expected.keys()
    assert [key for key, fragment in expected.items() if fragment not in found[key]] == []


def test_strict_turns_warnings_into_errors(tmp_path):
    f = tmp_path / "warn.yaml"
    f.write_text('language: en\nslots:\n  honorific: [sir]\ntemplates:\n  greeting: ["{hi|honorific} there"]\n',
                 encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "roleplay", "validate", *a, str(f)],  # noqa: E731
                                    capture_output=True, text=True, cwd=ROOT)
    relaxed, strict = run(), run("--strict")
    assert relaxed.returncode == 0 and "warning:" in relaxed.stdout and "[T142]" in relaxed.stdout
    assert strict.returncode == 1 and f"{f}:5:19: warning:" in strict.stdout


def test_gates_and_regex_come_from_the_same_tree():
    encoder = ChineseEncoder()
    template = parse_template("c", "我是{$org}的{any:1-4}{吗|?}", {"org": ["建行", "移动"]}, encoder.literal,
                              encoder.cue, False)
    text = "我是建行的小李吗"
    assert template.search(text, clause_grams(text, False))
    assert not template.passes("我是工行的小李吗", clause_grams("我是工行的小李吗", False))  # slot gate
    broken = parse_template("c", "您好{start}我是", {}, encoder.literal, encoder.cue, False)
    assert broken.search("您好我是", clause_grams("您好我是", False)) is None


def test_issue_14_template_is_refused_and_never_run():
    template = "{any:0-16}" * 8 + "好"
    assert {"T131", "T132"} <= {i.code for i in parse(template).issues}
    encoder = ChineseEncoder()
    parsed = parse_template("c", template, {}, encoder.literal, encoder.cue, False)
    assert parsed.pattern.pattern == "(?!)"


def test_precedence_is_order_free_and_acyclic():
    yields = {"greeting": ["closing"], "closing": []}
    assert yielding(["greeting", "closing"], yields) == yielding(["closing", "greeting"], yields) == {
        "greeting": ["closing"]}
    assert find_cycle(yields) is None
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]


def test_migration_is_mechanical_and_idempotent(tmp_path):
    migrate = _tool("migrate_templates")
    slots = {"org", "req_verb"}
    assert migrate.migrate("我是{org}的{any}", slots, "zh")[0] == "我是{$org}的{any:1-6}"
    assert migrate.migrate("{请|req_verb}{吗|q}{any:3-1}", slots, "zh")[0] == "{请|$req_verb}{吗|?}{any:1}"
    new, notes = migrate.migrate("{hardshp|压力}", slots, "zh")
    assert new == "{hardshp|压力}" and notes  # kept as written, reported
    book = tmp_path / "book"
    book.mkdir()
    f = book / "t.yaml"
    f.write_text('language: zh\nslots:\n  org: [建行]\ntemplates:\n  greeting:\n'
                 '    - "{org}{您|}好{吗|q}"\n    - \'我是{org}\'\n', encoding="utf-8")
    assert migrate.main([str(book)]) == 0
    once = f.read_text(encoding="utf-8")
    assert '"{$org}{您|}好{吗|?}"' in once and "'我是{$org}'" in once
    assert migrate.main([str(book)]) == 0
    assert f.read_text(encoding="utf-8") == once
    assert validate_paths([f]) == []


def test_migration_reports_what_it_cannot_rewrite(tmp_path, capsys):
    migrate = _tool("migrate_templates")
    f = tmp_path / "t.yaml"
    f.write_text('language: zh\ntemplates:\n  greeting:\n    - "您好{start}我是"\n', encoding="utf-8")
    assert migrate.main([str(f)]) == 1
    assert f"{f}:4:10: left as written:" in capsys.readouterr().out


def test_reply_budget_fails_safe_with_a_located_note(tmp_path, monkeypatch):
    from roleplay.core.matching import bounds
    from roleplay.core.matching import matcher as matcher_module
    from roleplay.core.phrasebook.book import load_phrasebook

    f = tmp_path / "book.yaml"
    f.write_text('language: zh\ncategories:\n  hello:\n    name: 打招呼\nphrases:\n  hello: [早上好]\n'
                 'templates:\n  hello:\n    - "{您|你}{any:0-3}好"\n', encoding="utf-8")
    book = load_phrasebook(f)
    assert matcher_module.Matcher(book, "zh").match("您好").labels == ["hello"]
    monkeypatch.setattr(bounds, "TEMPLATE_BUDGET_S", -1.0)  # spent before the first search
    result = matcher_module.Matcher(book, "zh").match("您好，早上好")
    assert result.labels == ["hello"]  # the phrase still counts
    assert result.matches[0].phrase == "早上好"
    assert any(note.startswith(f"{f}:9:7: templates stopped") for note in result.notes), result.notes


def test_long_clause_is_matched_on_phrases_only(matcher_zh):
    from roleplay.core.matching.bounds import TEMPLATE_MAX_CHARS

    result = matcher_zh.match("您好" + "啊哦" * TEMPLATE_MAX_CHARS)
    assert any("templates skipped" in note for note in result.notes)
    assert "greeting" in result.labels  # 您好 is a phrase


def test_every_finding_has_a_stable_code_and_severity():
    problems = validate_paths([ROOT / "tests" / "data" / "scenarios_broken", BROKEN])
    assert len(problems) > 30
    assert all(p.code[:1] in "YKPTS" and p.code[1:].isdigit() and p.severity in ("error", "warning") for p in problems), [
        str(p) for p in problems if not p.code]
    assert all(str(p).endswith(f"[{p.code}]") and str(p).startswith(f"{p.path}:{p.line}:{p.col}: ") for p in problems)


def test_trainees_never_see_template_syntax(phrasebook):
    from roleplay.core.phrasebook.grammar import display

    shown = [display(parse(t), phrasebook.slots.get(lang)) for cat in phrasebook.categories.values()
             for lang, templates in cat.templates.items() for t in templates]
    assert len(shown) > 500
    assert not [s for s in shown if any(mark in s for mark in "{}$|")]
    assert display(parse("我是{$org}的{any:1-4}{您|你|}"), {"org": ["建行"]}) == "我是〈建行〉的…[您/你]"


def test_scenario_local_templates_know_where_they_were_written(phrasebook):
    from roleplay.core.scenario.loader import scenario_phrasebook
    from roleplay.core.scenario.library import load_scenario

    path = ROOT / "scenarios" / "zh_bank_interest_reminder_easy.yaml"
    scenario = load_scenario(path)
    book = scenario_phrasebook(scenario, phrasebook)
    local = [t for c in scenario.categories.values() for t in c.templates]
    assert local
    lines = path.read_text(encoding="utf-8").splitlines()
    for template in local:
        where, line, col = book.origins[template].rsplit(":", 2)
        assert where == str(path) and template in lines[int(line) - 1][int(col) - 1:]
