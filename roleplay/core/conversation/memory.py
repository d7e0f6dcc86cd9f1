"""Conversation memory: the facts a trainee gives (times, deadline, phone, amounts, documents, names) as said.

Built-in facts come from the phrasebook's slot values ({day}, {ampm}, {clock}, {time_limit}, {org},
{weekday} …) and a few number patterns; a scenario adds its own under `memory:` (word lists or
phrasebook templates). Rules test facts (`known:` / `not_known:`), client lines use `{said.NAME}`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from roleplay.core.lang.normalize import compact, fold, words
from roleplay.core.phrasebook.templates import compile_template

# `time` is the one the client picked among the offered times; it is known once a time was offered
LABELS = {
    "zh": {"offered_times": "提出的时间", "time": "约定时间", "deadline": "答复时限", "phone": "电话",
           "amount": "金额", "documents": "材料", "client_name": "称呼", "org": "单位"},
    "en": {"offered_times": "times offered", "time": "time agreed", "deadline": "reply by", "phone": "phone",
           "amount": "amount", "documents": "documents", "client_name": "name used", "org": "organisation"},
}
_DOCUMENTS = {
    "zh": ["营业执照", "身份证", "法人身份证", "财务报表", "财务报告", "审计报告", "公司章程", "贷款卡", "税务登记证",
           "开户许可证", "组织机构代码证", "验资报告", "购销合同", "合同", "发票", "授权书", "担保函", "同意展期",
           "借款合同", "抵押物清单", "产权证明", "房产证", "银行流水", "纳税证明", "征信报告", "申请书", "展期申请"],
    "en": ["business licence", "business license", "id card", "passport", "financial statements", "bank statements",
           "articles of association", "tax returns", "tax certificate", "audit report", "contracts", "contract",
           "invoices", "invoice", "proof of address", "guarantee", "collateral", "application form", "payslips",
           "credit report", "board resolution", "cash flow"],
}
_PHONE = re.compile(r"(?<![\d.])(?:\+?86[ -]?)?(1[3-9]\d[ -]?\d{4}[ -]?\d{4}|0\d{2,3}[ -]?\d{7,8}|\d{3,4}[ -]\d{3,4}[ -]\d{4}"
                    r"|95\d{3}|100\d{2}|400[ -]?\d{3}[ -]?\d{4})(?![\d.])")
_AMOUNT = {
    "zh": re.compile(r"(?:\d+(?:[.,]\d+)?|[零一二两三四五六七八九十百千万]+)\s*(?:万元|元钱|块钱|亿元|元|块|万|亿|折|个点|%|％)"),
    "en": re.compile(r"(?:[$¥£€]|rmb ?|usd ?)\d[\d,]*(?:\.\d+)?(?: ?k\b)?|\d[\d,]*(?:\.\d+)? ?(?:yuan|dollars|rmb|percent|%|k\b)"),
}
_DEADLINE_AFTER = {"zh": r"(?:之前|以前|之内|以内|前|内)", "en": None}
_DEADLINE_BEFORE = {"zh": None, "en": r"(?:by|before|within|no later than) (?:the )?(?:end of )?"}
_ZH_WEEKDAY = r"(?:下下|下个?|这个?|本|上个?)?(?:周|星期|礼拜)[一二三四五六日天末]"
_CLOCK_EXTRA = {"zh": r"(?:半|一刻|三刻|\d{1,2}分?|[一二三四五]十分?|钟)?", "en": r"(?:[: ]?\d\d)?(?: ?(?:am|pm|o'clock|oclock))?"}
_JOIN = {"zh": "、", "en": ", "}
# a time said with these words is when the trainee will answer (a deadline), not a time offered to meet
_CALLBACK_WORDS = {
    "zh": ("回电", "回复", "答复", "回您", "给您打", "联系您", "通知您", "回个电话"),
    "en": ("call you back", "get back to you", "call back", "let you know", "ring you", "back to you"),
}
_OR = {"zh": "或", "en": " or "}
# a remembered value with one of these just before it in its clause was refused, not said (scenario word lists)
_NEGATION = {"zh": re.compile(r"不|没|别|无法|未必"), "en": re.compile(r"\b(?:not|no|never|cannot)\b|n't")}
_NEGATION_WINDOW = {"zh": 8, "en": 24}
_CLAUSE = r"[。！？!?;；,，.]"
# said alone, these place the call itself (今天打电话是想… / I'm calling today to…), not a time to meet
_NOT_A_TIME = {"zh": {"今天", "今儿", "这周", "本周", "日", "号"}, "en": {"today", "this week", "now"}}
# once the client has agreed a time, another time replaces it only when the trainee asks to change it;
# otherwise the client keeps what was agreed (and says it back), as a person holding a diary would
_CHANGE = {
    "zh": re.compile(r"改|换|调到|调整|挪|推迟|推后|提前|不如|要不"),
    "en": re.compile(r"\b(?:change|move|moving|instead|reschedul\w*|rather|swap|push (?:it )?back|bring (?:it )?forward)\b"),
}


def _alternation(values: list[str]) -> str:
    return _alternation_of(tuple(values))


@lru_cache(maxsize=256)  # every session of a scenario builds the same few alternations from the same slots
def _alternation_of(values: tuple[str, ...]) -> str:
    return "|".join(re.escape(v) for v in sorted(set(values), key=len, reverse=True) if v)


@dataclass
class Capture:
    """A scenario-declared fact: recorded when one of `values` or a template match occurs in a reply."""

    name: str
    values: list[str] = field(default_factory=list)
    patterns: list[re.Pattern[str]] = field(default_factory=list)


def compile_capture(name: str, values: list[str], templates: list[str], slots: dict[str, list[str]],
                    lang: str) -> Capture:
    """A scenario's `memory:` entry with its templates compiled as the matcher compiles phrasebook templates."""
    en = lang == "en"
    literal = (lambda t: "".join(re.escape(w) + " " for w in words(t))) if en else (lambda t: re.escape(compact(t)))
    return Capture(name, list(values), [compile_template(t, slots, literal, en) for t in templates])


