"""Every UI string in Chinese and English, and the locale-based default language."""

from __future__ import annotations

import locale
import os

from roleplay.core.reports.labels import pair

LANGS = ("zh", "en")

# key -> (zh, en). Placeholders must match in both languages (a test checks it).
STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("客户经理礼仪训练", "Customer-manager role-play trainer"),
    # start screen
    "start.trainee": ("学员", "Trainee"),
    "start.trainee_placeholder": ("输入你的名字", "Your name"),
    "start.employee_id": ("工号", "Staff ID"),
    "start.employee_id_placeholder": ("如 A1024", "e.g. A1024"),
    "start.employee_id_too_long": ("工号太长（最多 32 个字符）。", "The staff ID is too long (at most 32 characters)."),
    "start.employee_id_bad_chars": ("工号只能由字母、数字和 . _ - 组成。",
                                    "A staff ID has only letters, digits and . _ -"),
    "start.mode": ("模式", "Mode"),
    "start.ui_lang": ("界面", "UI"),
    "start.search": ("搜索场景…", "Search scenarios…"),
    "start.filter_kind": ("类型", "Kind"),
    "start.filter_difficulty": ("难度", "Difficulty"),
    "start.filter_language": ("语言", "Language"),
    "start.all": ("全部", "All"),
    "start.no_scenarios": ("没有符合条件的场景。", "No scenario matches."),
    "start.no_selection": ("在左侧选择一个场景，按回车开始。", "Pick a scenario on the left and press Enter."),
    "start.need_name": ("请先输入学员姓名。", "Please enter your name first."),
    "start.begin": ("开始", "Start"),
    "start.session_code": ("考核码", "Session code"),
    "start.no_attempts": ("这个场景的考核次数已用完。", "No attempts left for this scenario in this assessment."),
    "start.session_joined": ("已加入考核“{title}”", "Joined assessment “{title}”"),
    "start.content_problems": ("{count} 个场景文件有问题，已跳过（运行 roleplay validate 查看）",
                               "{count} scenario file(s) have problems and were skipped (run roleplay validate)"),
    "start.resume_title": ("继续未完成的{what}？", "Resume an unfinished {what} attempt?"),
    "start.resume_body": ("“{scenario}”已回答 {turns} 句，尚未完成。", "“{scenario}”: {turns} replies so far, not finished."),
    "start.loading": ("正在载入场景…", "Loading scenarios…"),
    "start.phrasebook_problems": ("礼貌用语手册有问题", "The phrasebook has problems"),
    "start.resume_yes": ("继续", "Resume"),
    "start.resume_no": ("放弃…", "Abandon…"),
    "start.abandon_title": ("放弃这次{what}？", "Abandon this {what} attempt?"),
    "start.abandon_body": ("“{scenario}”将记为“已放弃”，不再计分，也不能再继续；它仍算作一次机会。",
                           "“{scenario}” is stored as abandoned: it gets no score, cannot be continued, and still "
                           "counts as one of your attempts."),
    "start.abandon_yes": ("确定放弃", "Abandon it"),
    "start.abandon_no": ("返回", "Go back"),
    "start.abandoned": ("已记为放弃。", "Stored as abandoned."),
    "start.takeover_title": ("这次{what}正在另一个终端进行", "This {what} attempt is open in another terminal"),
    "start.takeover_body": ("{holder} 在 {seconds} 秒前还有响应。只有确认那个终端已经关闭时才接管；接管后那边不能再作答。",
                            "{holder} was last heard from {seconds} s ago. Take it over only if that terminal is "
                            "closed: it cannot answer any more afterwards."),
    "start.takeover_yes": ("接管", "Take it over"),
    "start.takeover_no": ("不接管", "Leave it"),
    "start.lease_held": ("这次作答正在另一个终端进行（{holder}），请先关闭那个终端。",
                         "This attempt is being played in another terminal ({holder}); close that one first."),
    "start.cannot_start": ("无法开始：{error}", "Cannot start: {error}"),
    "mode.practice": ("练习", "Practice"),
    "mode.assessment": ("考核", "Assessment"),
    "lang.zh": ("中文", "Chinese"),
    "lang.en": ("英文", "English"),
    "kind.visit": ("拜访", "Visit"),
    "kind.call": ("电话", "Call"),
    "kind.complaint": ("投诉", "Complaint"),
    "kind.knowledge": ("知识", "Knowledge"),
    "difficulty.easy": ("简单", "Easy"),
    "difficulty.medium": ("中等", "Medium"),
    "difficulty.hard": ("困难", "Hard"),
    "preview.client": ("客户", "Client"),
    "preview.pass_mark": ("及格线", "Pass mark"),
    "preview.objectives": ("考核要点", "What is assessed"),
    "preview.brief": ("任务说明", "Brief"),
    # preparation
    "prep.title": ("拜访前准备：选择要带的物品", "Before the visit: pick what to bring"),
    "prep.help": ("空格勾选，Tab 到“准备好了”后回车。准备情况计入成绩。",
                  "Space ticks an item; Tab to “Ready” and press Enter. Preparation counts in the score."),
    "prep.tick": ("勾选", "Tick"),
    "prep.count": ("已选 {picked}/{total} 项", "{picked} of {total} picked"),
    "prep.done": ("准备好了", "Ready"),
    # play screen
    "play.client": ("客户", "Client"),
    "play.you": ("我", "Me"),
    "play.placeholder": ("输入你的回答，或 /动作（Tab 补全）", "Type your reply, or an /action (Tab completes)"),
    "play.mood": ("客户心情", "Client mood"),
    "play.objectives": ("目标", "Objectives"),
    "play.actions": ("动作", "Actions"),
    "play.brief": ("任务", "Brief"),
    "play.hints": ("提示：此刻可以这样说", "Hints: phrases that fit now"),
    "play.no_hints": ("此刻没有提示。", "No hints for this moment."),
    "play.feedback_none": ("未识别到礼貌用语", "No courteous phrase recognised"),
    "play.feedback_recorded": ("已记录", "Recorded"),
    "play.taboo": ("忌语", "Taboo"),
    "play.silence": ("（沉默）", "(silence)"),
    "play.mood_change": ("心情 {delta}", "mood {delta}"),
    "play.ended": ("对话结束，按回车查看成绩。", "The conversation is over: press Enter for the score sheet."),
    "play.time_left": ("剩余 {seconds} 秒", "{seconds} s left"),
    "play.leave_confirm": ("再按一次 Esc 结束对话。", "Press Esc again to end the conversation."),
    "play.time_up": ("时间到，本轮按沉默处理。", "Time is up: this turn counts as silence."),
    "play.diverged": ("场景或用语手册在中断后有改动：已保存的回答保持不变，接下来按新内容继续。",
                      "The scenario or phrasebook changed since the break: the stored replies stay as they were; "
                      "the rest follows the new content."),
    "play.lease_lost": ("这次作答已被另一个终端接管，这里不再记录。", "Another terminal took this attempt over: nothing more is recorded here."),
    "play.not_in_assessment": ("考核模式下不可用。", "Not available in assessment mode."),
    "play.retries_left": ("还可重试 {count} 次", "{count} retries left"),
    "play.reply_cut": ("回答过长，只保留前 {count} 个字符。", "Reply too long: only the first {count} characters were kept."),
    "play.store_error": ("成绩无法保存：{error}", "The attempt cannot be saved: {error}"),
    # debug view
    "debug.title": ("教练调试", "Coach debug"),
    "debug.state": ("状态", "State"),
    "debug.rules": ("可触发的规则", "Rules that could fire"),
    "debug.scores": ("匹配原始分（上一句）", "Matcher raw scores (last reply)"),
    "debug.none": ("（无）", "(none)"),
    # result screen
    "result.title": pair("score_sheet"),
    "result.total": ("总分 {total} / {max}（{percent}%），及格线 {pass_mark} 分",
                     "Total {total} / {max} ({percent}%), pass mark {pass_mark}"),
    "result.passed": pair("passed"),  # the sheets' own words (core/reports/labels.py): one vocabulary
    "result.failed": pair("failed"),
    "result.abandoned": pair("abandoned"),
    "result.over_time": pair("over_time"),
    "result.hard_failed": ("一票否决：{checks}", "Failed outright on: {checks}"),
    "result.checks": pair("checks"),
    "result.turns": ("逐轮回顾", "Turn by turn"),
    "result.no_evidence": pair("no_evidence"),
    "result.retry": ("重来", "Retry"),
    "result.export": ("导出", "Export"),
    "result.back": ("返回列表", "Back to list"),
    "result.exported": ("成绩单已导出：{paths}", "Score sheet exported: {paths}"),
    "result.downloaded": ("成绩单已发送到浏览器下载：{name}", "Score sheet sent to your browser's downloads: {name}"),
    "result.export_failed": ("导出失败：{error}", "Export failed: {error}"),
    "result.outcome": pair("outcome"),
    "result.recognised": pair("labels"),
    # phrasebook
    "book.title": ("礼貌用语手册", "Phrasebook"),
    "book.phrases": ("例句", "Phrases"),
    "book.negative": ("（忌语：绝不能说）", "(taboo: never say these)"),
    "book.language": ("例句语言：{lang}（按 L 切换）", "Phrase language: {lang} (L switches)"),
    # history
    "history.title": ("练习记录", "History"),
    "history.trend": ("得分趋势（旧 → 新）", "Score trend (old → new)"),
    "history.empty": ("还没有记录。", "No attempts yet."),
    "history.no_store": ("记录库不可用：{error}", "The attempt store is unavailable: {error}"),
    "history.col_when": ("时间", "When"),
    "history.col_scenario": ("场景", "Scenario"),
    "history.col_mode": ("模式", "Mode"),
    "history.col_score": ("得分", "Score"),
    "history.col_result": ("结果", "Result"),
    "history.unfinished": ("未完成", "unfinished"),
    # help
    "help.title": ("帮助", "Help"),
    "help.close": ("按 Esc 关闭", "Esc closes"),
    # key binding labels (footer)
    "key.help": ("帮助", "Help"),
    "key.quit": ("退出", "Quit"),
    "key.start": ("开始", "Start"),
    "key.send": ("发送", "Send"),
    "key.lang": ("中/EN", "中/EN"),
    "key.mode": ("模式", "Mode"),
    "key.book": ("用语手册", "Phrasebook"),
    "key.history": ("记录", "History"),
    "key.hint": ("提示", "Hint"),
    "key.debug": ("调试", "Debug"),
    "key.back": ("返回", "Back"),
    "key.leave": ("结束对话", "End talk"),
    "key.retry": ("重来", "Retry"),
    "key.export": ("导出", "Export"),
    "key.switch_phrases": ("切换语言", "Switch language"),
    # command palette
    "cmd.search": ("搜索命令…", "Search for commands…"),
    "cmd.book": ("打开礼貌用语手册", "Open the phrasebook"),
    "cmd.history": ("查看练习记录与趋势", "Show past attempts and the score trend"),
    "cmd.help": ("显示按键帮助", "Show key bindings"),
    "cmd.lang": ("切换界面语言", "Switch the UI language"),
    "cmd.debug": ("切换教练调试视图", "Toggle the coach debug view"),
    "cmd.hint": ("显示此刻适用的用语", "Show phrases that fit this moment"),
    "cmd.quit": ("退出程序", "Quit the trainer"),
}

