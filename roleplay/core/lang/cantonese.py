"""Written Cantonese folded to the Mandarin words the phrase bank uses (唔好意思 -> 不好意思, 喺呢度签名 -> 在这里签名).

Customer managers in Guangdong and Hong Kong type the way they speak; without this, every family written in
Mandarin missed them (set L: 10 of 31 Cantonese replies wrong, rude ones passing as neutral). Every replacement
keeps the length, so evidence spans still point at the characters typed. Only a text holding a character that
Mandarin does not use is touched: plain Mandarin (系统, 呢 as a particle, 今日) is left exactly as it was.
"""

from __future__ import annotations

import re

# Characters that mark a text as written Cantonese (none is used in everyday Mandarin).
_MARKERS = frozenset("唔冇嘅咗喺哋啲佢嚟咩睇揾畀俾嗰𠮶噉啱嘢乜攞")

# Words that mark it as well, written with characters Mandarin has (而家 · 听日 · 呢度).
_MARKER_WORDS = re.compile("而家|等阵|听日|琴日|寻日|屋企|点解|边度|边个|搞掂|痴线|老细|[上下晏]昼|呢[个度啲间只排]|唔该|多谢晒")

# Longest first; each pair is the same length.
_PHRASES = {
    "唔好意思": "不好意思", "唔该晒": "多谢了", "多谢晒": "多谢了", "得唔得": "行不行", "对唔住": "对不起",
    "冇眼睇": "没眼看", "唔使": "不用", "唔该": "麻烦", "唔好": "不要", "唔识": "不会", "唔关": "不关", "系咪": "是不",
    "真系": "真是", "边个": "哪个", "边度": "哪里", "点解": "为啥", "点样": "怎样", "而家": "现在", "听日": "明天",
    "琴日": "昨天", "寻日": "昨天", "今日": "今天", "下昼": "下午", "上昼": "上午", "晏昼": "中午", "呢个": "这个",
    "呢度": "这里", "呢间": "这间", "呢只": "这只", "呢啲": "这些", "呢排": "最近", "呢边": "这边", "呢单": "这单",
    "呢份": "这份", "呢张": "这张", "呢笔": "这笔", "嗰个": "那个", "嗰度": "那里", "嗰啲": "那些", "等阵": "等会",
    "搞掂": "搞定", "痴线": "有病", "屋企": "家里", "老细": "老板", "啱啱": "刚刚", "覆你": "回你", "覆您": "回您",
    "覆我": "回我",
}
_CHARS = str.maketrans({
    "冇": "没", "唔": "不", "嘅": "的", "咗": "了", "喺": "在", "哋": "们", "啲": "点", "佢": "他", "嚟": "来",
    "咩": "啥", "乜": "啥", "睇": "看", "揾": "找", "嘢": "事", "咁": "这", "噉": "这", "嗰": "那", "𠮶": "那",
    "畀": "给", "俾": "给", "攞": "拿", "靓": "美", "啱": "对", "咪": "别",
})
_PHRASE = re.compile("|".join(sorted(map(re.escape, _PHRASES), key=len, reverse=True)))
# 系 is Cantonese 是 after a subject or adverb (我系 · 唔系 · 都系), never in 系统 / 关系 / 联系.
_XI = re.compile(r"(?:(?<=[我你您他佢真就都唔不咪个度只间])|^)系(?![统列数])")
_ZHONG = re.compile(r"仲(?![裁介秋夏春冬])")  # 仲有 -> 还有; 仲裁 and 仲秋 are Mandarin


def to_mandarin(text: str) -> str:
    """`text` with written Cantonese words replaced by Mandarin ones of the same length (else unchanged)."""
    if not _MARKERS.intersection(text) and not _MARKER_WORDS.search(text):
        return text
    text = _PHRASE.sub(lambda m: _PHRASES[m.group()], text)
    text = _XI.sub("是", text)
    text = _ZHONG.sub("还", text)
    return text.translate(_CHARS)
