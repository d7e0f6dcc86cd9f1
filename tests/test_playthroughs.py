"""Replays the blind playthroughs in tests/data/playthroughs/ (written by authors who saw only the trainee's view).

Good trainees pass (>= 95%), poor ones all fail, mixed ones land between; and across all of them the client
listens (0 silence lines after speech, 0 avoidable repeats, 0 low-mood successes, 0 unexplained verdicts).
The share of good-trainee turns no rule took is printed (run with -s): `python tools/playthrough_report.py`.

The playthroughs were written against the client of one version; replayed against a later one, a reply may
answer a line the client no longer says, so the per-scenario ordering is reported, not asserted. The good-trainee
pass rate is a ratchet: GOOD_FLOOR is what the current content reaches (issue 9's target is 0.95).
"""

from pathlib import Path

import pytest

from roleplay.core.authoring.listening import MARKS, charged, load_playthrough, replay_playthroughs, report
from roleplay.core.content.problems import ContentError

FOLDER = Path(__file__).parent / "data" / "playthroughs"
# good-trainee pass rate over every round (rounds 1-3 = 84 good plays: 0.964); issue 9's target is 0.95, met by
# each fresh round when first measured (rounds 2 and 3: 28/28). Round 1's plays were written against an older
# client, so some later replies answer lines it no longer says (its three failing good plays).
GOOD_FLOOR = 0.95
FILES = sorted(FOLDER.rglob("*.yaml"))  # one folder per round of authors (round1/, round2/, …)


@pytest.fixture(scope="module")
def results(phrasebook):
    if not FILES:
        pytest.skip("no playthroughs yet under tests/data/playthroughs/")
    return replay_playthroughs([load_playthrough(p) for p in FILES], phrasebook)


def test_good_pass_poor_fail(results):
    figures = report(results)
    print("\nplaythrough figures:", {k: v for k, v in figures.items() if k != "no_rule_examples"})
    if figures["good_pass_rate"] is not None:
        assert figures["good_pass_rate"] >= GOOD_FLOOR, figures["good_failed"]
    assert figures["poor_passed"] == []


def test_mixed_trainees_land_between(results):
    totals: dict[str, list[float]] = {"good": [], "poor": [], "mixed": []}
    for r in results:
        totals[r.play.trainee].append(r.total)
    mean = {kind: sum(v) / len(v) for kind, v in totals.items() if v}
    if {"good", "poor", "mixed"} <= set(mean):
        assert mean["poor"] < mean["mixed"] < mean["good"], mean
    mixed_passed = sum(r.passed for r in results if r.play.trainee == "mixed")
    good_passed = sum(r.passed for r in results if r.play.trainee == "good")
    assert mixed_passed < good_passed


def test_the_client_listens_in_every_playthrough(results):
    figures = report(results)
    assert (figures["silence_after_speech"], figures["repeats"], figures["low_mood_success"],
            figures["unexplained"]) == (0, 0, 0, 0), [r.counts for r in results]


