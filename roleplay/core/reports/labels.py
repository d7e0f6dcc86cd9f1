"""Report wording in Chinese and English (Chinese first: the sheets are filed by Chinese banks)."""

from __future__ import annotations

_LABELS = {
    "score_sheet": ("成绩单", "Score sheet"),
    "cohort_sheet": ("考核汇总表", "Cohort sheet"),
    "trainee": ("学员", "Trainee"),
    "session": ("考核场次", "Session"),
    "scenario": ("情景", "Scenario"),
    "score": ("得分", "Score"),
    "percent": ("得分率", "Percent"),
    "pass_mark": ("及格线", "Pass mark"),
    "result": ("结果", "Result"),
    "passed": ("通过", "Passed"),
    "failed": ("未通过", "Failed"),
    "not_taken": ("未参加", "Not taken"),
    "abandoned": ("已放弃", "Abandoned"),
    "over_time": ("超时，按沉默计", "over time, counted as silence"),
    "check": ("考核项", "Check"),
    "points": ("分值", "Points"),
    "evidence": ("依据", "Evidence"),
    "suggestion": ("建议说法", "Try saying"),
    "transcript": ("对话记录", "Transcript"),
    "reply": ("学员", "Trainee"),
    "client": ("客户", "Client"),
    "labels": ("识别类别", "Recognised"),
    "categories": ("礼貌用语类别", "Phrase categories"),
    "category": ("类别", "Category"),
    "cohort": ("全体", "Cohort"),
    "average": ("平均得分率", "Average"),
    "pass_rate": ("通过率", "Pass rate"),
    "weakest": ("最薄弱类别", "Weakest categories"),
    "attempts": ("次数", "Attempts"),
    "generated": ("生成时间", "Generated"),
    "outcome": ("结局", "Outcome"),
    "hard_fail": ("一票否决", "Hard fail"),
    "all_passed": ("全部通过", "All passed"),
    "integrity": ("此表带有完整性校验；用 roleplay verify 检查是否被改动。",
                  "This sheet carries an integrity stamp; check it with `roleplay verify`."),
    "none": ("无", "none"),
    "turn": ("轮", "Turn"),
    "started": ("开始", "Started"),
    "finished": ("结束", "Finished"),
}


def label(key: str, lang: str = "zh") -> str:
    zh, en = _LABELS[key]
    return en if lang == "en" else zh


def result_word(passed: bool | None, lang: str = "zh") -> str:
    if passed is None:
        return label("not_taken", lang)
    return label("passed" if passed else "failed", lang)


def sheet_verdict(sheet, lang: str = "zh") -> str:
    """Passed / failed, or abandoned for an attempt the trainee gave up (it has no meaningful score)."""
    return label("abandoned", lang) if getattr(sheet, "abandoned", False) else result_word(sheet.passed, lang)
