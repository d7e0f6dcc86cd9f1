"""`roleplay graph SCENARIO`: the scenario's states and rules as a mermaid state diagram."""

from __future__ import annotations

import sys

from roleplay.commands.common import print_problems
from roleplay.core.content.problems import ContentError


def register(sub) -> None:
    p = sub.add_parser("graph", help="print a scenario's state graph as mermaid")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario id or path to a scenario file")
    p.add_argument("--fallbacks", action="store_true", help="also draw rules that stay in their state")


def run(args) -> int:
    from roleplay.core.authoring.diagram import scenario_mermaid
    from roleplay.core.scenario.library import find_scenario

    try:
        scenario = find_scenario(args.scenario)
    except ContentError as exc:
        return print_problems(exc)
    sys.stdout.write(scenario_mermaid(scenario, show_fallbacks=args.fallbacks))
    return 0
