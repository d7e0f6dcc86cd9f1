"""`roleplay match`: which courteous-phrase categories do replies carry (stdin lines or one argument)."""

from __future__ import annotations

import sys

from roleplay.commands.common import add_phrasebook_option, dump_json, load_phrasebook_arg, print_problems
from roleplay.core.content.problems import ContentError


def register(sub) -> None:
    p = sub.add_parser(
        "match", help="label replies with courteous-phrase categories",
        description="Label replies (one per stdin line, or one argument) with courteous-phrase categories "
                    "and explain each label: score, threshold, the phrase it matched and where.")
    p.add_argument("text", nargs="?", help="one reply; without it, replies are read from stdin, one per line")
    p.add_argument("--lang", choices=["zh", "en"],
                   help="language of the replies (default: each reply's own — Chinese if it has a Chinese character)")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per reply: text, labels, matches (with kind and cues), notes")
    p.add_argument("--candidates", action="store_true",
                   help="also show the best match of every category below its threshold (debugging a phrasebook)")
    add_phrasebook_option(p)


def run(args) -> int:
    from roleplay.core.matching.matcher import Matcher

    try:
        book = load_phrasebook_arg(args)
    except ContentError as exc:
        return print_problems(exc)
    matchers: dict[str, Matcher] = {}
    lines = [args.text] if args.text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    out = sys.stdout
    for line in lines:
        lang = args.lang or language_of(line)
        if lang not in matchers:  # built on first use: a matcher indexes the whole phrasebook
            matchers[lang] = Matcher(book, lang=lang)
        matcher = matchers[lang]
        result = matcher.match(line)
        if args.json:
            data = result.to_dict()
            if args.candidates:
                data["candidates"] = [m.to_dict() for m in result.candidates]
            out.write(dump_json(data) + "\n")
        else:
            out.write(explain(result, matcher, args.candidates) + "\n")
        out.flush()
    return 0


def language_of(reply: str) -> str:
    """zh when the reply has a Chinese character, else en ("Sit down." is not read as Chinese)."""
    from roleplay.core.lang.normalize import has_chinese

    return "zh" if has_chinese(reply) else "en"


def explain(result, matcher, candidates: bool = False) -> str:
    """A readable account of one result: each label with score/threshold, phrase and evidence."""
    book = matcher.phrasebook
    lang = matcher.lang
    rows = [f"> {result.text}"]
    if not result.matches:
        rows.append("  (no category recognised)")
    for m in result.matches:
        cat = book.categories[m.category]
        mark = "✗" if cat.negative else "✓"
        # a decision of a trained scorer is measured against that scorer's own threshold
        threshold = matcher.decision_threshold(m, result.text)
        rows.append(f"  {mark} {m.category:<12} {_pad(book.label(m.category, m.kind, lang), 18)} "
                    f"{m.score:5.1f}/{threshold:<4.0f} \"{m.evidence}\" [{m.start}:{m.end}] ≈ \"{m.phrase}\"")
    for note in result.notes:
        rows.append(f"  · {note}")
    if candidates:
        accepted = set(result.labels)
        for m in result.candidates:
            if m.category not in accepted:
                rows.append(f"    {m.category:<12} {m.score:5.1f}/{matcher.threshold(m.category):<4.0f}"
                            f" \"{m.evidence}\" ≈ \"{m.phrase}\" (below threshold or dropped)")
    return "\n".join(rows)


def _pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two terminal columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)
