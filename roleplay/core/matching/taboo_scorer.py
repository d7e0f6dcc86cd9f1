"""A trained, deterministic scorer for rudeness the phrase families miss, and for the kind of a taboo reply.

Features are structural cues (你 where 您 is due, a question mark after 还想, a polite formula and then a
refusal, SHOUTED words, …) and character n-grams (zh) or words and word pairs (en). The weights are a
logistic regression fitted by tools/train_taboo.py on the labelled reply sets and shipped as JSON in
roleplay/core/matching/data/; a second, multinomial head names the kind (brush_off, blame, …).
Scoring is plain dictionary look-ups (no numpy at run time): a few tens of microseconds per reply.
Every decision carries the cues that weighed most, so a trainee and a coach can see why.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from roleplay.core.lang.normalize import compact, words
from roleplay.core.matching.clause_cues import en_clause_cues, zh_clause_cues

DATA = Path(__file__).resolve().parent / "data"
MAX_CUES = 3  # cues listed with a decision
READABLE_AMONG = 10  # a decision needs a word, word pair or structure among this many strongest cues
MIN_UNITS = {"zh": 6, "en": 4}  # shorter replies carry too little structure to judge: the families decide
# Longer replies sum the evidence of many n-grams, so a long, sincere, multi-clause reply drifts over the
# threshold by length alone (two good blind playthroughs did in round 3). Rude lines are short: 95% of the
# labelled taboo replies are at most 26 characters / 17 words. Longer replies are left to the families.
MAX_UNITS = {"zh": 32, "en": 25}
# English: the scorer judges only a reply that speaks to the client (you, your …). A plain statement with a
# negation ("The interest payment did not go through.") is a fact, however many "not"s it carries; the
# rudeness the families do not list (blame, contempt, sarcasm, threats) is aimed at the client by name.
_ADDRESS = {"en": re.compile(r"\b(you|your|yours|yourself|yourselves|ya|u|ur)\b", re.IGNORECASE)}

_QUESTION = re.compile(r"[?？]")
_EXCLAIM = re.compile(r"[!！]")
_SHOUT = re.compile(r"\b[A-Z]{2,}\b")
# Capitals that are names, not shouting (round 7: "Bring your ID and the last three bills" read as SHOUTED)
_ACRONYMS = frozenset(
    "ID PIN OTP SMS ATM KYC PDF HR IT CEO CFO MD VIP UK US USA EU GST VAT IBAN SWIFT EMI APR SIM ASAP OK TV CC PS AM PM "
    "NRIC IC PAN UPI NEFT RTGS IMPS BNPL ISA FD RD KPI ROI GB MB POS QR SME LLC LTD PLC INC CIF FAQ SSN DOB NI NHS "
    "IRS HMRC BVN NIN CBN RBI MAS HSBC DBS OCBC UOB GTB BDO BPI ANZ NAB CBA RBC TD BMO CIBC BNS AIB BOI".split())
_ELLIPSIS = re.compile(r"(…|\.\.\.|。。)")
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_REPEAT_ZH = re.compile(r"(.)\1\1|(..)\2")  # 好好好, 行行行, 是是是, 快点快点

# structural cues: (name, pattern on the normalised text) per language; names are shown as evidence
_ZH_CUES = (
    ("礼貌词", re.compile(r"谢谢|感谢|抱歉|不好意思|对不起|请|麻烦")),
    ("拒绝", re.compile(r"不行|办不了|不能|没办法|不归|不管|不知道|不懂|不会")),
    ("还想/也想", re.compile(r"还想|也想|还要")),
    ("自己", re.compile(r"自己|自个")),
    ("终于", re.compile(r"终于")),
    ("就/只", re.compile(r"就是|只管|就行|就完")),
    ("领导/单位", re.compile(r"领导|单位|老总|老板|担保人|法院|律师|起诉")),
    ("几遍", re.compile(r"[三两几八百]遍|[三两几八]次")),
    # round 3: the structures of set C's misses, as cues the weights can learn across wordings
    ("您这…", re.compile(r"[您你]这(?!边|里|儿|个月|次|么|样的话)")),
    ("好意思", re.compile(r"好意思(?!打扰|麻烦)")),
    ("反问：哪/谁/凭什么", re.compile(r"哪家|哪来|哪有|谁让|谁叫|凭什么|怎么不|难道")),
    ("早干嘛/当初", re.compile(r"早干|早知|当初|早就说")),
    ("又…了", re.compile(r"又[^，。！？]{0,6}了")),
    ("呗/嘛", re.compile(r"[呗嘛]")),
    ("催促", re.compile(r"快点|赶紧|赶快|抓紧|麻利")),
    ("本事/佩服", re.compile(r"本事|厉害|佩服|了不起|真行|真高")),
    ("家人/法务", re.compile(r"家里人|家人|财务部|法务|催收|上门")),
    ("别…", re.compile(r"(^|[，,。 ])别")),
    # issue 10, round 5: cues of the courteous categories (roleplay.core.matching.label_scorer) — a concrete
    # time whatever its digits, and the speaker committing to act
    ("时间", re.compile(r"(\d{1,2}|[一二两三四五六七八九十]{1,3})[点:：]|周[一二三四五六日天末]|星期|礼拜|明天|后天|"
                       r"上午|下午|今晚|月底|号[之以]?前")),
    ("我会/我来", re.compile(r"我(会|来|马上|尽快|立刻|这就|一定|再)")),
    # round 6: the structures of training sets 3-5's misses — told again and again, 连…都不会, a put-down, a sanction
    ("第N遍", re.compile(r"第[二三四五六七八九十几\d]+[遍次回]|多少[回遍次]|[说讲]半天")),
    ("连…都", re.compile(r"连[^，。！？]{1,8}都(不|没|嫌)")),
    ("想多了", re.compile(r"想多了|差得远|还谈什么|也配|就凭")),
    ("后果", re.compile(r"通报|冻了|冻结|给[你您]停|给[你您]拆|拆了|追究|全村|人事部")),
)
_EN_CUES = (
    ("you (bare)", re.compile(r"\byou\b")),
    ("polite formula", re.compile(r"\b(please|thank|thanks|sorry|apologi[sz]e|kindly)\b")),
    ("refusal", re.compile(r"\b(cannot|can not|no|not|never|nothing)\b")),
    ("your boss/lawyers", re.compile(r"\b(boss|lawyers?|court|guarantor|md|employer|family)\b")),
    ("yourself", re.compile(r"\byourself\b")),
    ("finally", re.compile(r"\bfinally\b")),
    ("should have", re.compile(r"\bshould( not)? have\b")),
    ("again", re.compile(r"\bagain\b")),
    # round 3: the structures of set C's misses, as cues the weights can learn across wordings
    ("you people", re.compile(r"\byou (people|guys|lot)\b")),
    ("like you", re.compile(r"\blike (you|yours)\b")),
    ("next time", re.compile(r"\bnext time\b")),
    ("already", re.compile(r"\balready\b")),
    ("or not", re.compile(r"\bor not\b")),
    ("your fault", re.compile(r"\b(your own|your fault|on you|your problem|your end)\b")),
    ("mate", re.compile(r"\b(mate|pal|buddy|sweetheart|darling|sunshine)\b")),
    ("or else", re.compile(r"\b(or else|and see|unless|or we will|or i will)\b")),
    ("praise word", re.compile(r"\b(great|brilliant|impressive|lovely|wonderful|congratulations|bravo|genius|achievement)\b")),
    ("clearly", re.compile(r"\b(clearly|obviously|hardly|apparently|exactly)\b")),
    # issue 10, round 5: cues of the courteous categories (roleplay.core.matching.label_scorer)
    ("a time", re.compile(r"\b\d{1,2}( ?: ?\d\d)? ?(am|pm|o'?clock)\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|"
                          r"\b(tomorrow|tonight|noon|midday)\b|\bend of (the )?(day|week|month)\b")),
    ("I will", re.compile(r"\b(i ll|i will|we ll|we will|let me|i can)\b")),
)


def features(text: str, lang: str) -> dict[str, float]:
    """Named features of one reply: structural cues and n-grams (the training script uses this too)."""
    f: dict[str, float] = {}
    raw = text.strip()
    if _QUESTION.search(raw):
        f["?question"] = 1.0
    if _EXCLAIM.search(raw):
        f["?exclamation"] = 1.0
    if _ELLIPSIS.search(raw):
        f["?ellipsis"] = 1.0
    if _EMOJI.search(raw):
        f["?emoji"] = 1.0
    if lang == "zh":
        key = compact(raw)
        for name, pattern in _ZH_CUES:
            if pattern.search(key):
                f["?" + name] = 1.0
        if _REPEAT_ZH.search(key):
            f["?叠词"] = 1.0
        if "?礼貌词" in f and "?拒绝" in f:
            f["?礼貌词 + 拒绝"] = 1.0
        if "?还想/也想" in f and "?question" in f:
            f["?还想…？"] = 1.0
        f.update(zh_clause_cues(raw))
        # 你 for 您 is how many people type, not rudeness by itself: the n-grams read both alike
        folded = key.replace("你", "您")
        grams = {folded[i:i + n] for n in (2, 3) for i in range(len(folded) - n + 1)}  # single characters are noise
        for g in grams:
            f[g] = 1.0
        f["?short"] = 1.0 if len(key) <= 8 else 0.0
    else:
        ws = words(raw)
        joined = " " + " ".join(ws) + " "
        for name, pattern in _EN_CUES:
            if pattern.search(joined):
                f["?" + name] = 1.0
        if any(w not in _ACRONYMS for w in _SHOUT.findall(raw.replace("I ", "i "))):
            f["?SHOUTED word"] = 1.0
        if "?polite formula" in f and "?refusal" in f:
            f["?polite formula + refusal"] = 1.0
        f.update(en_clause_cues(raw, ws))
        for i, w in enumerate(ws):
            f[w] = 1.0
            if i:
                f[ws[i - 1] + " " + w] = 1.0
        for i in range(len(joined) - 4):  # word pieces across word edges: shouldve, your size
            f["~" + joined[i:i + 5]] = 1.0
        f["?short"] = 1.0 if len(ws) <= 5 else 0.0
    return f


def reply_size(text: str, lang: str) -> int:
    """A reply's length as the scorers' gates count it: characters (zh, punctuation and spaces aside) or words."""
    return len(compact(text)) if lang == "zh" else len(words(text))


def may_judge(text: str, lang: str, address: bool = True, max_units: dict[str, int] | None = None) -> bool:
    """Whether the scorer may decide on this reply on its own: a rude line's length, and (en) addressed to the
    client; a scorer trained for another category (compliance) ships its own length and address gate."""
    size = reply_size(text, lang)
    pattern = _ADDRESS.get(lang) if address else None
    return (MIN_UNITS.get(lang, 1) <= size <= (max_units or MAX_UNITS).get(lang, size)
            and (pattern is None or pattern.search(text) is not None))


@dataclass(frozen=True)
class Verdict:
    probability: float
    taboo: bool
    kind: str | None
    cues: tuple[str, ...]


class TabooScorer:
    """The shipped weights of one language: `score(text)` gives a Verdict."""

    def __init__(self, data: dict[str, Any]):
        self.lang: str = data["lang"]
        self.address: bool = data.get("address", True)
        self.max_units: dict[str, int] | None = data.get("max_units")
        self.bias: float = data["bias"]
        self.weights: dict[str, float] = data["weights"]
        self.threshold: float = data["threshold"]
        # English: a reply that does not speak to the client is judged too, against a higher bar chosen the same way
        # (out-of-fold, on such replies alone): rudeness without a "you" ("Sign. Here. Now.", "Can't be done. Next
        # please.") was beyond the scorer, and the higher bar keeps a plain fact with a "not" clean (round 6)
        self.threshold_unaddressed: float | None = data.get("threshold_unaddressed")
        self.detects: bool = data.get("detects", True)  # False: the scorer only names kinds (see train_taboo.py)
        self.kind_bias: dict[str, float] = data["kind_bias"]
        self.kind_weights: dict[str, dict[str, float]] = data["kind_weights"]

    def score(self, text: str) -> Verdict:
        return self.judge(features(text, self.lang), text)

    def bar(self, text: str) -> float | None:
        """The probability this reply must reach to be flagged, or None when the scorer may not judge it."""
        if may_judge(text, self.lang, self.address, self.max_units):
            return self.threshold
        if self.threshold_unaddressed is not None and may_judge(text, self.lang, False, self.max_units):
            return self.threshold_unaddressed
        return None

    def judge(self, f: dict[str, float], text: str) -> Verdict:
        """The verdict on a reply whose features are already computed (the matcher shares them)."""
        weights = self.weights
        contributions = {k: weights[k] * v for k, v in f.items() if k in weights}
        z = self.bias + sum(contributions.values())
        p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        if p < self.threshold:  # no decision: nothing to explain (most replies; the sorting below is the cost)
            return Verdict(p, False, None, ())
        ranked = [k for k, c in sorted(contributions.items(), key=lambda kv: -kv[1]) if c > 0]
        # a decision must rest on evidence a trainee can read: a word, a word pair or a structure among its
        # strongest cues, not word pieces alone ("Consider it carefully before you sign": “you s”, “re yo”);
        # the readable ones are shown first. Round 6: requiring one among the top three left 74 rude lines of the
        # labelled sets unflagged whose pieces outweighed their words ("keep shouting and i call security…")
        readable = any(not k.startswith("~") for k in ranked[:READABLE_AMONG])
        shown = [k for k in ranked if not k.startswith("~")] + [k for k in ranked if k.startswith("~")]
        cues = top_cues(as_typed(show_cue(k, self.lang), text, self.lang) for k in shown)
        bar = self.bar(text)
        flagged = self.detects and readable and bar is not None and p >= bar
        return Verdict(p, flagged, self.kind(f)[0] if flagged else None, cues)

    def kind(self, f: dict[str, float]) -> tuple[str | None, tuple[str, ...]]:
        """The most likely kind of a taboo reply, and the cues that point to it."""
        best, best_z, best_parts = None, -math.inf, {}
        for kind, weights in self.kind_weights.items():
            parts = {k: weights[k] * v for k, v in f.items() if k in weights}
            z = self.kind_bias.get(kind, 0.0) + sum(parts.values())
            if z > best_z:
                best, best_z, best_parts = kind, z, parts
        cues = top_cues(show_cue(k, self.lang) for k, c in sorted(best_parts.items(), key=lambda kv: -kv[1]) if c > 0)
        return best, cues

    def kind_of(self, text: str) -> str | None:
        return self.kind(features(text, self.lang))[0]


_GENERAL = {  # cues shared by both languages, as each language shows them
    "zh": {"question": "反问", "exclamation": "感叹", "ellipsis": "省略号", "emoji": "表情", "short": "短句"},
    "en": {"question": "a question", "exclamation": "an exclamation", "ellipsis": "an ellipsis",
           "emoji": "an emoji", "short": "a short line"},
}


def top_cues(shown: Iterable[str]) -> tuple[str, ...]:
    """The first MAX_CUES distinct cues (a word and the word piece around it read the same: “not”)."""
    out: list[str] = []
    for cue in shown:
        if cue not in out:
            out.append(cue)
            if len(out) == MAX_CUES:
                break
    return tuple(out)


def show_cue(feature: str, lang: str = "en") -> str:
    """A feature as a trainee reads it: a cue's name, or the words in quotes."""
    if feature.startswith("?"):
        return _GENERAL[lang].get(feature[1:], feature[1:])
    return f"“{feature[1:].strip() if feature.startswith('~') else feature}”"


def as_typed(cue: str, text: str, lang: str) -> str:
    """An n-gram the scorer read with 你 folded to 您, shown as the trainee typed it."""
    if lang != "zh" or "您" not in cue or not cue.startswith("“"):
        return cue
    key = compact(text)
    gram = cue[1:-1]
    at = key.replace("你", "您").find(gram)
    return f"“{key[at:at + len(gram)]}”" if at >= 0 else cue


@lru_cache(maxsize=4)
def load_scorer(lang: str, path: str | None = None, category: str = "taboo") -> TabooScorer | None:
    """The shipped scorer of a category in a language (None when no weights file ships for it)."""
    file = Path(path) if path else DATA / f"{category}_{lang}.json"
    try:
        return TabooScorer(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None
