"""Chinese: compared character by character; what the trainer knows about the language."""

from __future__ import annotations

from roleplay.core.lang.base import LanguageProfile

PROFILE = LanguageProfile(
    code="zh",
    words=False,
    question_particles="吗么呢",
    polite_register=(("你", "您"),),
    # 请 opens a request, but not inside 申请/邀请/聘请/宴请 (展期申请需要在…提交 asks nothing)
    literal_guards={"请": "申邀聘宴"},
    negation_window=4,  # characters
    line_joiner="",
    list_separator="，",
    label_separator="：",
    turn_label="第 {n} 句",
    tag="zh-CN",
)
