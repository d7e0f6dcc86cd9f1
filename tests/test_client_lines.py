"""How the client's lines read: no sentence twice in a turn, repeats rephrased, memory as plain speech, rash moves noticed."""

import pytest

from roleplay.core.conversation.engine import Session
from roleplay.core.conversation.lines import RASH_LINES, plain, rephrased, sentences, without_repeats
from tests.conftest import write_scenario

PROBE = """
id: lines_probe
title: Lines probe
language: en
kind: visit
difficulty: easy
brief: Probe.
persona: {name: Ms. Lin, company: Lin Trading, role: owner, mood: 0}
categories:
  alpha: {name: Alpha, phrases: [purple elephants dance gracefully]}
  beta: {name: Beta, phrases: [seven silver spoons sparkle]}
  gamma: {name: Gamma, phrases: [orange kites fly north]}
  bluff: {name: Bluff, negative: true, phrases: [your competitors are all going bankrupt]}
start: door
on_taboo: {say: Excuse me?, mood: -30}
on_closing: {say: Bye., goto: gone}
states:
  door:
    say: Hello.
    rules:
      - {id: to_booking, when: {any: [alpha]}, say: "Fine. See you then.", goto: booking}
      - {id: to_end, when: {any: [gamma]}, say: "All right. (She hangs up.)", goto: gone}
      - {id: stays, when: {any: [beta]}, say: "What do you want from me?"}
    on_silence: {say: [Well?, Go on.]}
    retries: 5
    on_exhausted: {goto: gone}
  booking:
    say: "See you then. Anything else?"
    rules:
      - {id: booked, when: {known: offered_times}, say: "{said.time} it is.", goto: won}
    on_silence: {say: [Well?, Go on.]}
    on_off_track: {say: "When, then?"}
    retries: 5
    on_exhausted: {goto: gone}
  won: {final: true, outcome: success, say: "(Booked for {said.time}.)"}
  gone: {final: true, outcome: failure, say: "(She hangs up on you.)"}
rubric:
  pass_mark: 10
  checks:
    - {id: alpha, description: Alpha, points: 10, said: alpha}
"""

OWN_RASH = PROBE.replace("on_taboo: {say: Excuse me?, mood: -30}",
                         "on_taboo: {say: Excuse me?, mood: -30}\non_rash: {say: \"Oh? In writing, please.\", mood: -20}")
RASH_ENDS = PROBE.replace("on_taboo: {say: Excuse me?, mood: -30}",
                          "on_taboo: {say: Excuse me?, mood: -30}\non_rash: {say: \"I don't trust you.\", goto: gone}")


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    return write_scenario(tmp_path_factory.mktemp("lines"), PROBE)


def test_sentences_keep_every_character():
    assert sentences("Rate 3.5% now. Fine? (She nods.)") == ["Rate 3.5% now.", "Fine?", "(She nods.)"]
    assert sentences("好的。（挂断）") == ["好的。", "（挂断）"]
    assert sentences("Mr (unclosed") == ["Mr (unclosed"]


def test_a_sentence_already_said_in_the_turn_is_dropped():
    assert without_repeats(["Thursday works. See you then."], "See you then.", "en") == ""
    assert without_repeats(["Fine."], "Fine. I'll wait.", "en") == "I'll wait."
    assert without_repeats(["你打吧。（冯老板挂断了电话）"], "（挂断）", "zh") == ""
    assert without_repeats(["Fine."], "Something new.", "en") == "Something new."


def test_rule_line_and_entry_line_never_say_the_same_sentence(probe, phrasebook):
    turn = Session(probe, phrasebook).reply("purple elephants dance gracefully")
    assert turn.client.count("See you then") == 1
    assert "Anything else?" in turn.client


def test_narration_of_the_same_hang_up_is_said_once(probe, phrasebook):
    turn = Session(probe, phrasebook).reply("orange kites fly north")
    assert turn.ended and turn.client.count("hangs up") == 1


def test_a_question_heard_already_is_asked_in_other_words(probe, phrasebook):
    s = Session(probe, phrasebook)
    first = s.reply("seven silver spoons sparkle").client
    second = s.reply("seven silver spoons sparkle").client
    third = s.reply("seven silver spoons sparkle").client
    assert first == "What do you want from me?"
    assert second != first and second.endswith(first)
    assert third not in (first, second) and third.endswith(first)


