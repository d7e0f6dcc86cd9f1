"""Fit the label scorer's heads (roleplay/core/matching/data/labels_{zh,en}.json) from labelled replies.

    .venv/bin/python tools/train_labels.py                 # fit, report out-of-fold figures, write the files
    .venv/bin/python tools/train_labels.py --dry-run       # report only
    .venv/bin/python tools/train_labels.py --hold-out heldout7_replies.yaml --dry-run
                                                           # fit without one set, then judge the matcher on it

One L2-regularised logistic head per courteous category over the features of
roleplay.core.matching.taboo_scorer (structural cues and n-grams). The scorer only ever adds a category the
phrase families missed, so each head's threshold is chosen from 5-fold out-of-fold probabilities to give the
best F1 of "families or scorer" on the training replies, never below MIN_THRESHOLD and only where the labels
the scorer adds are right at least MIN_ADDED_PRECISION of the time (a label a trainee did not earn is a point
not explained by what they said).

Training data: the labelled sets of tests/data the taboo scorer trains on (train_taboo.SETS, TRAINING_SETS;
never heldout2/heldout3, kept for an honest look at over-fitting), and the phrasebook's own phrases as
examples of their category (half weight).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roleplay.core.content.yamlsafe import load_yaml  # noqa: E402
from roleplay.core.matching.taboo_scorer import DATA, features  # noqa: E402
from roleplay.core.phrasebook.book import load_phrasebook  # noqa: E402
from tools.logreg import design, fit_binary, matvec, sigmoid, subset  # noqa: E402
from tools.train_taboo import SETS, TRAINING_SETS  # noqa: E402

MIN_COUNT = 3  # features seen fewer times are dropped (noise, and a smaller file to load at start)
L2 = 1.0
FOLDS = 5
MIN_THRESHOLD = 0.6
MIN_ADDED_PRECISION = 0.75
WEIGHT_FLOOR = 0.03  # smaller weights move no decision; leaving them out keeps the file small and quick to load

Example = tuple[str, frozenset[str], float]  # text, labels, sample weight (phrasebook phrases count half)


# A closing ends a call: a scorer reading "I won't keep you long, I'd love to drop by…" as one would hang up on
# a trainee mid-sentence (a round-3 playthrough did). Only the phrase families recognise closings.
NOT_SCORED = frozenset({"closing"})


def courteous(book) -> list[str]:  # type: ignore[no-untyped-def]
    """The categories the label scorer has a head for."""
    return sorted(cid for cid, cat in book.categories.items()
                  if not cat.move and not cat.negative and cid not in NOT_SCORED)


def replies(name: str, lang: str) -> list[Example]:
    """The labelled replies of one set in tests/data, in one language."""
    return [(r["text"], frozenset(r["labels"]), 1.0)
            for r in load_yaml(ROOT / "tests" / "data" / name).data["replies"] if r["lang"] == lang]


def examples(lang: str, book, leave_out: str | None = None) -> tuple[list[Example], list[str | None]]:  # type: ignore[no-untyped-def]
    """Replies of every training set (but `leave_out`), then the phrasebook's phrases; and, per example, the
    category a phrase stands for (None for a reply: a reply teaches every head)."""
    out: list[Example] = []
    own: list[str | None] = []
    for name in SETS + TRAINING_SETS:
        if name != leave_out and (ROOT / "tests" / "data" / name).exists():
            rows = replies(name, lang)
            out += rows
            own += [None] * len(rows)
    for cid in courteous(book):
        for phrase in book.categories[cid].phrases.get(lang, []):
            out.append((phrase, frozenset({cid}), 0.5))
            own.append(cid)
    return out, own


def family_labels(texts: list[str], lang: str) -> list[set[str]]:
    """What the matcher finds without the label scorer (the families, the meaning rules, the taboo scorer)."""
    from roleplay.core.matching.matcher import Matcher

    matcher = Matcher(load_phrasebook(ROOT / "phrasebook"), lang)
    matcher.labeller = None
    return [set(matcher.match(t).labels) for t in texts]


def choose_threshold(p: np.ndarray, truth: np.ndarray, found: np.ndarray, blocked: np.ndarray) -> float:
    """The threshold giving the best F1 of families-or-scorer, with the scorer's additions precise enough."""
    best_t, best_f1 = 1.01, -1.0
    for t in np.arange(MIN_THRESHOLD, 0.995, 0.01):
        added = (p >= t) & ~found & ~blocked
        if added.sum() and (truth[added].mean() < MIN_ADDED_PRECISION):
            continue
        pred = found | added
        tp = float((pred & truth).sum())
        f1 = 2 * tp / (pred.sum() + truth.sum()) if (pred.sum() + truth.sum()) else 0.0
        if f1 > best_f1 + 1e-9:
            best_t, best_f1 = float(t), f1
    return best_t


