"""Scenario-wide answers: a good move made early or late is answered where it is said, without moving on,
using no retry; a note or a card the state does not wait for is acknowledged, not called off track."""

import pytest

from roleplay.core.content.problems import ContentError
from roleplay.core.conversation.engine import Session
from roleplay.core.conversation.lines import RASH_LINES
from tests.conftest import write_scenario

SCENARIO = """
id: answers_probe
title: Answers probe
language: en
kind: visit
difficulty: easy
brief: Test.
persona: {name: Ms. Reed, company: Reed Ltd, role: owner, mood: 0}
categories:
  pitch: {name: Pitch, phrases: [our new savings plan]}
start: hello
on_closing: {say: Bye., goto: closed}
answers:
  - id: early_time
    when: {any: [propose_time]}
    say: ["Let's settle what this is about first; I'll keep {said.time} in mind.", "A time later, please."]
  - id: early_handover
    when: {any: [handover]}
    say: Noted, you're my new contact.
states:
  hello:
    say: What's this about?
    on_off_track: {say: [So what are you selling?, Get to the point, please.]}
    rules:
      - {id: pitched, when: {any: [pitch]}, say: Tell me more., mood: 5, goto: booking}
    retries: 1
    on_exhausted: {say: I'm busy., goto: lost}
  booking:
    say: When would you come?
    rules:
      - {id: booked, when: {known: offered_times}, say: "{said.time} then.", goto: won}
  won: {final: true, outcome: success, say: (Booked.)}
  lost: {final: true, outcome: failure, say: (She leaves.)}
  closed: {final: true, outcome: failure, say: (Over.)}
rubric:
  pass_mark: 5
  checks:
    - {id: pitch, description: Pitch, points: 10, said: pitch}
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return write_scenario(tmp_path_factory.mktemp("answers"), SCENARIO)


def test_an_early_move_is_answered_and_the_state_waits(scenario, phrasebook):
    s = Session(scenario, phrasebook)
    turn = s.reply("Would Monday morning or Wednesday afternoon suit you?")
    assert turn.rule == "early_time" and turn.miss is None and turn.next_state == "hello"
    assert "afternoon" in turn.client or "morning" in turn.client  # the line that says the time back wins
    assert not s.memory.agreed  # an answer keeps the time in mind; it does not agree it
    assert s._fallbacks == 0  # an answer uses no retry: a second off-track reply is still a nudge
    nudge = s.reply("Thank you.")
    assert nudge.miss == "off_track" and nudge.next_state == "hello"
    assert s.reply("Let me tell you about our new savings plan.").next_state == "booking"
    assert s.reply("Monday morning then?").next_state == "won"


def test_answers_come_after_the_states_own_rules(scenario, phrasebook):
    s = Session(scenario, phrasebook)
    turn = s.reply("I'm taking over your account from Ben, and our new savings plan may suit you.")
    assert turn.rule == "pitched" and turn.next_state == "booking"


def test_answers_never_take_rude_replies(scenario, phrasebook):
    s = Session(scenario, phrasebook)
    turn = s.reply("That's not my problem, call the hotline. Monday or Tuesday, take it or leave it.")
    assert "taboo" in turn.labels and turn.rule != "early_time" and turn.miss == "rude"


def test_a_note_with_recognised_words_is_acknowledged_without_a_retry(scenario, phrasebook):
    s = Session(scenario, phrasebook)
    turn = s.reply("/note Thank you - visit Monday morning")
    assert turn.rule == "note" and turn.miss is None and turn.mood_delta == 0 and not s.ended
    assert s._fallbacks == 0


def test_an_unexpected_card_is_taken_on_a_visit(scenario, phrasebook):
    s = Session(scenario, phrasebook)
    turn = s.reply("/card")
    assert turn.rule == "card" and turn.miss is None and "card" in turn.client.lower()


def test_an_answer_must_listen_for_a_move(tmp_path):
    broken = SCENARIO.replace("    when: {any: [handover]}\n", "    when: {mood: {min: 0}}\n")
    with pytest.raises(ContentError) as err:
        write_scenario(tmp_path, broken)
    assert "S324" in str(err.value) and "early_handover" in str(err.value)


def test_an_answer_on_an_unknown_category_is_located(tmp_path):
    with pytest.raises(ContentError) as err:
        write_scenario(tmp_path, SCENARIO.replace("any: [handover]", "any: [handoverr]"))
    assert "probe.yaml:" in str(err.value) and "handoverr" in str(err.value)


def test_the_same_answer_twice_in_a_state_uses_up_patience(scenario, phrasebook):
    # an early move is answered once for free; being told it again in the same state counts like a miss,
    # so a trainee who only repeats early moves cannot stall the conversation forever
    s = Session(scenario, phrasebook)
    s.reply("Would Monday morning or Wednesday afternoon suit you?")
    assert s._fallbacks == 0
    s.reply("Or Thursday at ten or Friday at two?")
    assert s._fallbacks == 1
    turn = s.reply("Tuesday or Wednesday, then?")
    assert s._fallbacks == 2 and not turn.ended  # the answer still fires; the next miss exhausts
    assert s.reply("Thank you.").next_state == "lost"


def test_the_debug_view_lists_the_answers_after_the_states_rules(scenario, phrasebook):
    s = Session(scenario, phrasebook)
    s.reply("Would Monday morning or Wednesday afternoon suit you?")
    rules = s.debug()["rules"]
    assert [r["id"] for r in rules] == ["pitched", "early_time", "early_handover"]
    assert rules[1]["would_fire"] and rules[1]["answer"] and not rules[0]["would_fire"]


def test_no_answer_for_a_reply_with_a_negative_category_even_without_on_taboo(tmp_path, phrasebook):
    # a time offered together with a local negative is not answered: the client reacts to the negative
    # move (the built-in on_rash remark) and the rest is a miss of the state
    text = SCENARIO.replace("  pitch: {name: Pitch, phrases: [our new savings plan]}\n",
                            "  pitch: {name: Pitch, phrases: [our new savings plan]}\n"
                            "  bribe: {name: Bribe, negative: true, phrases: [a little gift for you]}\n")
    s = Session(write_scenario(tmp_path, text), phrasebook)
    turn = s.reply("Here's a little gift for you. Monday morning or Wednesday afternoon?")
    assert "bribe" in turn.labels and turn.rule != "early_time" and turn.miss == "off_track"
    assert turn.client.startswith(tuple(RASH_LINES["en"]["remark"]))


def test_on_the_phone_a_note_is_not_heard_and_the_agreed_time_stands(phrasebook):
    from roleplay.core.scenario.library import find_scenario

    session = Session(find_scenario("zh_tel_call_handover_easy"), phrasebook, seed=0)
    for text in ["周经理您好，我是移动公司集团客户部的小王，张经理调岗了，以后华联由我来负责。",
                 "想约个时间去您那边拜访一下。", "您看周四上午十点或者周五下午三点，哪个时间方便？"]:
        session.reply(text)
    picked = session.memory.values()["said.time"]
    other = "周四上午十点" if picked == "周五下午三点" else "周五下午三点"
    note = session.reply(f"/note {other}拜访周经理")
    assert note.client.startswith("（") and "记" in note.client and "看你" not in note.client  # a pause, not an answer
    assert "原来不是小张" not in session.turns[0].client  # the hand-over was just said: no asking about it
    last = session.reply(f"好的，那就{other}，谢谢周经理，再见！")
    assert session.ended and picked in last.client and other not in last.client
