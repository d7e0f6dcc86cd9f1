"""The JSON Schema of scenario files, generated from the pydantic models (editor completion and checking)."""

from __future__ import annotations

import json
from pathlib import Path

SCENARIO_SCHEMA_PATH = Path(__file__).resolve().parent / "scenario.schema.json"


def scenario_schema() -> dict:
    """The schema as a dict; regenerate the shipped file with `python -m roleplay.schema`."""
    from roleplay.core.scenario.model import ScenarioFile

    schema = ScenarioFile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://roleplay.invalid/schema/scenario.schema.json",
        "title": "roleplay scenario",
        "description": "A role-play scenario for customer-manager training; see docs/scenario-format.md.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def scenario_schema_text() -> str:
    return json.dumps(scenario_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