def train(lang: str, leave_out: str | None = None) -> tuple[dict, list[str]]:
    book = load_phrasebook(ROOT / "phrasebook")
    cats = courteous(book)
    data, own = examples(lang, book, leave_out)
    feats = [features(t, lang) for t, _l, _w in data]
    counts = Counter(k for f in feats for k in f)
    names = sorted(k for k, n in counts.items() if n >= MIN_COUNT)
    vocab = {k: i for i, k in enumerate(names)}
    X = design(feats, vocab)
    dim = len(names)
    sw_all = np.array([w for _t, _l, w in data])
    is_reply = np.array([o is None for o in own])
    reply_idx = np.flatnonzero(is_reply)
    found_sets = family_labels([data[i][0] for i in reply_idx], lang)
    taboo = np.array(["taboo" in s for s in found_sets])
    heads: dict[str, dict] = {}
    report = []
    for cid in cats:
        y = np.array([1.0 if cid in labels else 0.0 for _t, labels, _w in data])
        # a phrase teaches its own head only: a 致谢 phrase is no evidence against 道歉 in a real reply
        sw = sw_all * np.array([o is None or o == cid for o in own], dtype=float)
        oof = np.zeros(len(data))
        for fold in range(FOLDS):
            test = reply_idx[np.arange(len(reply_idx)) % FOLDS == fold]
            train_idx = np.setdiff1d(np.arange(len(data)), test)
            w, b = fit_binary(subset(X, train_idx), y[train_idx], sw[train_idx], dim, L2)
            oof[test] = sigmoid(matvec(subset(X, test), w) + b)
        truth = y[reply_idx] == 1
        found = np.array([cid in s for s in found_sets])
        blocked = taboo & bool(book.categories[cid].yields_to_taboo)
        t = choose_threshold(oof[reply_idx], truth, found, blocked)
        added = (oof[reply_idx] >= t) & ~found & ~blocked
        w, b = fit_binary(X, y, sw, dim, L2)
        heads[cid] = {"bias": round(float(b), 4), "threshold": round(t, 3),
                      "weights": {names[j]: round(float(w[j]), 3) for j in range(dim) if abs(w[j]) >= WEIGHT_FLOOR}}
        fam_r = (found & truth).sum() / max(1, truth.sum())
        both = found | added
        report.append(f"  {cid:12s} t={t:.2f}  families R {fam_r:.2f} -> with scorer R {(both & truth).sum() / max(1, truth.sum()):.2f}"
                      f"  (+{int((added & truth).sum())} right, +{int((added & ~truth).sum())} wrong, out-of-fold)")
    model = shipped(lang, heads)
    report.insert(0, f"{lang}: {len(data)} examples ({len(reply_idx)} replies), {dim} features")
    return model, report


def shipped(lang: str, heads: dict[str, dict]) -> dict:
    """The file format the scorer loads without building anything: each feature's weights as [head, weight, …]."""
    order = sorted(heads)
    weights: dict[str, list[float]] = {}
    for i, cid in enumerate(order):
        for feature, w in heads[cid]["weights"].items():
            weights.setdefault(feature, []).extend([i, w])
    return {"lang": lang, "trained_by": "tools/train_labels.py", "order": order,
            "heads": {cid: {"bias": heads[cid]["bias"], "threshold": heads[cid]["threshold"]} for cid in order},
            "weights": weights}


def held_out(lang: str, name: str) -> str:
    """Fit without one set, then judge that set with the matcher (families + that scorer): per-category F1."""
    from roleplay.core.matching.label_scorer import LabelScorer
    from roleplay.core.matching.matcher import Matcher

    rows = replies(name, lang)
    model, _ = train(lang, leave_out=name)
    book = load_phrasebook(ROOT / "phrasebook")
    cats = sorted({c for _t, labels, _w in rows for c in labels} - {"compliance"})
    lines = []
    for label, labeller in (("families", None), ("families + scorer", LabelScorer(model))):
        matcher = Matcher(book, lang)
        matcher.labeller = labeller
        got = [set(matcher.match(t).labels) for t, _l, _w in rows]
        f1s = []
        for c in cats:
            tp = sum(1 for g, (_t, lab, _w) in zip(got, rows, strict=True) if c in g and c in lab)
            n = sum(1 for g in got if c in g) + sum(1 for _t, lab, _w in rows if c in lab)
            if any(c in lab for _t, lab, _w in rows):
                f1s.append(2 * tp / n if n else 0.0)
        lines.append(f"{label}: macro-F1 {sum(f1s) / len(f1s):.3f}")
    return f"{lang} {name} held out of the scorer: " + "; ".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="report the figures, write nothing")
    parser.add_argument("--hold-out", metavar="SET", help="fit without this tests/data set and judge it (writes nothing)")
    parser.add_argument("--lang", choices=("zh", "en"), help="one language only")
    args = parser.parse_args(argv)
    langs = (args.lang,) if args.lang else ("zh", "en")
    for lang in langs:
        if args.hold_out:
            print(held_out(lang, args.hold_out), flush=True)
            continue
        model, report = train(lang)
        print("\n".join(report), flush=True)
        if not args.dry_run:
            (DATA / f"labels_{lang}.json").write_text(
                json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