def test_rephrase_keeps_narration_and_rotates():
    assert rephrased("(She waits.)", "en", set()) == "(She waits.)"
    once = rephrased("那你说什么时候存？", "zh", set())
    assert once.endswith("你说什么时候存？") and once != "那你说什么时候存？"
    assert rephrased("那你说什么时候存？", "zh", {once}) != once
    # pressed again, a question drops its lead-in filler and stands as a sentence of its own (blind players found
    # "I'll ask again: So, when?" a template)
    assert rephrased("So, when?", "en", set()) == "You haven't answered me. When?"
    assert rephrased("嗯……那我要怎么办理？", "zh", set()) == "你还没回答我呢，我要怎么办理？"


def test_remembered_values_are_plain_speech(probe, phrasebook):
    assert plain("‘周四下午五点前’") == "周四下午五点前" and plain(' "Friday at 3" ') == "Friday at 3"
    assert plain("by friday") == "by Friday"
    # a capital that only began the trainee's sentence is not said back mid-sentence (round 7: "booked for Tomorrow")
    assert plain("Tomorrow at 2") == "tomorrow at 2" and plain("Mr Lee") == "Mr Lee" and plain("ASAP") == "ASAP"
    s = Session(probe, phrasebook)
    s.reply("purple elephants dance gracefully")
    turn = s.reply("How about 'Friday at 3'?")
    assert turn.ended and "'" not in turn.client and "Friday at 3" in turn.client


def test_a_rash_promise_no_rule_takes_gets_the_builtin_reaction(probe, phrasebook):
    s = Session(probe, phrasebook)
    turn = s.reply("I can cut the fee in half for you")
    assert turn.rule == "on_rash" and turn.miss is None
    # answered as the kind of promise it is (round 10: one line met a discount, a refund and "no risk" alike)
    assert turn.client in RASH_LINES["en"]["discount"] and turn.mood_delta == -5
    assert not turn.ended and s.state == "door"  # the talk goes on, no retry used
    assert turn.retries_left == 5


def test_a_rash_promise_with_a_good_move_gets_both(probe, phrasebook):
    s = Session(probe, phrasebook)
    turn = s.reply("I can cut the fee in half for you, and purple elephants dance gracefully")
    assert turn.rule == "to_booking" and s.state == "booking"
    assert turn.client.startswith(tuple(RASH_LINES["en"]["discount"])) and "See you then" in turn.client


def test_a_risk_free_claim_and_a_promised_approval_get_their_own_reactions(probe, phrasebook):
    claim = Session(probe, phrasebook).reply("This fund is completely risk-free, the best on the market")
    assert claim.client in RASH_LINES["en"]["absolute_claim"]
    approval = Session(probe, phrasebook).reply("Your loan will definitely be approved, I guarantee it")
    assert approval.client in RASH_LINES["en"]["guarantee"]


def test_a_scenario_negative_that_is_no_promise_is_a_remark(probe, phrasebook):
    turn = Session(probe, phrasebook).reply("your competitors are all going bankrupt")
    assert turn.rule == "on_rash" and turn.client in RASH_LINES["en"]["remark"]


def test_the_coach_own_rash_reaction_wins(tmp_path, phrasebook):
    own = write_scenario(tmp_path, OWN_RASH)
    turn = Session(own, phrasebook).reply("I can cut the fee in half for you")
    assert turn.client == "Oh? In writing, please." and turn.mood_delta == -20


def test_on_rash_with_a_goto_ends_the_talk_before_any_rule(tmp_path, phrasebook):
    ends = write_scenario(tmp_path, RASH_ENDS)
    turn = Session(ends, phrasebook).reply("I can cut the fee in half for you, and purple elephants dance gracefully")
    assert turn.ended and turn.next_state == "gone" and turn.client.startswith("I don't trust you.")


def test_a_rude_reply_gets_on_taboo_not_on_rash(probe, phrasebook):
    turn = Session(probe, phrasebook).reply("that's not my problem, I can cut the fee in half for you")
    assert turn.rule == "on_taboo" and turn.client == "Excuse me?"


ODD = PROBE.replace('{id: to_end, when: {any: [gamma]}, say: "All right. (She hangs up.)", goto: gone}',
                    '{id: to_end, when: {any: [gamma]}, say: "Whose job is it then?", goto: gone}') \
    .replace('say: "{said.time} it is."', 'say: "‘{said.time}’ it is."') \
    .replace('say: "(Booked for {said.time}.)"', 'say: "(She expects you tomorrow afternoon.)"')