def test_a_broken_playthrough_is_located(tmp_path):
    bad = tmp_path / "x.good.yaml"
    bad.write_text("scenario: zh_tel_visit_busy_easy\ntrainee: great\nreplies: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_playthrough(bad)
    assert str(info.value).startswith(f"{bad}:1:1: a playthrough needs")


def test_a_playthrough_replays(tmp_path, phrasebook):
    play = tmp_path / "zh_tel_visit_busy_easy.good.yaml"
    play.write_text("scenario: zh_tel_visit_busy_easy\ntrainee: good\nprepared: [cards]\n"
                    "replies: [李总您好，我是移动公司集团客户部的客户经理小李。, '']\n", encoding="utf-8")
    [result] = replay_playthroughs([load_playthrough(play)], phrasebook)
    assert len(result.session.turns) == 2 and result.session.prepared == ["cards"]
    assert result.counts.spoken_turns == 1


# Marked lines that are no fault by docs/labeling-guide.md (judged in round 4 of issue 10, docs/calibration-log.md).
# Precision comes first: the words of each line are also what a sincere or merely brisk reply says.
JUDGED_ACCEPTABLE = {
    # rude marks: curt, but no blame, brush-off, mockery, order or threat in the words (labelling rule 1)
    "round2/en_bank_interest_reminder.poor #1": "curt opening and a plain fact (the payment bounced)",
    "round2/en_bank_loan_intake.poor #1": "brisk welcome and an open question (the brief's own example)",
    "round2/zh_bank_loan_intake.poor #2": "是是是，就这儿。要贷多少？ is brisk, not rude: the same as 'Yeah, come in'",
    "round2/zh_bank_preloan_first_visit.poor #1": "no greeting (scored as a missing greeting), no rude words",
    "round2/en_bank_lobby_complaint.poor #1": "'please lower your voice' + the rule explained: a firm but polite reminder",
    "round2/zh_bank_interest_reminder_hard.poor #2": "the facts and the client's obligation stated firmly (你今天就得存进来)",
    "round2/en_tel_out_of_scope_callback.poor #1": "'it happens' is also what a kind reply to an apology says (No worries, it happens)",
    "round2/zh_tel_call_handover_hard.poor #2": "a blunt hand-over (现在归我管) and a request for a visit, no insult",
    "round2/zh_tel_visit_followup.poor #1": "an excuse (客户太多，跑不过来) whose words a sincere apology shares",
    "round2/zh_tel_visit_busy_easy.poor #6": "要不您先听我说完再签？ asks to be heard out (the scenario's own category may still penalise it)",
    # rash marks: not a compliance fault by the guide
    "round2/zh_tel_price_objection_hard.mixed #3": "跟领导申请…看看能不能再给您优惠: saying what one will try is an honest referral",
    "round2/zh_visit_group_first.mixed #4": "升级不加钱 quotes a promotion; quoting a published offer is not compliance",
    "round2/zh_visit_group_first.poor #5": "filling in the form today is the speaker's own act, not an outcome promised",
}


# Rounds whose marked lines were tuned on (dev data) and judged one by one: every marked line is flagged or
# listed above. A round measured once and not yet tuned on keeps its measured share as a floor instead.
JUDGED_ROUNDS = ("round2",)
# measured once, before tuning (README.md there); "flagged" = any fault the sheet charges the reply with
MEASURED_FLAGGED = {"round3": {"rude": 0.468, "rash": 0.571}, "round4": {"rude": 0.338, "rash": 0.581},
                    "round5": {"rude": 0.36, "rash": 0.857}, "round6": {"rude": 0.431, "rash": 0.733},
                    "round7": {"rude": 0.325, "rash": 0.548}, "round8": {"rude": 0.443, "rash": 0.75},
                    "round9": {"rude": 0.586, "rash": 0.759}, "round10": {"rude": 0.545, "rash": 0.92},
                    "round11": {"rude": 0.515, "rash": 0.885}, "round12": {"rude": 0.5, "rash": 0.61},
                    "round13": {"rude": 0.507, "rash": 0.72}}
# round 12 measured rude 0.514 (38/74) on dceae0f; after its rash fixes two plays end sooner (the client takes the
# promise up), so 72 marked lines are reached and 36 charged: the floor is the share on main
# Rounds whose RASH marks were tuned on (issue 10, round 5) and are judged one by one in the replay: every rash
# promise, threat or absolute claim is charged (a shared or the scenario's own fault), or listed here with why not.
JUDGED_RASH_ROUNDS = ("round3", "round4", "round5", "round6", "round7", "round8", "round9", "round10", "round11",
                      "round12")
RASH_ACCEPTABLE = {
    "round3/zh_bank_lobby_complaint_easy.poor #4": "算数算数 confirms an earlier promise; the words alone promise nothing",
    "round4/zh_bank_loan_extension.poor #1": "能办，展期嘛 says an extension can be applied for, which is true; no approval promised",
    "round4/zh_tel_call_vip_roaming.poor #3": "pressure to decide today (名额有限) is pushy selling, not a promise or claim the guide lists",
    "round4/zh_tel_visit_busy_easy.poor #5": "a savings estimate in numbers (每人省个几十块) is a sales claim, not a guarantee",
    "round4/zh_tel_visit_out_of_scope.poor #3": "这点小钱没问题 promises a refund only in its context; the words would reassure about anything",
    "round5/zh_bank_loan_extension.poor #3": "担保人签个同意就完了，期限最多半年 leaves steps out; the rules it states are right (the checks score the gaps)",
    "round5/zh_tel_visit_client_opinions.mixed #4": "这个我回去问问我们技术那边 promises to ask, which the guide calls honest",
    "round6/en_bank_loan_intake.poor #6": "\"Trust me, I've done loads of these\" boasts; it promises no approval, rate or outcome",
    "round6/zh_tel_visit_out_of_scope.poor #3": "放心，这点小事 reassures about anything; like round 4's 这点小钱没问题, no refund is promised",
    "round7/en_bank_interest_reminder.poor #5": "the amount, the due date and the failed debit: facts, marked by a slip",
    "round7/zh_visit_group_first.poor #3": "了解下你们通信费…一个月花多少？ asks about costs: marked by a slip",
    "round7/zh_bank_loan_intake.poor #7": "材料准备好拿过来…就给您办 promises to process the application, not to approve it",
    "round7/zh_complaint_qixintong_fees.poor #1": "我们不会乱收费的 is defensive, not a promise or a claim the guide lists",
    "round7/zh_tel_price_objection_hard.poor #2": "这个价已经很实在了 defends the price; no discount, outcome or superlative",
    "round8/zh_bank_interest_reminder_easy.poor #5": "the reminder notice is the consequence the brief asks for, curtly said",
    "round8/zh_bank_loan_extension.poor #1": "能办，你们提前来申请就行 says an application can be made, as round 4's 能办，展期嘛",
    "round8/zh_tel_price_objection_hard.poor #2": "您心里价位多少？ asks the client's price; it promises no discount",
    "round9/en_call_busy_owner.poor #6": "\"I'll bring it in writing when I visit\" promises paperwork, not the rate",
    "round9/zh_bank_loan_extension.poor #1": "能办，展期嘛 says an extension can be applied for, as in round 4",
    "round9/zh_visit_group_first.poor #5": "宽带到期必须续我们的啊 is pushy selling, not a promise or a claim the guide lists",
    "round11/zh_complaint_qixintong_fees.mixed #3": "能降 opens an honest 我回去给您申请一下，看看能不能…: an application, not a price",
    "round12/en_tel_call_visit_request.poor #6": "\"I'll sort it\" confirms an earlier promise (charged there); the words alone promise nothing",
    "round12/en_tel_out_of_scope_callback.mixed #2": "\"pretty sure you will\" promises the refund only in its context; the words would answer anything",
    "round12/zh_bank_lobby_complaint_hard.mixed #4": "the same-day way out the good trainees give (五万以内今天不用预约): facts, not a promise",
    "round12/zh_bank_post_loan_check.poor #4": "提前收贷 is the loan contract's own remedy, said curtly: a consequence, not a threat the guide lists",
    "round12/zh_tel_call_office_message.mixed #2": "pressure (不然下周宽带可能就断了) to the colleague, not a promise or a claim the guide lists",
    "round12/zh_tel_call_vip_roaming.mixed #2": "a savings estimate (话费能省一大半) with no 保证: a sales claim, as round 4's 每人省个几十块",
    "round12/zh_tel_price_objection_hard.mixed #4": "runs the competitor down (the scenario's checks score it); 比他们好 compares, no superlative",
    "round12/zh_tel_visit_busy_easy.poor #6": "pressure to decide this month (过了这村没这店) is pushy selling, as round 4's 名额有限",
    "round12/zh_tel_visit_busy_hard.mixed #5": "a polite offer of two times for another visit: marked by a slip",
    "round12/zh_tel_visit_client_opinions.mixed #4": "各家都差不多…我回去问问 promises to ask, as round 5's 我回去问问我们技术那边",
    "round12/zh_tel_visit_out_of_scope.mixed #2": "应该是能退的 hedges and leaves the amount to billing (具体退多少得计费那边核): reassurance, not a refund promised",
    "round12/zh_visit_group_first.poor #2": "太贵了，我一看就知道 is presumptuous (a rude line), not a promise or a claim",
}


def _marked_lines(rounds: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(key, kind, text) of every marked reply in these rounds; key = round/scenario.trainee #n."""
    out = []
    for path in FILES:
        if path.parent.name in rounds:
            play = load_playthrough(path)
            for number, kind in sorted(play.marks.items()):
                out.append((f"{path.parent.name}/{play.scenario}.{play.trainee} #{number}", kind,
                            play.replies[number - 1]))
    return out


def _flagged(matchers, key: str, kind: str, text: str) -> bool:
    labels = set(matchers[key.split("/")[1][:2]].match(text).labels)
    return bool(labels & MARKS[kind])


@pytest.fixture(scope="module")
def matchers(phrasebook):
    from roleplay.core.matching.matcher import Matcher

    return {lang: Matcher(phrasebook, lang) for lang in ("zh", "en")}


def test_replies_the_authors_marked_rude_or_rash_are_flagged(matchers):
    # issue 10: no poor trainee's rash promise or threat goes unflagged. Judged on the line's own words, so a
    # marked line the replay never reaches (the client left earlier) is judged too.
    missed = [f"{key}: {text}" for key, kind, text in _marked_lines(JUDGED_ROUNDS)
              if key not in JUDGED_ACCEPTABLE and not _flagged(matchers, key, kind, text)]
    assert missed == []


def test_rash_promises_of_the_tuned_rounds_are_charged_in_the_replay(results):
    missed = []
    for r in results:
        round_name = Path(r.play.path).parent.name
        if round_name not in JUDGED_RASH_ROUNDS:
            continue
        for number, kind in sorted(r.play.marks.items()):
            key = f"{round_name}/{r.play.scenario}.{r.play.trainee} #{number}"
            if kind != "rash" or key in RASH_ACCEPTABLE or number > len(r.session.turns):
                continue
            turn = r.session.turns[number - 1]
            if not charged(turn, kind):
                missed.append(f"{key}: {turn.reply}")
    assert missed == []


@pytest.mark.parametrize("round_name", sorted(MEASURED_FLAGGED))
def test_a_measured_round_keeps_at_least_its_flagged_share(results, round_name):
    plays = [r for r in results if Path(r.play.path).parent.name == round_name]
    figures = report(plays)
    floor = MEASURED_FLAGGED[round_name]
    assert figures["rude_flagged"] >= floor["rude"] and figures["rash_flagged"] >= floor["rash"], figures


def test_marks_count_what_was_flagged_and_list_what_was_not(tmp_path, phrasebook):
    play = tmp_path / "zh_tel_price_objection_easy.poor.yaml"
    play.write_text("scenario: zh_tel_price_objection_easy\ntrainee: poor\nmarks: {1: rude, 2: rude, 3: rash}\n"
                    "replies: [您好，请问您贵姓？, 嫌贵？那你去找电信啊, 这个月给您打个八折，肯定没问题]\n", encoding="utf-8")
    figures = report(replay_playthroughs([load_playthrough(play)], phrasebook))
    assert (figures["marked_rude"], figures["marked_rash"]) == (2, 1)
    assert (figures["rude_flagged"], figures["rash_flagged"]) == (0.5, 1.0) and figures["rash_unflagged"] == []
    assert [line.split(":")[0] for line in figures["rude_unflagged"]] == ["zh_tel_price_objection_easy.poor #1"]


def test_a_mark_past_the_last_reply_is_located(tmp_path):
    bad = tmp_path / "x.poor.yaml"
    bad.write_text("scenario: zh_tel_visit_busy_easy\ntrainee: poor\nmarks: {4: rude}\nreplies: [a]\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_playthrough(bad)
    assert str(info.value).startswith(f"{bad}:3:1: `marks:` maps a reply number")