HELP_TEXT = {
    "zh": """\
# 按键

| 按键 | 作用 |
|---|---|
| F1 或 ? | 帮助 |
| Ctrl+P | 命令面板 |
| F4 | 礼貌用语手册（仅练习模式） |
| F5 | 练习记录与得分趋势（仅练习模式） |
| F6 | 切换界面语言（中/EN） |
| Ctrl+Q | 退出 |

## 场景列表
上下键选择场景，回车开始；在搜索框输入关键字过滤；F7 切换练习/考核模式。

## 对话中
- 输入回答后按回车发送；以 `/` 开头是动作（如 `/card` 递名片），Tab 补全。
- F2 提示（仅练习模式）：此刻适用的礼貌用语。
- F3 教练调试视图（仅练习模式）：当前状态、匹配原始分、可触发的规则。
- 考核模式下没有提示、调试、手册和记录，也不逐句点评；反馈在考核结束后的成绩单上。
- 连按两次 Esc 提前结束对话并查看成绩。

## 成绩单
R 重来（仅练习），E 导出带完整性校验的 Markdown 和 JSON（与 roleplay report 相同），Esc 返回列表。
""",
    "en": """\
# Keys

| Key | What it does |
|---|---|
| F1 or ? | Help |
| Ctrl+P | Command palette |
| F4 | Phrasebook (practice only) |
| F5 | History and score trend (practice only) |
| F6 | Switch the UI language (中/EN) |
| Ctrl+Q | Quit |

## Scenario list
Up/Down picks a scenario, Enter starts it; type in the search box to filter; F7 switches practice/assessment.

## In the conversation
- Type a reply and press Enter; a reply starting with `/` is an action (e.g. `/card` hands over your card), Tab completes it.
- F2 hints (practice only): courteous phrases that fit this moment.
- F3 coach debug view (practice only): current state, the matcher's raw scores, the rules that could fire.
- An assessment has no hints, debug view, phrasebook or history and no per-turn feedback: the feedback comes on
  the score sheet afterwards.
- Esc twice ends the conversation early and shows the score sheet.

## Score sheet
R retries (practice only), E exports Markdown and JSON with an integrity stamp (as `roleplay report` does),
Esc goes back to the list.
""",
}


def colon(lang: str) -> str:
    """The label colon: full-width in Chinese (no space after, so the label never wraps alone)."""
    return ": " if lang == "en" else "："


def tr(lang: str, key: str, /, **values: object) -> str:
    """The UI string `key` in `lang` (zh or en), with {placeholders} filled. Unknown keys raise KeyError."""
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def default_language(environ: dict[str, str] | None = None) -> str:
    """zh when the user's locale is Chinese, else en (LC_ALL > LC_MESSAGES > LANG, as POSIX orders them)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if environ is None:
        found = locale.getlocale()[0] or ""
        return "zh" if found.lower().startswith("zh") else "en"
    return "en"
