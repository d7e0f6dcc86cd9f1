"""Blind play: replay a trainee's replies and print only what a trainee sees (brief and client lines).

For playthrough authors who must not read the scenario files: no scores, no state ids, no rules.

    python tools/blind_play.py SCENARIO_ID                 # the start screen and the client's first line
    python tools/blind_play.py SCENARIO_ID replies.txt     # one reply per line (empty line: silence)
    python tools/blind_play.py tests/data/playthroughs/x.yaml   # a playthrough file (see its README)

A playthrough file is YAML: `scenario`, `trainee` (good | poor | mixed), optional `prepared`
(checklist ids picked before the first reply) and `replies` (a list; "" is silence).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_T = {
    "zh": {"client": "客户", "you": "你", "brief": "任务", "who": "客户", "assessed": "考核要点",
           "checklist": "出发前准备清单（把要带的 id 写进 prepared）", "actions": "可用动作",
           "over": "（对话结束）", "your_turn": "（轮到你回答）", "silence": "（沉默）"},
    "en": {"client": "Client", "you": "You", "brief": "Brief", "who": "Client", "assessed": "What is assessed",
           "checklist": "Preparation checklist (put the ids you pick into `prepared`)", "actions": "Actions",
           "over": "(The conversation is over.)", "your_turn": "(Your turn.)", "silence": "(silence)"},
}


def blind_text(scenario_id: str, replies: list[str], prepared: list[str] | None = None, seed: int = 0) -> str:
    """What a trainee sees when playing `scenario_id` with `replies`: start screen, then the exchange."""
    from roleplay.core.conversation.engine import Session
    from roleplay.core.phrasebook.book import load_phrasebook
    from roleplay.core.scenario.model import fill
    from roleplay.core.scenario.library import find_scenario

    scenario = find_scenario(scenario_id)
    t = _T[scenario.language]
    colon = "：" if scenario.language == "zh" else ": "
    session = Session(scenario, load_phrasebook(), seed=seed)
    values = dict(session._values)
    persona = scenario.persona
    out = [fill(scenario.title, values), ""]
    sep = "，" if scenario.language == "zh" else ", "
    out.append(t["who"] + colon + sep.join(p for p in (persona.name, persona.role, persona.company) if p))
    out.append(t["brief"] + colon + fill(scenario.brief, values).strip())
    out.append(t["assessed"] + colon)
    out += [f"  · {fill(c.description, values)}" for c in scenario.checks]
    if scenario.checklist:
        out.append(t["checklist"] + colon)
        out += [f"  - {item.id}: {item.label}" for item in scenario.checklist]
    out.append(t["actions"] + colon + "  ".join(f"/{a.id} {a.label}" for a in scenario.actions))
    out.append("")
    session.prepare(prepared or [])
    if session.opening:
        out.append(f"{t['client']}{colon}{session.opening}")
    for text in replies:
        if session.ended:
            break
        turn = session.reply(text)
        out.append(f"{t['you']}{colon}{text if text.strip() else t['silence']}")
        if turn.client:
            out.append(f"{t['client']}{colon}{turn.client}")
    out.append(t["over"] if session.ended else t["your_turn"])
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    first = Path(argv[0])
    if first.suffix in (".yaml", ".yml") and first.is_file():
        from roleplay.core.authoring.listening import load_playthrough

        play = load_playthrough(first)
        print(blind_text(play.scenario, play.replies, play.prepared, play.seed))
        return 0
    replies: list[str] = []
    if len(argv) > 1:
        replies = Path(argv[1]).read_text(encoding="utf-8").split("\n")
        if replies and replies[-1] == "":
            replies.pop()  # the file's final newline is not a silent reply
    print(blind_text(argv[0], replies))
    return 0


if __name__ == "__main__":
    from roleplay.core.content.problems import ContentError

    try:
        sys.exit(main(sys.argv[1:]))
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        sys.exit(1)
