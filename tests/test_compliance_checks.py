"""A rash promise the phrasebook flags costs a scenario's `never` check built on the shared compliance negatives.

Scenarios reuse compliance by kind in a local negative category (`moves: [compliance.discount]`) and penalise it
with a `never` check. Every fault probe (tests/data/compliance_probes.yaml, round-4 families included), said as
the first reply, must make that check lose its points, visibly (the turn is named) -- of the kind the scenario
named, and of any other kind too (a guarantee where it named discount: scoring._compliance_behind).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.content.yamlsafe import load_yaml
from roleplay.core.scenario.library import discover_scenarios

ROOT = Path(__file__).resolve().parent.parent
FAULTS = load_yaml(ROOT / "tests" / "data" / "compliance_probes.yaml").data["faults"]


def _compliance_checks():
    """(scenario, check id, the compliance kinds its category reuses) for every never check on compliance."""
    out = []
    for scenario in discover_scenarios():
        spec = scenario.spec
        for check in spec.rubric.checks:
            for cid in check.never or []:
                category = spec.categories.get(cid)
                refs = [str(m) for m in (category.moves if category else [])]
                kinds = [r.partition(".")[2] or "*" for r in refs if r.partition(".")[0] == "compliance"]
                if kinds:
                    out.append((scenario, check.id, kinds))
    return out


CHECKS = _compliance_checks()


def test_shipped_scenarios_have_compliance_checks():
    assert len(CHECKS) >= 10


@pytest.mark.parametrize("scenario,check_id,kinds", CHECKS, ids=[f"{s.id}:{c}" for s, c, _ in CHECKS])
def test_every_fault_probe_of_the_kind_loses_the_check(scenario, check_id, kinds, phrasebook):
    from roleplay.core.conversation.engine import Session

    lang = scenario.spec.language
    probes = [line for lines in FAULTS[lang].values() for line in lines]
    assert probes
    kept = []
    for line in probes:
        sheet = Session.replay(scenario, phrasebook, 0, None, "practice", [line], []).score_sheet()
        [check] = [c for c in sheet.checks if c.id == check_id]
        if check.passed or check.turns != [1] or check.points >= check.max_points:
            kept.append(line)
    assert kept == [], f"{scenario.id}: {check_id} kept its points on rash promises"
