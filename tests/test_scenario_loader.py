"""Broken scenarios are rejected with located `path:line:col: message` problems and exit 1, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.cli import main
from roleplay.core.content.problems import ContentError
from roleplay.core.scenario.library import find_scenario, load_scenario
from roleplay.core.authoring.validate import validate_paths
from tests.conftest import ROOT

BROKEN = Path("tests/data/scenarios_broken")

# fixture file -> the located message it must produce (line:col: start of the message)
CASES = [
    ("unknown_key.yaml", "6:1: unknown key 'colour'"),
    ("wrong_type.yaml", "19:3: rubric.pass_mark: Input should be a valid number"),
    ("missing_key.yaml", "1:1: title: required key is missing"),
    ("undefined_state.yaml", "13:46: state 'wonn' is not defined (did you mean 'won'?)"),
    ("undefined_category.yaml", "13:34: category 'greetng' is not defined (did you mean 'greeting'?)"),
    ("undefined_action.yaml", "13:28: action 'hug' is not defined"),
    ("unreachable_state.yaml", "18:3: state 'island' is unreachable from the start state 'door'"),
    ("no_way_out.yaml", "14:3: state 'stuck' is not final and has no way out"),
    ("no_way_out.yaml", "10:3: from state 'door' no final state can be reached"),
    ("pass_mark_unreachable.yaml", "19:3: the rubric cannot reach its pass mark: pass_mark 50"),
    ("test_missing_state.yaml", "25:14: state 'finished' is not defined"),
    ("bad_placeholder.yaml", "11:5: unknown placeholder {client.__class__}"),
    ("duplicate_id_b.yaml", "1:1: scenario id 'same_id' is already used by"),
    ("retries_without_exit.yaml", "10:3: state 'door': `retries` and `on_exhausted` go together"),
    ("final_without_outcome.yaml", "16:3: final state 'won' needs an `outcome`"),
    ("two_kinds_in_check.yaml", "21:7: rubric.checks.0: a check needs exactly one of"),
    ("python_tag.yaml", "6:8: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("alias_bomb.yaml", "2:8: YAML alias *a is not allowed"),
    ("deep_nesting.yaml", "nested deeper than 40 levels"),
    ("binary.yaml", "2:1: binary data (a NUL byte)"),
    ("shadowed_rule.yaml", "14:9: rule 'greet' can never fire: rule 'anything' before it always holds"),
    ("impossible_rule.yaml", "13:21: rule 'greet' can never fire: greeting both required and excluded"),
    ("said_taboo.yaml", "22:46: category 'taboo' is taboo-like (negative)"),
    ("duplicate_rule_and_check_ids.yaml", "14:9: rule id 'greet' is used twice"),
    ("duplicate_rule_and_check_ids.yaml", "23:8: check id 'greet' is used twice"),
    ("final_start.yaml", "8:1: start state 'won' is final"),
    ("multi_clause_phrase.yaml", "13:9: phrase '您放心，肯定能批' spans several clauses"),
    ("undefined_template_slot.yaml", "11:21: template '我们的{$productz}每月只要{any:1-3}元': slot $productz is not defined"),
    ("explosive_template.yaml", "11:28: template '{any:0-16}{any:0-16}{any:0-16}{any:0-16}{any:0-16}{any:0-16}{any:0-16}"),
    ("explosive_template.yaml", "11:58: template '{any:0-16}"),
    ("explosive_template.yaml", "11:105: template '您好{start}我们的报价': {start} means the clause's start"),
    ("unknown_fact.yaml", "13:37: fact 'offered_time' is not known (did you mean 'offered_times'?)"),
    ("said_unknown_fact.yaml", "13:50: unknown placeholder {said.budget}: fact 'budget' is not known"),
    ("closing_without_goto.yaml", "9:1: on_closing needs a `goto`"),
    ("closing_without_goto.yaml", "19:41: final state 'lost' ends the attempt: `on_silence` would never be used"),
    ("below_mood_not_ending.yaml", "18:40: below_mood 'door' must be a final state"),
    ("below_mood_not_ending.yaml", "19:3: `min_mood` and `below_mood` apply to success endings only"),
    ("below_mood_not_ending.yaml", "10:3: fact 'budget' needs `values:` or `templates:`"),
]


@pytest.fixture(scope="module")
def problems():
    return [str(p) for p in validate_paths([ROOT / BROKEN])]


@pytest.mark.parametrize("name,expect", CASES)
def test_each_broken_kind_is_located(problems, name, expect):
    path = str(ROOT / BROKEN / name)
    found = [p for p in problems if p.startswith(path + ":")]
    assert any(p[len(path) + 1:].startswith(expect) or expect in p for p in found), found


@pytest.mark.parametrize("name,expect", CASES)
def test_validate_cli_exits_1_with_the_message(capsys, monkeypatch, name, expect):
    monkeypatch.chdir(ROOT)
    # duplicate ids need both files; everything else is checked on its own
    paths = [str(BROKEN / "duplicate_id_a.yaml")] if name == "duplicate_id_b.yaml" else []
    code = main(["validate", *paths, str(BROKEN / name)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{BROKEN / name}:" in out and expect.split(": ", 1)[-1][:30] in out, out


def test_load_scenario_raises_content_error_with_all_problems():
    with pytest.raises(ContentError) as info:
        load_scenario(ROOT / BROKEN / "no_way_out.yaml")
    assert len(info.value.problems) >= 2
    assert all(p.line >= 1 and p.col >= 1 for p in info.value.problems)


def test_huge_document_is_refused_not_parsed(tmp_path):
    big = tmp_path / "huge.yaml"
    big.write_text("id: huge\nbrief: |\n" + ("  客户经理培训材料\n" * 200_000), encoding="utf-8")
    found = [str(p) for p in validate_paths([big])]
    assert found and "bytes; the limit is" in found[0]


def test_many_values_are_refused(tmp_path):
    many = tmp_path / "many.yaml"
    many.write_text("id: many\nstates: [" + ", ".join("0" for _ in range(210_000)) + "]\n", encoding="utf-8")
    found = [str(p) for p in validate_paths([many])]
    assert any("values: split it" in p or "limit is" in p for p in found), found[:3]


def test_validate_never_prints_a_traceback_on_garbage(tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(1, 256)) * 50)
    done = subprocess.run([sys.executable, "-m", "roleplay", "validate", str(junk)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert f"{junk}:" in done.stdout


def test_shipped_scenarios_are_valid():
    assert validate_paths([ROOT / "scenarios"]) == []


def test_find_scenario_by_id_and_by_path():
    by_id = find_scenario("zh_visit_group_first")
    by_path = find_scenario(ROOT / "scenarios" / "zh_visit_group_first.yaml")
    assert by_id.id == by_path.id == "zh_visit_group_first"
    with pytest.raises(ContentError) as info:
        find_scenario("no_such_scenario")
    assert "no scenario with this id" in str(info.value)


def test_scenario_attributes_for_the_tui():
    s = find_scenario("zh_visit_group_first")
    assert (s.language, s.kind, s.difficulty) == ("zh", "visit", "medium")
    assert s.persona.name == "陈总" and isinstance(s.persona.mood, int)
    assert {"card", "note", "end"} <= {a.id for a in s.actions}
    assert any(item.correct for item in s.checklist) and any(not item.correct for item in s.checklist)
    assert [o.id for o in s.objectives] == [c.id for c in s.rubric.checks]
    assert s.pass_mark <= s.max_points and s.path.endswith(".yaml")
    assert "needs_question" in s.categories and len(s.tests) >= 3


def test_placeholders_are_looked_up_never_formatted():
    from roleplay.core.scenario.model import fill

    values = {"client.name": "陈总", "trainee.name": "小王"}
    assert fill("{client.name}您好，我是{trainee.name}", values) == "陈总您好，我是小王"
    # attribute access and format specs are never evaluated: unknown fields stay as written
    assert fill("{client.__class__}", values) == "{client.__class__}"
    assert fill("{client.name!r:>20}", values) == "陈总"
    assert fill("unbalanced {", values) == "unbalanced {"


def test_categories_from_a_phrasebook_validated_alongside_count(tmp_path):
    source = (ROOT / BROKEN / "undefined_category.yaml").read_text(encoding="utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(source, encoding="utf-8")
    assert any("greetng" in str(p) for p in validate_paths([scenario]))
    book = tmp_path / "extra.yaml"
    book.write_text("categories:\n  greetng:\n    name: 错拼问候\n", encoding="utf-8")
    assert [str(p) for p in validate_paths([scenario, book])] == []