def template_form(text: str, lang: str) -> str:
    """A reply in the form templates run on: compact characters (zh) or space-separated words (en)."""
    return " " + " ".join(words(text)) + " " if lang == "en" else compact(text)


class Memory:
    """What the client has heard so far: fact name -> values in the order they were said."""

    def __init__(self, lang: str, slots: dict[str, list[str]], client_name: str = "",
                 captures: list[Capture] | None = None, rng: random.Random | None = None,
                 not_negation: list[str] | None = None):
        self.lang = lang
        # the phrasebook's words that end in a negation but negate nothing (特别一定能批 is a promise, not 别)
        self._not_negation = re.compile(_alternation(not_negation)) if not_negation else None
        self.facts: dict[str, list[str]] = {}
        self.captures = captures or []
        self.client_name = client_name
        self.rng = rng or random.Random(0)
        self._chosen: str | None = None
        self.agreed = False  # the client said the picked time back ({said.time} in a line it said)
        self._last_offered: list[str] = []
        self._time = self._time_pattern(slots)
        self._org = re.compile(_alternation(slots.get("org", []))) if slots.get("org") else None
        limits = [v for v in slots.get("time_limit", []) if re.search(r"前|内|之|小时|工作日|by|before|within", v)]
        self._limit = re.compile(_alternation(limits)) if limits else None
        self._docs = re.compile(_alternation(_DOCUMENTS[lang]))

    def _time_pattern(self, slots: dict[str, list[str]]) -> re.Pattern[str] | None:
        day = slots.get("day") or slots.get("weekday") or []
        ampm, clock = slots.get("ampm", []), slots.get("clock", [])
        if not (day or ampm or clock):
            return None
        if self.lang == "zh":
            d, a, c = (f"(?:{_alternation(v)})" if v else "(?!)" for v in (day, ampm, clock))
            d = f"(?:{_ZH_WEEKDAY}|{d[3:-1]})"  # 下周二 is one day, not 下周 + 二
            c += _CLOCK_EXTRA["zh"]
            return re.compile(f"(?:{d}(?:的)?)?(?:{a})?(?:{c})?")
        d = f"(?:{_alternation(day)})" if day else "(?!)"
        a = f"(?:(?:in the |this |tomorrow )?(?:{_alternation(ampm)}))" if ampm else "(?!)"
        c = f"(?:(?:at )?(?:{_alternation(clock)}){_CLOCK_EXTRA['en']})" if clock else "(?!)"
        unit = f"(?:{d}|{a}|{c})"
        # "Tuesday, sometime in the afternoon" is one time (round 9: the client booked "in the afternoon" alone)
        return re.compile(rf"\b{unit}(?:,? (?:sometime |some time |around |about )?(?:on |at |in the )?{unit}){{0,3}}\b")

    # capture ------------------------------------------------------------------------------------
    def capture(self, text: str) -> dict[str, list[str]]:
        """Record the facts in one reply; return the ones it added (name -> new values)."""
        said = fold(text or "")
        if not said.strip():
            return {}
        # the writer's own casing (Thursday, not thursday) when folding kept the positions
        shown = (lambda span: text[span[0]:span[1]].strip(" ,")) if len(text) == len(said) else None
        new: dict[str, list[str]] = {}
        deadline_spans: list[tuple[int, int]] = []
        for value, span in sorted(self._deadlines(said), key=lambda d: d[1][0] - d[1][1]):  # longest first
            if not any(s < span[1] and span[0] < e for s, e in deadline_spans):
                self._add(new, "deadline", shown(span) if shown else value)
                deadline_spans.append(span)
        callback_spans = [m.span() for m in re.finditer(r"[^。！？!?;；.，,]+", said)
                          if any(word in m.group(0) for word in _CALLBACK_WORDS[self.lang])]
        times = [(shown(span) if shown else v, span) for v, span in self._times(said)
                 if not any(s <= span[0] < e for s, e in deadline_spans)]
        offered = []
        for value, span in times:  # 我明天上午给您回电: when the answer comes, not a time to meet
            if any(s <= span[0] < e for s, e in callback_spans):
                self._add(new, "deadline", value)
            else:
                offered.append(value)
        for value in offered:
            self._add(new, "offered_times", value)
        if self.agreed and self._chosen:  # "see you on Thursday" after Thursday afternoon was agreed changes nothing
            offered = [v for v in offered if v.casefold() not in self._chosen.casefold()]
            if not _CHANGE[self.lang].search(said):  # a slip or a mishearing: the agreed time stands
                offered = []
        if offered:
            self._last_offered = list(dict.fromkeys(offered))
            self._chosen = None
            self.agreed = False
        for m in _PHONE.finditer(said):
            self._add(new, "phone", m.group(0).strip())
        for m in _AMOUNT[self.lang].finditer(said):
            self._add(new, "amount", m.group(0).strip())
        for m in self._docs.finditer(said):
            self._add(new, "documents", m.group(0))
        if self._org and not self.facts.get("org"):  # the trainee's own unit, named once in the introduction
            org = next((m for m in self._org.finditer(said) if self.lang == "zh" or _word_bounded(said, m)), None)
            if org:  # the first organisation named: 建设银行 of 建设银行高新区支行
                self._add(new, "org", org.group(0))
        if self.client_name and fold(self.client_name) in said:
            self._add(new, "client_name", self.client_name)
        form = template_form(text, self.lang) if any(c.patterns for c in self.captures) else ""
        for cap in self.captures:
            found = [v for v in cap.values if fold(v) in said and not self._negated(said, fold(v))]
            for value in found:  # 不用签合约 and not also its part 不用签
                if not any(value != other and fold(value) in fold(other) for other in found):
                    self._add(new, cap.name, value)
            for pattern in cap.patterns:
                hit = pattern.search(form)
                if hit:
                    self._add(new, cap.name, hit.group(0).strip())
        return new

    def _negated(self, said: str, value: str) -> bool:
        """Every time `value` is said, a negation leads up to it in its clause (没法跟您打包票一定能批, can't say it's
        guaranteed): the client heard it refused, not said."""
        spans = [m.start() for m in re.finditer(re.escape(value), said)]
        window = _NEGATION_WINDOW[self.lang]
        def lead_up(at: int) -> str:
            clause = re.split(_CLAUSE, said[max(0, at - window):at])[-1]
            return self._not_negation.sub(" ", clause) if self._not_negation else clause

        return bool(spans) and all(_NEGATION[self.lang].search(lead_up(at)) for at in spans)

    def _times(self, said: str) -> Iterator[tuple[str, tuple[int, int]]]:
        if self._time is None:
            return
        for m in self._time.finditer(said):
            value = m.group(0).strip(" ,")
            greeting = said[max(0, m.start() - 5):m.start()].endswith("good ") if self.lang == "en" \
                else said[m.end():m.end() + 1] == "好"  # good morning / 上午好 is a greeting, not a time
            # "the day after tomorrow" names the day after it: never "tomorrow"
            after = self.lang == "en" and said[max(0, m.start() - 10):m.start()].endswith("day after ")
            if value and _is_time(value, self.lang) and not greeting and not after \
                    and value.casefold() not in _NOT_A_TIME[self.lang]:
                yield value, m.span()

    def _deadlines(self, said: str) -> Iterator[tuple[str, tuple[int, int]]]:
        if self._limit:
            for m in self._limit.finditer(said):
                yield m.group(0), m.span()
        if self._time is None:
            return
        after, before = _DEADLINE_AFTER[self.lang], _DEADLINE_BEFORE[self.lang]
        if after:
            for m in re.finditer(f"({self._time.pattern}){after}", said):
                if m.group(1) and _is_time(m.group(1), self.lang):
                    yield m.group(0), m.span()
        if before:
            for m in re.finditer(f"{before}({self._time.pattern[2:]})", said):
                if m.group(1) and _is_time(m.group(1), self.lang):
                    yield m.group(0), m.span()

    def _add(self, new: dict[str, list[str]], name: str, value: str) -> None:
        values = self.facts.setdefault(name, [])
        if value and value not in values:
            values.append(value)
            new.setdefault(name, []).append(value)

    # use ------------------------------------------------------------------------------------------
    def known(self, name: str) -> bool:
        if name == "time":
            return bool(self.facts.get("offered_times"))
        return bool(self.facts.get(name))

    def chosen_time(self) -> str:
        """The client's pick among the times offered last (kept until new times are offered)."""
        if self._chosen is None and self._last_offered:
            self._chosen = self.rng.choice(self._last_offered)
        return self._chosen or ""

    def agree_on(self, value: str) -> None:
        """The client said this time back as its pick (a deadline among the times offered): it is the agreed time."""
        self._chosen = value
        self.agreed = True

    def values(self) -> dict[str, str]:
        """`said.NAME` placeholder values for client lines and epilogues."""
        out = {f"said.{name}": _JOIN[self.lang].join(vals) for name, vals in self.facts.items() if vals}
        if self.facts.get("deadline"):  # one answer time stands: the last one said (by 4 pm tomorrow, not both wordings)
            out["said.deadline"] = self.facts["deadline"][-1]
        if self.facts.get("offered_times"):
            out["said.time"] = self.chosen_time()
            out["said.offered_times"] = _OR[self.lang].join(self._last_offered)
        return out

    def summary(self, names: list[str] | None = None, labels: dict[str, str] | None = None) -> list[str]:
        """Readable lines (周四上午10点 / phone: 138…), one per fact, for the score sheet and debug view."""
        shown = LABELS[self.lang] | (labels or {})
        colon = "：" if self.lang == "zh" else ": "
        lines = []
        if names is None:
            names = [n for f in self.facts for n in ((f, "time") if f == "offered_times" else (f,))]
        for name in names:
            if name == "time":
                if self.agreed and self._chosen:
                    lines.append(f"{shown['time']}{colon}{self._chosen}")
            elif name == "offered_times" and self.agreed:
                continue  # the agreed time says it
            elif self.facts.get(name):
                lines.append(f"{shown.get(name, name)}{colon}{_JOIN[self.lang].join(self.facts[name])}")
        return lines

    def snapshot(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.facts.items()}


def _is_time(value: str, lang: str) -> bool:
    """A real time, not just `一点` (a little) or a lone number."""
    if lang == "zh":
        return len(value) >= 2 and value not in ("一点", "点钟", "点半", "半点")
    # a day or a part of the day, or a clock time that says so (at 3, 10am, 3 o'clock): not "three months"
    return bool(re.search(r"[a-z]", value)) and value not in ("at", "on", "this", "in the") and (
        bool(re.search(r"day|week|morning|afternoon|evening|noon|lunch|tonight|tomorrow|\b(?:am|pm|at)\b|o'?clock", value)))


def _word_bounded(text: str, m: re.Match[str]) -> bool:
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    return not before.isalnum() and not after.isalnum()
