"""`roleplay calibrate FILE`: per-category precision/recall/F1 of the matcher on a labelled set."""

from __future__ import annotations

from roleplay.commands.common import add_phrasebook_option, dump_json, load_phrasebook_arg, print_problems
from roleplay.core.content.problems import ContentError


def register(sub) -> None:
    p = sub.add_parser("calibrate", help="measure the matcher on hand-labelled replies (P/R/F1 per category)")
    p.add_argument("file", metavar="FILE", help="YAML file: replies: [{text, lang, labels, taboo_kind?, compliance_kind?}]")
    p.add_argument("--lang", choices=["zh", "en"], help="only the replies in this language")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many confusions to list (default 10)")
    p.add_argument("--errors", action="store_true", help="also list every reply whose label set is wrong")
    p.add_argument("--json", action="store_true", help="the figures as one JSON object")
    add_phrasebook_option(p)


def run(args) -> int:
    from roleplay.core.authoring.calibrate import evaluate, format_report, load_labeled

    try:
        book = load_phrasebook_arg(args)
        replies = load_labeled(args.file, set(book.categories))
    except ContentError as exc:
        return print_problems(exc)
    if args.lang:
        replies = [r for r in replies if r.lang == args.lang]
    reports = evaluate(book, replies)
    if args.json:
        print(dump_json({lang: _as_dict(r) for lang, r in sorted(reports.items())}))
        return 0
    print("\n\n".join(format_report(r, args.top, args.errors) for _, r in sorted(reports.items())))
    return 0


def _as_dict(report) -> dict:
    return {
        "replies": report.replies,
        "exact": report.exact,
        "macro_f1": round(report.macro_f1, 4),
        "taboo_fp_rate": round(report.taboo_fp_rate, 4),
        "categories": {
            c: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                "support": s.support}
            for c, s in sorted(report.scores.items()) if s.support or s.fp
        },
        "taboo_kinds": _kinds(report.taboo_kinds),
        "compliance": {"precision": round(report.compliance.precision, 4),
                       "recall": round(report.compliance.recall, 4), "support": report.compliance.support,
                       "false_flags": report.compliance.fp, "kinds": _kinds(report.compliance_kinds)},
        "confusions": [{"expected": g, "got": p, "count": n} for (g, p), n in report.confusions.most_common(20)],
    }


def _kinds(kinds) -> dict:
    return {k: {"recall": round(s.recall, 4), "support": s.support, "found": s.found, "right_kind": s.right_kind}
            for k, s in sorted(kinds.items())}
