"""The one vocabulary of every score sheet (md, html, json labels, csv/xlsx headers, `play`'s text sheet, the TUI).

Chinese first: the sheets are filed by Chinese banks. Placeholders match in both languages (a test checks).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roleplay.core.conversation.results import ScoreSheet
    from roleplay.core.reports.model import SheetRow

_LABELS = {
    "score_sheet": ("成绩单", "Score sheet"),
    "cohort_sheet": ("考核汇总表", "Cohort sheet"),
    "trainee": ("学员", "Trainee"),
    "employee_id": ("工号", "Employee ID"),
    "session": ("考核场次", "Session"),
    "scenario": ("情景", "Scenario"),
    "scenarios": ("各情景结果", "Scenarios"),
    "score": ("得分", "Score"),
    "percent": ("得分率", "Percent"),
    "pass_mark": ("及格线", "Pass mark"),
    "result": ("结果", "Result"),
    "passed": ("通过", "Passed"),
    "failed": ("未通过", "Not passed"),
    "not_taken": ("未参加", "Not taken"),
    "checks": ("评分项", "Checks"),
    "check": ("评分项", "Check"),
    "abandoned": ("已放弃", "Abandoned"),
    "points": ("分值", "Points"),
    "evidence": ("依据", "Evidence"),
    "no_evidence": ("未发现", "not found"),
    "suggestion": ("建议", "Suggestion"),
    "transcript": ("对话记录", "Transcript"),
    "reply": ("学员", "Trainee"),
    "you": ("你", "You"),
    "client": ("客户", "Client"),
    "labels": ("识别", "Recognised"),
    "categories": ("礼貌用语类别", "Phrase categories"),
    "category": ("类别", "Category"),
    "average": ("平均得分率", "Average"),
    "pass_rate": ("通过率", "Pass rate"),
    "weakest": ("最薄弱类别", "Weakest categories"),
    "attempts": ("次数", "Attempts"),
    "trend": ("历次得分", "Attempts so far"),
    "best": ("最佳", "Best"),
    "taken": ("参加人数", "Took it"),
    "generated": ("生成时间", "Generated"),
    "outcome": ("结局", "Outcome"),
    "hard_fail": ("一票否决", "Must pass"),
    "all_passed": ("全部通过", "All passed"),
    "summary": ("概况", "Summary"),
    "integrity": ("此表带有完整性校验；用 roleplay verify 检查是否被改动。",
                  "This sheet carries an integrity stamp; check it with `roleplay verify`."),
    "none": ("无", "none"),
    "turn": ("轮", "Turn"),
    "started": ("开始", "Started"),
    "finished": ("结束", "Finished"),
    "mood": ("心情", "Mood"),
    "seed": ("随机种子", "Seed"),
    "silence": ("（沉默）", "(silence)"),
    "over_time": ("超时，按沉默计", "over time, counted as silence"),
    "tie": ("并列", "tie"),
    "said_never": ("未出现 ✓", "never said ✓"),
    "said_some": ("出现 ✗", "said ✗"),
    "negative_note": ("忌语类：统计未出现与出现过的人次，而非得分率。",
                      "Taboo-like categories: how many attempts stayed clear of them and how many did not."),
    # round 10's sheet: 道歉 0% beside a trainee who apologised three times (too late for the check that asked
    # for it in the first reply) read as "never apologised"
    "category_note": ("每类的得分率 = 用到这类说法的考核要点得分 ÷ 满分；说过不等于得分，时机和顺序也算（如“第一句就道歉”）。",
                      "Per category: points won ÷ points possible on the assessed points that use it. Saying it is "
                      "not always enough: timing and order count too (“apologise in the first reply”)."),
    "tie_note": ("得分率相同的类别标为“并列”，不分先后。", "Categories with equal results are marked “tie”."),
    # outcomes of a final state, in words (a scenario's own outcome words fall back to the state's description)
    "outcome.success": ("达成目标", "goal reached"),
    "outcome.failure": ("未达成目标", "goal not reached"),
    "outcome.walkout": ("客户离开", "the client left"),
    "outcome.partial": ("部分达成", "partly reached"),
    "outcome.none": ("未结束", "not finished"),
    # one sentence reconciling how the conversation ended with pass/fail
    "verdict.pass_goal": ("对话{outcome}{state}，得分 {percent}% 达到及格线 {pass_mark}%：通过。",
                          "The conversation ended: {outcome}{state}; {percent}% reaches the pass mark "
                          "of {pass_mark}%: passed."),
    "verdict.pass_no_goal": ("对话{outcome}{state}，但得分 {percent}% 达到及格线 {pass_mark}%：通过。",
                             "The conversation ended: {outcome}{state}, but {percent}% reaches the pass "
                             "mark of {pass_mark}%: passed."),
    "verdict.fail_score": ("对话{outcome}{state}，但得分 {percent}% 低于及格线 {pass_mark}%：未通过。",
                           "The conversation ended: {outcome}{state}, but {percent}% is below the pass "
                           "mark of {pass_mark}%: not passed."),
    "verdict.fail_both": ("对话{outcome}{state}，得分 {percent}% 低于及格线 {pass_mark}%：未通过。",
                          "The conversation ended: {outcome}{state}; {percent}% is below the pass mark "
                          "of {pass_mark}%: not passed."),
    "verdict.fail_hard": ("对话{outcome}{state}，得分 {percent}%，但一票否决项未过（{checks}）：未通过。",
                          "The conversation ended: {outcome}{state}, {percent}%, but a must-pass check "
                          "failed ({checks}): not passed."),
    "verdict.abandoned": ("学员放弃了此次作答（已确认），不计分、不算通过。",
                          "The trainee gave this attempt up (confirmed): it has no score and does not pass."),
    # evidence: the trainee's words and what they were recognised as
    "evidence.turn": ("第 {n} 句", "turn {n}"),
    "evidence.line": ("{turn}：“{words}” ≈ {category}", "{turn}: “{words}” ≈ {category}"),
    "evidence.action": ("{turn}：{action}", "{turn}: {action}"),
    "evidence.example": ("例：{phrase}", "e.g. {phrase}"),
}


def label(key: str, lang: str = "zh", /, **values: object) -> str:
    """The word for `key` in `lang` (zh, or en for anything else), with {placeholders} filled."""
    zh, en = _LABELS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def pair(key: str) -> tuple[str, str]:
    """(zh, en) for `key`: how the TUI's string table takes the sheet's words instead of its own."""
    return _LABELS[key]


def result_word(passed: bool | None, lang: str = "zh") -> str:
    if passed is None:
        return label("not_taken", lang)
    return label("passed" if passed else "failed", lang)


def colon(lang: str) -> str:
    """The label colon: full-width in Chinese (no space after it, so a label never wraps alone)."""
    return ": " if lang == "en" else "："


def join(items: Iterable[str], lang: str = "zh") -> str:
    """A list in running text: 赞美、问候 / Compliment, Greeting."""
    return (", " if lang == "en" else "、").join(items)
def sheet_verdict(sheet: ScoreSheet | SheetRow, lang: str = "zh") -> str:
    """Passed / failed, or abandoned for an attempt the trainee gave up (it has no meaningful score)."""
    return label("abandoned", lang) if getattr(sheet, "abandoned", False) else result_word(sheet.passed, lang)
