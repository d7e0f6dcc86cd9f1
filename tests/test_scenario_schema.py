"""The shipped JSON Schema is generated from the models, up to date, and accepts the real scenarios."""

import json

import jsonschema
import pytest

from roleplay.core.content.yamlsafe import load_yaml

from roleplay.schema import SCENARIO_SCHEMA_PATH, scenario_schema, scenario_schema_text
from tests.conftest import ROOT


def test_schema_file_is_up_to_date():
    assert SCENARIO_SCHEMA_PATH.read_text(encoding="utf-8") == scenario_schema_text(), (
        "run `python -m roleplay.schema` to regenerate roleplay/schema/scenario.schema.json")


def test_docs_reference_the_schema():
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert "roleplay/schema/scenario.schema.json" in doc


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCENARIO_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_schema_accepts_shipped_scenarios(validator, path):
    errors = [e.message for e in validator.iter_errors(load_yaml(path).data)]
    assert not errors


@pytest.mark.parametrize("name,fragment", [
    ("unknown_key.yaml", "colour"),
    ("wrong_type.yaml", "ten"),
    ("missing_key.yaml", "title"),
])
def test_schema_rejects_broken_shapes(validator, name, fragment):
    data = load_yaml(ROOT / "tests/data/scenarios_broken" / name).data
    errors = [e.message for e in validator.iter_errors(data)]
    assert any(fragment in e for e in errors), errors


def test_schema_names_every_top_level_key():
    props = scenario_schema()["properties"]
    assert {"id", "title", "language", "kind", "states", "rubric", "tests", "categories", "actions"} <= set(props)


def test_the_documented_example_is_valid_and_its_tests_pass(tmp_path, phrasebook):
    import re

    from roleplay.core.scenario.library import load_scenario
    from roleplay.core.authoring.scenario_tests import run_scenario_tests

    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    block = re.search(r"## A complete annotated example\n\n```yaml\n(.*?)```", doc, re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    report = run_scenario_tests(load_scenario(path), phrasebook)
    assert report.outcomes and report.passed
