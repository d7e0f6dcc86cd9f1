"""Conversation memory: what the client notes from a reply, in the trainee's words."""

import pytest

from roleplay.core.conversation.memory import Memory, compile_capture


@pytest.fixture
def zh(phrasebook):
    return Memory("zh", phrasebook.slots["zh"], "刘经理")


@pytest.fixture
def en(phrasebook):
    return Memory("en", phrasebook.slots["en"], "Ms Chen")


@pytest.mark.parametrize("reply,facts", [
    ("您看我们是周四上午10点还是周五下午3点？", {"offered_times": ["周四上午10点", "周五下午3点"]}),
    ("我核实后今天下班前给您回电。", {"deadline": ["今天下班前"]}),
    ("我明天上午给您回电，您看周四下午方便见面吗？", {"deadline": ["明天上午"], "offered_times": ["周四下午"]}),
    ("三个工作日内给您答复。", {"deadline": ["三个工作日内"]}),
    ("我的电话是13812345678。", {"phone": ["13812345678"]}),
    ("套餐每月20元，刘经理。", {"amount": ["20元"], "client_name": ["刘经理"]}),
    ("请准备营业执照和财务报表。", {"documents": ["营业执照", "财务报表"]}),
    ("下周二上午或者这周五下午，您看哪个方便？", {"offered_times": ["下周二上午", "这周五下午"]}),  # one day, not 下周 + 二
    ("要不下周一上午？", {"offered_times": ["下周一上午"]}),
    ("刘总，上午好！", {}),
    ("我一点都不知道。", {}),
])
def test_zh_facts(zh, reply, facts):
    assert zh.capture(reply) == facts


@pytest.mark.parametrize("reply,facts", [
    ("Would Thursday at 10 or Friday at 3 suit you better?", {"offered_times": ["Thursday at 10", "Friday at 3"]}),
    ("I'll call you back by 5pm today.", {"deadline": ["by 5pm today"]}),
    ("I'll check and get back to you. Would Tuesday morning work for a visit?",
     {"offered_times": ["Tuesday morning"]}),
    ("Good morning, Ms Chen.", {"client_name": ["Ms Chen"]}),
    ("It costs $20 a month.", {"amount": ["$20"]}),
    ("Please bring your business licence and financial statements.",
     {"documents": ["business licence", "financial statements"]}),
    ("This Friday, the day after tomorrow. Does Friday work?", {"offered_times": ["Friday"]}),  # never "tomorrow"
    ("How about Tuesday, sometime in the afternoon?", {"offered_times": ["Tuesday, sometime in the afternoon"]}),
])
def test_en_facts(en, reply, facts):
    assert en.capture(reply) == facts


def test_the_client_picks_among_the_times_offered_last_and_keeps_its_pick(zh):
    zh.capture("周一上午可以吗？")
    zh.capture("那周四上午10点还是周五下午3点？")
    pick = zh.values()["said.time"]
    assert pick in ("周四上午10点", "周五下午3点") and zh.values()["said.time"] == pick
    assert zh.summary(["time"]) == []  # not agreed until the client says it back
    zh.agreed = True
    assert zh.summary(["offered_times", "time"]) == [f"约定时间：{pick}"]


def test_a_fact_said_twice_is_noted_once(zh):
    assert zh.capture("电话13812345678") and zh.capture("再说一遍，13812345678") == {}


def test_scenario_captures_with_values_and_templates(phrasebook):
    slots = phrasebook.slots["zh"]
    memory = Memory("zh", slots, captures=[compile_capture("budget", ["十万", "二十万"], [], slots, "zh"),
                                           compile_capture("branch", [], ["{$org}{any:0-4}支行"], slots, "zh")])
    assert memory.capture("预算二十万，我们在建行高新区支行开户") == {
        "amount": ["二十万"], "org": ["建行"], "budget": ["二十万"], "branch": ["建行高新区支行"]}


def test_an_agreed_time_stands_until_the_trainee_asks_to_change_it(zh, en):
    zh.capture("您看周四上午十点或者周五下午三点？")
    picked = zh.values()["said.time"]
    zh.agreed = True
    other = "周四上午十点" if picked == "周五下午三点" else "周五下午三点"
    zh.capture(f"好的，那就{other}，再见")  # a slip: the client keeps what it agreed
    assert zh.values()["said.time"] == picked and zh.agreed
    zh.capture("不好意思，能不能改到下周一上午？")
    assert zh.values()["said.time"] == "下周一上午" and not zh.agreed
    en.capture("Would Tuesday at 10 or Thursday at 3 suit you?")
    first = en.values()["said.time"]
    en.agreed = True
    en.capture("Could we move it to Friday morning instead?")
    assert first != "Friday morning" and en.values()["said.time"] == "Friday morning"


@pytest.mark.parametrize("reply", ["今天打电话主要是想约您见个面", "I'm calling today to introduce myself"])
def test_the_day_of_the_call_is_not_a_time_offered(phrasebook, reply):
    lang = "zh" if reply[0] > "~" else "en"
    assert "offered_times" not in Memory(lang, phrasebook.slots[lang]).capture(reply)


def test_the_last_reply_by_time_said_is_the_one_the_client_repeats(en):
    en.capture("I'll get an answer and call you back by 4 pm tomorrow.")
    en.capture("So I'll call you by 4 tomorrow.")
    assert en.values()["said.deadline"] == "by 4 tomorrow"


def test_a_scenario_fact_said_only_under_a_negation_is_not_remembered(phrasebook):
    slots = phrasebook.slots["zh"]
    memory = Memory("zh", slots, captures=[compile_capture("promised", ["一定能批", "不用签"], [], slots, "zh")])
    assert memory.capture("调查之前我没法跟您打包票一定能批，得看审批结果") == {}  # refused, not promised
    assert memory.capture("这个不用签合约") == {"promised": ["不用签"]}  # a value that is itself a negation stays
    assert memory.capture("我不敢说。不过材料齐了，一定能批") == {"promised": ["一定能批"]}  # negation in another clause
    en_slots = phrasebook.slots["en"]
    en = Memory("en", en_slots, captures=[compile_capture("promised", ["approved for sure"], [], en_slots, "en")])
    assert en.capture("I can't say it'll be approved for sure until the committee has seen it") == {}
    assert en.capture("Don't worry, it will be approved for sure") == {"promised": ["approved for sure"]}


def test_a_word_that_only_ends_in_a_negation_negates_nothing(phrasebook):
    # 特别 ends in 别 but says "especially": the phrasebook's not_negation words are read whole, as the matcher does
    slots = phrasebook.slots["zh"]
    captures = [compile_capture("promised", ["一定能批"], [], slots, "zh")]
    plain = Memory("zh", slots, captures=captures)
    aware = Memory("zh", slots, captures=captures, not_negation=phrasebook.cue("not_negation", "zh"))
    assert plain.capture("您这个情况特别一定能批") == {}
    assert aware.capture("您这个情况特别一定能批") == {"promised": ["一定能批"]}
    assert aware.capture("别担心，我说了不算，不一定能批") == {}