def test_validate_warns_about_lines_that_read_oddly(tmp_path, capsys):
    from roleplay.cli import main

    path = tmp_path / "odd.yaml"
    path.write_text(ODD, encoding="utf-8")
    assert main(["validate", str(path)]) == 0  # warnings only
    out = capsys.readouterr().out
    assert "asks a question and ends the talk in the same breath" in out and "[S371]" in out
    assert "puts a remembered time in quotation marks" in out
    assert "naming a time (tomorrow)" in out
    lines = {line.split(": warning")[0].rsplit(":", 2)[1] for line in out.splitlines() if "S371" in line}
    assert len(lines) == 3  # each located on its own line of the file


def test_the_shipped_scenarios_read_cleanly(capsys):
    # zh included: quoting the trainee's own words (签“{said.guarantee_words}”) is reported speech, not a warning
    from roleplay.cli import main
    from tests.conftest import ROOT

    assert main(["validate", *map(str, sorted((ROOT / "scenarios").glob("*.yaml")))]) == 0
    assert "warning" not in capsys.readouterr().out


def test_validate_warns_about_two_questions_in_one_breath(tmp_path, capsys):
    from roleplay.cli import main

    path = tmp_path / "two.yaml"
    path.write_text(PROBE.replace('say: "Fine. See you then.", goto: booking', 'say: "Fine. When?", goto: booking'),
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert "'Fine. When?' ends with a question and 'booking' opens with another" in capsys.readouterr().out


def test_a_rash_move_never_uses_up_the_state_patience(tmp_path, phrasebook):
    tight = write_scenario(tmp_path, PROBE.replace("    retries: 5\n    on_exhausted: {goto: gone}\n  booking:",
                                                   "    retries: 0\n    on_exhausted: {goto: gone}\n  booking:"))
    s = Session(tight, phrasebook)
    turn = s.reply("I can cut the fee in half for you")
    assert turn.rule == "on_rash" and not turn.ended and s.state == "door"


def test_offered_two_deadlines_the_client_picks_one_and_says_it_back(phrasebook):
    # round 7 blind play: 您看是今天下午四点前…还是明天上午十点前？ was answered 就按你说的, picking neither
    from roleplay.core.scenario.library import discover_scenarios

    scenario = next(s for s in discover_scenarios() if s.id == "zh_bank_interest_reminder_easy")
    s = Session(scenario, phrasebook)
    for reply in ("喂，您好！请问是冯厂长吗？我是农商行的客户经理小陈。",
                  "冯厂长，咱们厂贷款这个季度的利息两万八千块，21号到期了，账户余额不够，扣款没扣成功。",
                  "理解理解，资金压力确实大。不过利息逾期了会按天算罚息，还会上征信记录。"):
        s.reply(reply)
    turn = s.reply("您看是今天下午四点前存进去，还是明天上午十点前？")
    assert "明天上午十点前" in turn.client and "就按你说的" not in turn.client


def test_a_deadline_the_client_picked_is_the_time_it_agreed_to(phrasebook):
    # round 8 blind play: offered 明天上午 or 后天下午五点前, the client picked the deadline, but its closing
    # narration said 明天上午 (the time offered first)
    from roleplay.core.scenario.library import discover_scenarios

    scenario = next(s for s in discover_scenarios() if s.id == "zh_bank_interest_reminder_hard")
    s = Session(scenario, phrasebook)
    replies = ["冯老板您好，打扰您了。我是农商行客户经理小陈，负责咱们厂贷款的。",
               "咱们厂贷款这季度的利息两万八千块，21号到期的，账户里余额不够，扣款没成功。",
               "货款压着确实难受，这个我理解。但利息一逾期，每天都要算罚息，会记到征信里，还会出催收通知书。",
               "您这些年一直在我们行办业务，真的很感谢您的支持。罚息和征信是系统按合同自动走的。",
               "您看是明天上午存，还是后天下午五点前存？"]
    turns = [s.reply(r) for r in replies]
    picked = turns[-1].client
    if "后天下午五点前" in picked:  # the client may pick either; whichever it says back is what stands
        end = s.reply("好，那就后天下午五点前，谢谢冯老板配合，再见！")
        assert "后天下午五点前" in end.client and "明天上午" not in end.client
    else:
        assert "明天上午" in picked
