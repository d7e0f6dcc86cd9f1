"""`roleplay match`: which courteous-phrase categories do replies carry (stdin lines or one argument)."""

from __future__ import annotations

import sys

from roleplay.commands.common import add_phrasebook_option, dump_json, load_phrasebook_arg, print_problems
from roleplay.core.problems import ContentError


def register(sub) -> None:
    p = sub.add_parser("match", help="label replies with courteous-phrase categories")
    p.add_argument("text", nargs="?", help="one reply; without it, replies are read from stdin, one per line")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the replies (default zh)")
    p.add_argument("--json", action="store_true", help="one JSON object per reply")
    add_phrasebook_option(p)


def run(args) -> int:
    from roleplay.core.matcher import Matcher

    try:
        matcher = Matcher(load_phrasebook_arg(args), lang=args.lang)
    except ContentError as exc:
        return print_problems(exc)
    lines = [args.text] if args.text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    out = sys.stdout
    for line in lines:
        result = matcher.match(line)
        if args.json:
            out.write(dump_json(result.to_dict()) + "\n")
        else:
            out.write(_explain(result, matcher) + "\n")
        out.flush()
    return 0


def _explain(result, matcher) -> str:
    book = matcher.phrasebook
    lang = matcher.lang
    rows = [f"> {result.text}"]
    if not result.matches:
        rows.append("  (no category recognised)")
    for m in result.matches:
        name = book.categories[m.category].name(lang)
        rows.append(f"  {m.category:<12} {name:<8} {m.score:5.1f}  \"{m.evidence}\" ≈ \"{m.phrase}\"")
    for note in result.notes:
        rows.append(f"  note: {note}")
    return "\n".join(rows)
