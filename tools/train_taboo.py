"""Fit the taboo scorer's weights (roleplay/core/matching/data/taboo_{zh,en}.json) from labelled replies.

    .venv/bin/python tools/train_taboo.py            # fit, report cross-validated figures, write the files
    .venv/bin/python tools/train_taboo.py --dry-run  # report only

Training data (never the held-out sets kept for honest measurement, heldout2/heldout3):
tests/data/labeled_replies.yaml, heldout_replies.yaml, heldout4_replies.yaml (set A, dev since round 4),
heldout5_replies.yaml (set B, measured once after round 1 of issue 10, dev since round 2),
heldout6_replies.yaml (set C, measured once after round 2, dev since round 3),
matcher_sanity.yaml, taboo_probes.yaml, taboo_kind_probes.yaml, and the phrasebook's own phrases (courteous ones as sincere
examples, taboo ones as rude examples; phrases under `kinds:` also teach their kind).

Model: L2-regularised logistic regression on the features of roleplay.core.matching.taboo_scorer,
fitted by full-batch gradient descent with numpy on a sparse matrix. The decision threshold is chosen
from 5-fold out-of-fold probabilities so that at most MAX_FP_RATE of sincere training replies would be
flagged (precision first: a sincere apology called rude is the worst error). A multinomial head for the
kind is fitted on the replies that name one.
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
from roleplay.core.matching.taboo_scorer import DATA, features, may_judge  # noqa: E402
from roleplay.core.phrasebook.book import load_phrasebook  # noqa: E402

SETS = ("labeled_replies.yaml", "heldout_replies.yaml", "heldout4_replies.yaml", "heldout5_replies.yaml",
        "heldout6_replies.yaml", "matcher_sanity.yaml")
# Labelled TRAINING sets (issue 10, round 3): written by two independent authors from the labelling guide,
# heavy on taboo kinds, sincere look-alikes and compliance; measured once before use (calibration-log.md).
TRAINING_SETS = ("train_zh.yaml", "train_en.yaml")
MIN_COUNT = 2  # features seen fewer times are dropped (noise, and a smaller file)
L2 = 1.0
STEPS = 1500
RATE = 2.0
MAX_FP_RATE = 0.003  # out-of-fold share of sincere replies flagged at the chosen threshold
MIN_THRESHOLD = 0.85  # never below: a sincere reply called rude is the worst error
FOLDS = 5
WEIGHT_FLOOR = 0.01  # smaller weights move no decision; leaving them out keeps the file small
KIND_FLOOR = 0.02
# Whether the scorer may add taboo on its own (it always names kinds). Chinese: yes since round 4 (heldout2
# taboo recall 0.67 -> 0.72, heldout3 0.57 -> 0.70, one more sincere reply flagged out of 347). English: yes
# since round 3 of issue 10, judging only replies addressed to the client (taboo_scorer.may_judge): round 4
# had turned it off after it called a sincere fact ("The interest payment did not go through.") rude; with
# set C and the training sets it found rudeness the families missed on every held-out rotation
# (--cross-validate) without flagging a sincere reply.
DETECTS = {"zh": True, "en": True}


Example = tuple[str, int, "str | None", float, str]  # text, taboo 0/1, kind or None, sample weight, source


def replies_of(name: str, lang: str) -> list[Example]:
    """The labelled replies of one set in tests/data, in one language."""
    return [(r["text"], int("taboo" in r["labels"]), r.get("taboo_kind"), 1.0, name)
            for r in load_yaml(ROOT / "tests" / "data" / name).data["replies"] if r["lang"] == lang]


def examples(lang: str, leave_out: str | None = None) -> list[Example]:
    """Every training example of one language; `leave_out` names a set kept out (cross-validation by set)."""
    out: list[Example] = []
    for name in SETS + TRAINING_SETS:
        if name != leave_out and (ROOT / "tests" / "data" / name).exists():
            out += replies_of(name, lang)
    probes = load_yaml(ROOT / "tests" / "data" / "taboo_probes.yaml").data
    out += [(t, 1, None, 1.0, "probes") for t in probes.get("rude", {}).get(lang, [])]
    out += [(t, 0, None, 1.0, "probes") for t in probes.get("polite", {}).get(lang, [])]
    kinds = load_yaml(ROOT / "tests" / "data" / "taboo_kind_probes.yaml").data
    out += [(t, 1, kind, 1.0, "probes") for kind, lines in kinds["rude"][lang].items() for t in lines]
    out += [(t, 0, None, 1.0, "probes") for t in kinds["sincere"][lang]]
    book = load_phrasebook(ROOT / "phrasebook")
    for cat in book.categories.values():
        if cat.move or (cat.negative and cat.id != "taboo"):
            continue
        kinds = cat.kind_of.get(lang, {})
        for phrase in cat.phrases.get(lang, []):
            out.append((phrase, int(cat.id == "taboo"), kinds.get(phrase), 0.5, "phrasebook"))
    return out


def design(rows: list[dict[str, float]], vocab: dict[str, int]):
    r, c, v = [], [], []
    for i, f in enumerate(rows):
        for k, x in f.items():
            j = vocab.get(k)
            if j is not None:
                r.append(i)
                c.append(j)
                v.append(x)
    return np.array(r, dtype=np.int64), np.array(c, dtype=np.int64), np.array(v, dtype=np.float64), len(rows)


def matvec(X, w):
    r, c, v, n = X
    return np.bincount(r, weights=v * w[c], minlength=n)


def rmatvec(X, g, dim):
    r, c, v, _n = X
    return np.bincount(c, weights=v * g[r], minlength=dim)


def fit_binary(X, y, sw, dim):
    w = np.zeros(dim)
    b = 0.0
    total = sw.sum()
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(matvec(X, w) + b)))
        g = (p - y) * sw
        w -= RATE * (rmatvec(X, g, dim) / total + L2 * w / total)
        b -= RATE * g.sum() / total
    return w, b


def fit_kinds(X, labels: list[str], sw, dim):
    kinds = sorted(set(labels))
    Y = np.array([[1.0 if k == lab else 0.0 for k in kinds] for lab in labels])
    W = np.zeros((dim, len(kinds)))
    B = np.zeros(len(kinds))
    total = sw.sum()
    r, c, v, n = X
    for _ in range(STEPS):
        Z = np.zeros((n, len(kinds)))
        np.add.at(Z, r, v[:, None] * W[c])
        Z += B
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) * sw[:, None]
        gW = np.zeros_like(W)
        np.add.at(gW, c, v[:, None] * G[r])
        W -= RATE * (gW / total + L2 * W / total)
        B -= RATE * G.sum(axis=0) / total
    return kinds, W, B


def subset(X, idx):
    r, c, v, _n = X
    pos = {int(i): k for k, i in enumerate(idx)}
    keep = np.isin(r, idx)
    return np.array([pos[int(i)] for i in r[keep]], dtype=np.int64), c[keep], v[keep], len(idx)


def train(lang: str, leave_out: str | None = None) -> tuple[dict, str]:
    data = examples(lang, leave_out)
    feats = [features(t, lang) for t, *_ in data]
    counts = Counter(k for f in feats for k in f)
    names = sorted(k for k, n in counts.items() if n >= MIN_COUNT)
    vocab = {k: i for i, k in enumerate(names)}
    X = design(feats, vocab)
    y = np.array([d[1] for d in data], dtype=float)
    sw = np.array([d[3] for d in data])
    dim = len(names)
    # out-of-fold probabilities of the replies (not the phrasebook's phrases) choose the threshold
    order = np.arange(len(data))
    oof = np.zeros(len(data))
    for fold in range(FOLDS):
        test = order[order % FOLDS == fold]
        train_idx = order[order % FOLDS != fold]
        w, b = fit_binary(subset(X, train_idx), y[train_idx], sw[train_idx], dim)
        oof[test] = 1 / (1 + np.exp(-(matvec(subset(X, test), w) + b)))
    # the threshold is chosen among the replies the scorer may judge at all (size, and in English address)
    oof *= np.array([may_judge(d[0], lang) for d in data], dtype=float)
    replies = sw == 1.0
    sincere = np.sort(oof[replies & (y == 0)])[::-1]
    allowed = int(MAX_FP_RATE * len(sincere))
    threshold = max(MIN_THRESHOLD, float(sincere[allowed]) + 1e-6 if allowed < len(sincere) else MIN_THRESHOLD)
    rude = replies & (y == 1)
    cv_recall = float((oof[rude] >= threshold).mean())
    cv_fp = float((oof[replies & (y == 0)] >= threshold).mean())
    w, b = fit_binary(X, y, sw, dim)
    # kind head on the replies and phrases that name a kind
    kind_idx = np.array([i for i, d in enumerate(data) if d[1] and d[2]], dtype=np.int64)
    kind_labels = [data[i][2] for i in kind_idx]
    per_kind = Counter(kind_labels)
    balance = np.array([len(kind_labels) / (len(per_kind) * per_kind[k]) for k in kind_labels])  # no kind wins by numbers
    kinds, W, B = fit_kinds(subset(X, kind_idx), kind_labels, sw[kind_idx] * balance, dim)
    model = {
        "lang": lang,
        "trained_by": "tools/train_taboo.py",
        "bias": round(float(b), 5),
        "threshold": round(threshold, 5),
        "detects": DETECTS[lang],
        "weights": {names[j]: round(float(w[j]), 4) for j in range(dim) if abs(w[j]) >= WEIGHT_FLOOR},
        "kind_bias": {k: round(float(B[i]), 5) for i, k in enumerate(kinds)},
        "kind_weights": {k: {names[j]: round(float(W[j, i]), 4) for j in range(dim) if abs(W[j, i]) >= KIND_FLOOR}
                         for i, k in enumerate(kinds)},
    }
    report = (f"{lang}: {len(data)} examples ({int(replies.sum())} replies), {dim} features; threshold "
              f"{threshold:.3f}; out-of-fold on replies: taboo recall {cv_recall:.2f}, sincere flagged "
              f"{100 * cv_fp:.2f}%; kinds fitted on {len(kind_idx)} replies ({', '.join(kinds)})")
    return model, report


# Sets rotated out by --cross-validate: the round's labelled sets (A, B, C and the training sets).
ROTATE = ("heldout4_replies.yaml", "heldout5_replies.yaml", "heldout6_replies.yaml") + TRAINING_SETS


def held_out(lang: str, name: str) -> str:
    """Fit without one set, then judge that set: the scorer alone, and the matcher (families + scorer).

    The families were written with every dev set in view, so the matcher's figure is an upper bound for
    them; the scorer's figure is an honest held-out one.
    """
    from roleplay.core.matching.matcher import Matcher
    from roleplay.core.matching.taboo_scorer import TabooScorer

    rows = replies_of(name, lang)
    if not rows:
        return f"{lang} {name}: no replies"
    model, _report = train(lang, leave_out=name)
    scorer = TabooScorer({**model, "detects": True})  # judged as a detector even where the language ships it off
    families = Matcher(load_phrasebook(ROOT / "phrasebook"), lang)
    families.scorer = None
    rude = [r[0] for r in rows if r[1]]
    sincere = [r[0] for r in rows if not r[1]]

    def alone(text: str) -> bool:
        return scorer.score(text).taboo  # the size floor, the address gate and the threshold as shipped

    def family(text: str) -> bool:
        return "taboo" in families.match(text).labels

    def both(text: str) -> bool:
        return family(text) or alone(text)  # the matcher adds the scorer's taboo when no family found it

    def figures(pred) -> str:
        return f"{sum(map(pred, rude))}/{len(rude)} found, {sum(map(pred, sincere))}/{len(sincere)} sincere flagged"

    return (f"{lang} {name} held out (threshold {model['threshold']:.3f}): scorer alone {figures(alone)}; "
            f"families {figures(family)}; families + held-out scorer {figures(both)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="report the figures, write nothing")
    parser.add_argument("--cross-validate", action="store_true",
                        help="rotate each of the round's sets out of training and judge it (writes nothing)")
    parser.add_argument("--lang", choices=("zh", "en"), help="one language only")
    args = parser.parse_args(argv)
    langs = (args.lang,) if args.lang else ("zh", "en")
    if args.cross_validate:
        for lang in langs:
            for name in ROTATE:
                if (ROOT / "tests" / "data" / name).exists():
                    print(held_out(lang, name), flush=True)
        return 0
    for lang in langs:
        model, report = train(lang)
        print(report)
        if not args.dry_run:
            DATA.mkdir(parents=True, exist_ok=True)
            (DATA / f"taboo_{lang}.json").write_text(
                json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
