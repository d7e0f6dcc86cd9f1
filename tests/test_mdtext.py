"""Trainee-typed text in Markdown exports stays literal: no links, emphasis, HTML or broken table cells."""

from roleplay.core.reports.mdtext import md_escape
from roleplay.core.reports.render import sheet_markdown
from roleplay.core.conversation.results import CheckResult, ScoreSheet, TurnResult


def test_md_escape_neutralises_markup():
    assert md_escape("[点我](http://x.cn) *粗* <b>|") == "\\[点我\\]\\(http://x.cn\\) \\*粗\\* &lt;b&gt;\\|"
    assert md_escape("两行\n文字") == "两行 文字"
    assert md_escape(None) == ""


def test_sheet_markdown_keeps_reply_literal():
    sheet = ScoreSheet(scenario="s", title="t", language="zh", trainee="小王", seed=0, total=1, max=2,
                       pass_mark=1, passed=True, outcome="success", final_state="done",
                       checks=[CheckResult(id="c", description="d", points=1, max_points=2, passed=True,
                                           evidence=["第 1 句: a", "第 2 句: [b](c)"])],
                       turns=[TurnResult(turn=1, state="s", reply="[链接](http://evil) | <script>")])
    md = sheet_markdown(sheet)
    assert "\\[链接\\]\\(http://evil\\) \\| &lt;script&gt;" in md
    assert "第 1 句: a<br>第 2 句: \\[b\\]\\(c\\)" in md
    assert "<script>" not in md
