"""A coach's rule for a negative move (running down a colleague, a quick discount) still fires when the shared
phrasebook also calls the reply rude; a refusal cue inside the fault's own wording refuses nothing."""

from roleplay.core.conversation.engine import Session
from roleplay.core.scenario.library import find_scenario
from tests.conftest import write_scenario

SCENARIO = """
id: negative_rule_probe
title: Negative rule probe
language: en
kind: call
difficulty: easy
brief: Test.
persona: {name: Mr. Zhou, company: Sunrise Ltd, role: owner, mood: 0}
categories:
  blame_predecessor:
    name: Blaming the predecessor
    negative: true
    phrases: [she left your file in a mess]
start: hello
on_taboo: {say: That's no way to talk to me. Goodbye., goto: lost}
states:
  hello:
    say: Hello?
    rules:
      - {id: defends_her, when: {any: [blame_predecessor]}, say: "I won't hear a word against Ms. Wang.", mood: -10}
  lost: {final: true, outcome: failure, say: (He hangs up.)}
rubric:
  pass_mark: 5
  checks:
    - {id: no_blame, description: Never run down a colleague, points: 10, never: blame_predecessor}
"""


def test_the_coachs_reaction_wins_over_on_taboo(tmp_path, phrasebook):
    session = Session(write_scenario(tmp_path, SCENARIO), phrasebook)
    text = "Honestly she left your file in a bit of a mess."
    assert "taboo" in session.matcher.match(text).labels  # the shared blame family flags it too
    turn = session.reply(text)
    assert turn.rule == "defends_her" and not turn.ended and "Ms. Wang" in turn.client
    # any other rude reply still meets on_taboo
    assert session.reply("Whatever, that's not my problem.").ended


def test_a_refusal_inside_the_faults_own_wording_refuses_nothing(phrasebook):
    session = Session(find_scenario("zh_tel_price_objection_hard"), phrasebook)
    # the scenario lists this very sentence as a quick discount; its 不能 (in 能不能) is no refusal
    assert "quick_discount" in session.matcher.match("这样吧刘总，我回去跟领导申请一下看看能不能再给您优惠一些。").labels
    # while a refusal before a promise still drops it
    assert "compliance" not in session.matcher.match("能不能批得看审批意见，我现在不好给您打包票。").labels
