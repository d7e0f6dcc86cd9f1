"""How the client's lines of one turn are put together: no sentence twice, a repeat rephrased, rash moves noticed.

A turn often joins two lines (a rule's line, then the next state's entry line); a person does not say
"See you then. See you then." or narrate （挂断）（冯老板挂断了电话）. When every variant of a line has been
said, a question asked again is pressed in other words ("You haven't answered me. When?") rather than repeated.
"""

from __future__ import annotations

import re

from roleplay.core.scenario.lines_check import sentences

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_NARRATION = ("（", "(")

# said when every variant of a line has been heard and the client has to say it again
# (three rounds of blind players found "I'll ask again: So, when?" a template: a person presses with the
# question itself, its lead-in filler dropped — "You haven't answered me. When?")
REPHRASE = {
    "zh": {"question": ["你还没回答我呢，{line}", "说啊，{line}", "还是那个问题，{line}"],
           "statement": ["我刚才说了，{line}", "还是那句话，{line}", "我再说一遍，{line}"]},
    "en": {"question": ["You haven't answered me. {line}", "Well? {line}", "I'm still waiting. {line}"],
           "statement": ["I'll say it again. {line}", "I've told you already. {line}", "Once more. {line}"]},
}
# a filler the line opens with is dropped when it is said again (嗯……那我要怎么办理？ -> 那我要怎么办理？)
_LEAD_FILLER = {"zh": re.compile(r"^(嗯+|哦+|啊+|唉+)[…，,。.！!]*|^那么?[，,]?"),
                "en": re.compile(r"^(so|well|oh|okay|ok|right|hm+)\b[,.…]*\s*", re.IGNORECASE)}

# the client's reaction to a rash move no rule answers, when the coach wrote no `on_rash`: to the kind of promise
# when the reply's fault names one (round 10: one line answered a discount, a refund and "no risk" alike); worded
# loosely, as the kind is sometimes a guess (round 11: "一点风险都没有？" answered a promise of savings, "That cheap?" a rate)
RASH_LINES = {
    "zh": {"promise": ["这可是你说的啊，我可记住了。", "你说得这么肯定？这可是你说的。", "话别说太满，到时候做不到怎么办？"],
           "discount": ["这个折扣你做得了主吗？别回头又说不行。", "这个优惠你们领导知道吗？", "这可是你说的，我记下了。"],
           "guarantee": ["你能打包票？这事不是你一个人说了算的吧。", "你说得这么肯定？到时候办不成我可找你。",
                         "话别说太满，万一办不下来怎么办？"],
           "absolute_claim": ["说得这么绝对？哪有这么好的事。", "每家都这么说。", "说得这么绝对，我反倒不太放心了。"],
           "remark": ["嗯？你这话什么意思？", "你这么说我可不太爱听。", "这话说得有点过了吧？"]},
    "en": {"promise": ["That's a promise, is it? I'll hold you to it.", "Are you sure you can promise that?",
                       "Careful: I'll remember you said that."],
           "discount": ["Can you actually sign off on that?", "Does your manager know you're offering that?",
                        "That's what you said. I'm writing it down."],
           "guarantee": ["You can guarantee that? Isn't it someone else's decision?", "That sure? I'll hold you to it if it falls through.",
                         "Careful. What happens if it doesn't go through?"],
           "absolute_claim": ["That sounds too good to be true.", "Everyone says that.",
                              "When someone sounds that certain, I get nervous."],
           "remark": ["Hm. What's that supposed to mean?", "I'm not sure I like the sound of that.",
                      "That's a bit much, isn't it?"]},
}
RASH_MOOD = -5
_QUOTES = "'\"‘’“”「」『』"


def _key(sentence: str) -> str:
    return _PUNCT.sub("", sentence).casefold()


def _narration(sentence: str) -> bool:
    return sentence.startswith(_NARRATION)


def without_repeats(earlier: list[str], line: str, lang: str) -> str:
    """`line` without the sentences already said in this turn (`earlier`); narration that says the same is dropped too."""
    said = [s for prev in earlier for s in sentences(prev)]
    keys = {_key(s) for s in said}
    told = [_key(s) for s in said if _narration(s)]
    kept: list[str] = []
    for sentence in sentences(line):
        key = _key(sentence)
        if not key or key in keys:
            continue
        if _narration(sentence) and any(key in t or t in key for t in told if t):
            continue  # （挂断） after （冯老板挂断了电话）: the same thing narrated twice
        keys.add(key)
        if _narration(sentence):
            told.append(key)
        kept.append(sentence)
    if len(kept) == len(sentences(line)):
        return line  # nothing dropped: keep the coach's spacing exactly
    return ("" if lang == "zh" else " ").join(kept)


def is_question(line: str) -> bool:
    """Does a client line (its last spoken sentence) ask something?"""
    spoken = [s for s in sentences(line) if not _narration(s)]
    return bool(spoken) and spoken[-1].rstrip().endswith(("?", "？"))


def rephrased(line: str, lang: str, heard: set[str]) -> str:
    """A line the client has to say again, in words not heard yet (narration and empty lines stay as they are)."""
    if not line or line.startswith(_NARRATION):
        return line
    forms = REPHRASE[lang]["question" if is_question(line) else "statement"]
    pressed = line
    while (shorter := _LEAD_FILLER[lang].sub("", pressed).strip()) and shorter != pressed:
        pressed = shorter
    if lang == "en":  # the line starts a sentence of its own after the lead-in ("You haven't answered me. When?")
        pressed = pressed[:1].upper() + pressed[1:]
    options = [form.format(line=pressed) for form in forms]
    return next((o for o in options if o not in heard), options[-1])


_NAMES = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
                    r"june|july|august|september|october|november|december)\b")

_SENTENCE_CAPITAL = re.compile(r"[A-Z][a-z]+\b(?! [A-Z])")  # Tomorrow, Morning, Next week; not "Mr Lee", not "ASAP"


def plain(value: str) -> str:
    """A remembered value as the client says it: plain speech, without the quotation marks it was typed with,
    days and months with their capital (a reply typed "friday" is said back as "Friday"), and a capital that only
    began the trainee's sentence dropped ("Tomorrow at 2?" is said back as "booked for tomorrow at 2")."""
    text = value.strip().strip(_QUOTES).strip()
    if _SENTENCE_CAPITAL.match(text):
        text = text[0].lower() + text[1:]
    return _NAMES.sub(lambda m: m.group(0).capitalize(), text)
