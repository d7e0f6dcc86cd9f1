"""Worst-case template matching, run by hand (`.venv/bin/python bench/worst_case_bench.py`), never in the suite.

Issue 14 point 4: a template of 8 consecutive `{any:0-16}` gaps took 10.7 s on a 62-character reply.
This bench shows, per case, what the grammar says about the template and the slowest time per reply:

1. the issue's template: refused by the grammar (and never run, even when validation is bypassed);
2. templates at the grammar's limits (MAX_GAPS gaps, MAX_STRETCH ways), each alone, on the replies that
   make Python's regex engine backtrack the most (the gate pieces present, the last one missing);
3. a phrasebook of many such templates, so the per-reply budget (TEMPLATE_BUDGET_S) has to stop it.

Replies: 62 characters, one clause of the longest length templates run on (TEMPLATE_MAX_CHARS / _WORDS),
and a MAX_REPLY_CHARS reply made of such clauses. Target: every reply under 50 ms (after the regexes are compiled,
which happens once per matcher and is reported apart).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roleplay.core.matching.bounds import TEMPLATE_BUDGET_S, TEMPLATE_MAX_CHARS, TEMPLATE_MAX_WORDS  # noqa: E402
from roleplay.core.matching.matcher import MAX_REPLY_CHARS, Matcher  # noqa: E402
from roleplay.core.phrasebook.book import Category, Phrasebook  # noqa: E402
from roleplay.core.phrasebook.grammar import MAX_GAPS, MAX_STRETCH, parse  # noqa: E402

CPU = False  # --cpu: time.process_time instead of wall time
ISSUE_TEMPLATE = "{any:0-16}" * 8 + "好"
AT_LIMITS = {  # each accepted by the grammar: gaps and optional parts stretch at most MAX_STRETCH ways
    "zh": [
        "啊{any:0-5}啊{any:0-5}啊{any:0-6}啊{any:0-6}吧",  # 4 gaps, 6*6*7*7 = 1764
        "啊{any:0-16}啊{any:0-16}{啊|}{啊|}吧",  # 17*17*2*2 = 1156
        "啊{any:0-10}啊{any:0-10}啊{any:0-15}吧",  # 11*11*16 = 1936
        "{啊哦|}" * 10 + "吧",  # 2^10 = 1024
    ],
    "en": [
        "go {any:0-5} go {any:0-5} go {any:0-6} go {any:0-6} stop",  # (ah, oh are fillers, dropped)
        "go {any:0-16} go {any:0-16} {go|} {go|} stop",
        "go {any:0-10} go {any:0-10} go {any:0-15} stop",
    ],
}


def book_of(lang: str, templates: list[str]) -> Phrasebook:
    """A phrasebook holding only these templates (validation bypassed on purpose), one category each."""
    book = Phrasebook()
    for i, template in enumerate(templates):
        cid = f"c{i}"
        book.categories[cid] = Category(cid, {"zh": cid, "en": cid}, {})
        book.categories[cid].templates[lang] = [template]
    return book


def replies(lang: str) -> dict[str, str]:
    """The replies that make the templates above backtrack most: the gate pieces, the final word missing."""
    if lang == "zh":  # 啊哦 alternate: three equal characters in a row are folded to two by normalisation
        clause = "吧" + ("啊哦" * TEMPLATE_MAX_CHARS)[:TEMPLATE_MAX_CHARS - 1]
        long = "，".join([clause] * (MAX_REPLY_CHARS // (len(clause) + 1)))
        return {"62 chars": clause[:62], f"{len(clause)}-char clause": clause, f"{len(long)}-char reply": long}
    clause = "stop " + "go " * (TEMPLATE_MAX_WORDS - 1)
    long = ", ".join([clause.strip()] * 40)[:MAX_REPLY_CHARS]
    return {"62 chars": clause[:62], f"{TEMPLATE_MAX_WORDS}-word clause": clause.strip(),
            f"{len(long)}-char reply": long}


def worst(matcher: Matcher, text: str, runs: int) -> tuple[float, float]:
    """(first call incl. regex compilation, slowest of the following runs), in ms of wall time.

    On a shared, loaded machine wall time includes waiting for a core: run with --cpu to time the
    process's own CPU time instead (what the reply costs), and compare both.
    """
    clock = time.process_time if CPU else time.perf_counter
    began = clock()
    matcher.match(text)
    first = (clock() - began) * 1000
    slowest = 0.0
    for _ in range(runs):
        began = clock()
        matcher.match(text)
        slowest = max(slowest, (clock() - began) * 1000)
    return first, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per reply after the first (default 5)")
    parser.add_argument("--many", type=int, default=200, help="templates in the budget case (default 200)")
    parser.add_argument("--cpu", action="store_true", help="time CPU time of this process, not wall time")
    args = parser.parse_args()
    global CPU
    CPU = args.cpu
    print(f"limits: {MAX_GAPS} gaps, {MAX_STRETCH} ways to stretch, clauses up to {TEMPLATE_MAX_CHARS} characters "
          f"/ {TEMPLATE_MAX_WORDS} words "
          f"for templates, {TEMPLATE_BUDGET_S * 1000:.0f} ms of template search per reply")
    print(f"\n1. issue 14's template {ISSUE_TEMPLATE!r}")
    for issue in parse(ISSUE_TEMPLATE).issues:
        print(f"   grammar: {issue.message} [{issue.code}]")
    first, slowest = worst(Matcher(book_of("zh", [ISSUE_TEMPLATE]), "zh"), ("啊哦" * 31), args.runs)
    print(f"   matched anyway (validation bypassed), 62 chars: first {first:.2f} ms, slowest {slowest:.2f} ms")
    overall = 0.0
    print("\n2. one template at the limits")
    for lang, templates in AT_LIMITS.items():
        for template in templates:
            assert parse(template).ok, (template, parse(template).issues)
            matcher = Matcher(book_of(lang, [template]), lang)
            for name, text in replies(lang).items():
                first, slowest = worst(matcher, text, args.runs)
                overall = max(overall, slowest)
                print(f"   {lang} {template[:48]!r:52} {name:>18}: first {first:7.2f} ms, slowest {slowest:6.2f} ms")
    print(f"\n3. {args.many} templates at the limits in one phrasebook (the budget stops them)")
    for lang, templates in AT_LIMITS.items():
        many = templates[:1] * args.many  # one category each: every one is tried
        matcher = Matcher(book_of(lang, many), lang)
        for name, text in replies(lang).items():
            first, slowest = worst(matcher, text, args.runs)
            overall = max(overall, slowest)
            notes = [n for n in matcher.match(text).notes if "templates" in n]
            print(f"   {lang} {name:>18}: first {first:8.2f} ms, slowest {slowest:6.2f} ms"
                  + (f"  note: {notes[0][:90]}…" if notes else ""))
    print(f"\nworst reply after compilation: {overall:.2f} ms {'CPU' if CPU else 'wall'} time (target < 50 ms)")


if __name__ == "__main__":
    main()
