"""Matcher benchmark, run by hand (`make bench` or `.venv/bin/python bench/match_bench.py`), never in the suite.

Reports, per language:
- per-reply latency (mean, p50, p99) of Matcher.match on the dev-set replies, against the shipped
  phrasebook and against one enlarged 10x (every phrase repeated with nine variants);
- raw rapidfuzz on the same phrases (process.extractOne, partial_ratio, one call per reply) for scale;
- `roleplay match` start-up: wall time of the whole command for one reply (best and median of N runs);
- throughput through the command: many replies on stdin, start-up subtracted;
- long replies (over 48 characters / 40 words: what trainees write in the blind playthroughs), where the trained
  scorers also judge windows of clauses (roleplay/core/matching/windows.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from roleplay.core.authoring.calibrate import load_labeled  # noqa: E402
from roleplay.core.matching.matcher import Matcher  # noqa: E402
from roleplay.core.lang.normalize import compact  # noqa: E402
from roleplay.core.phrasebook.book import load_phrasebook  # noqa: E402

DEV_SET = ROOT / "tests" / "data" / "labeled_replies.yaml"
PLAYTHROUGHS = ROOT / "tests" / "data" / "playthroughs"
VARIANT_SUFFIXES = {"zh": ["啊", "呀", "呢", "哦", "吧", "嘛", "哈", "啦", "了"],
                    "en": ["now", "then", "again", "today", "please", "here", "sir", "ok", "there"]}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def enlarged(book, factor: int = 10):
    """The phrasebook with every phrase plus factor-1 variants (a particle or word appended)."""
    big = book.copy()
    for cat in big.categories.values():
        for lang, phrases in cat.phrases.items():
            sep = "" if lang == "zh" else " "
            extra = [p + sep + s for p in phrases for s in VARIANT_SUFFIXES[lang][: factor - 1]]
            cat.phrases[lang] = phrases + extra
    return big


def time_matcher(matcher: Matcher, texts: list[str], rounds: int) -> list[float]:
    for t in texts:  # warm up: lazily compiled templates, typo cache
        matcher.match(t)
    samples = []
    for _ in range(rounds):
        for t in texts:
            start = time.perf_counter()
            matcher.match(t)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def time_raw(book, lang: str, texts: list[str], rounds: int) -> list[float]:
    phrases = [compact(p) for c in book.categories.values() for p in c.phrases.get(lang, [])]
    keys = [compact(t) for t in texts]
    samples = []
    for _ in range(rounds):
        for k in keys:
            start = time.perf_counter()
            process.extractOne(k, phrases, scorer=fuzz.partial_ratio)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def time_command(args: list[str], stdin: str = "", runs: int = 7) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "roleplay", *args], input=stdin, capture_output=True,
                       text=True, check=True, cwd=ROOT)
        samples.append(time.perf_counter() - start)
    return samples


def long_replies(lang: str) -> list[str]:
    """Trainees' replies in the blind playthroughs longer than the compliance scorer reads whole."""
    from roleplay.core.content.yamlsafe import load_yaml
    from roleplay.core.matching.taboo_scorer import load_scorer, reply_size

    scorer = load_scorer(lang, category="compliance")
    limit = scorer.max_units[lang] if scorer is not None and scorer.max_units else 0
    return [text for path in sorted(PLAYTHROUGHS.rglob(f"{lang}_*.yaml"))
            for text in load_yaml(path).data.get("replies") or []
            if isinstance(text, str) and reply_size(text, lang) > limit]


def row(label: str, samples: list[float]) -> str:
    return (f"  {label:<34} mean {statistics.fmean(samples):6.3f} ms  p50 {percentile(samples, 0.5):6.3f} ms"
            f"  p99 {percentile(samples, 0.99):6.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the dev set (default 5)")
    parser.add_argument("--runs", type=int, default=7, help="start-up runs of `roleplay match` (default 7)")
    parser.add_argument("--set", default=str(DEV_SET), metavar="FILE",
                        help="labelled replies to time (default the dev set; tests/data/heldout4_replies.yaml "
                             "has longer, harder replies)")
    args = parser.parse_args()
    book = load_phrasebook()
    big = enlarged(book)
    replies = load_labeled(args.set, set(book.categories) | {"compliance"})
    print(f"python {sys.version.split()[0]}, {Path(args.set).name} {len(replies)} replies, {args.rounds} rounds")
    for lang in ("zh", "en"):
        texts = [r.text for r in replies if r.lang == lang]
        n_phrases = sum(len(c.phrases.get(lang, [])) for c in book.categories.values())
        n_big = sum(len(c.phrases.get(lang, [])) for c in big.categories.values())
        print(f"{lang}: {len(texts)} replies, {n_phrases} phrases (10x: {n_big})")
        print(row("Matcher.match, shipped phrasebook", time_matcher(Matcher(book, lang), texts, args.rounds)))
        print(row("Matcher.match, 10x phrasebook", time_matcher(Matcher(big, lang), texts, args.rounds)))
        print(row("raw rapidfuzz extractOne", time_raw(book, lang, texts, args.rounds)))
        print(row("raw rapidfuzz extractOne, 10x", time_raw(big, lang, texts, args.rounds)))
        long = long_replies(lang)
        print(row(f"Matcher.match, {len(long)} long playthrough replies", time_matcher(Matcher(book, lang), long, 2)))
    one = time_command(["match", "--json", "您好"], runs=args.runs)
    print(f"`roleplay match --json 您好` wall time: best {min(one):.3f} s, median {statistics.median(one):.3f} s")
    zh_texts = [r.text for r in replies if r.lang == "zh"] * 4
    many = time_command(["match", "--json"], stdin="\n".join(zh_texts) + "\n", runs=3)
    per_reply = (statistics.median(many) - statistics.median(one)) / len(zh_texts) * 1000
    print(f"`roleplay match --json` on {len(zh_texts)} zh replies: median {statistics.median(many):.3f} s, "
          f"{per_reply:.3f} ms per reply after start-up")


if __name__ == "__main__":
    main()
