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
from tools.logreg import design, fit_binary, fit_kinds, matvec, subset  # noqa: E402

SETS = ("labeled_replies.yaml", "heldout_replies.yaml", "heldout4_replies.yaml", "heldout5_replies.yaml",
        "heldout6_replies.yaml", "heldout7_replies.yaml", "heldout8_replies.yaml", "heldout9_replies.yaml", "heldout10_replies.yaml", "heldout11_replies.yaml",
        "heldout12_replies.yaml", "heldout13_replies.yaml", "heldout14_replies.yaml", "heldout15_replies.yaml",
        "heldout16_replies.yaml", "heldout17_replies.yaml", "heldout18_replies.yaml",
        "matcher_sanity.yaml")
# Labelled TRAINING sets (issue 10, rounds 3, 5 and 6): written by independent authors from the labelling guide,
# heavy on taboo kinds, sincere look-alikes and compliance; measured once before use (calibration-log.md).
TRAINING_SETS = ("train_zh.yaml", "train_en.yaml", "train2_zh.yaml", "train2_en.yaml", "train3_zh.yaml", "train3_en.yaml",
                 "train4_zh.yaml", "train4_en.yaml", "train5_zh.yaml", "train5_en.yaml",
                 "train6_zh.yaml", "train6_en.yaml", "train7_zh.yaml", "train7_en.yaml",
                 "train8_zh.yaml", "train8_en.yaml", "train9_zh.yaml", "train9_en.yaml", "train10_zh.yaml",
                 "train10_en.yaml", "train11_zh.yaml", "train11_en.yaml", "train12_zh.yaml", "train12_en.yaml",
                 "train13_zh.yaml", "train13_en.yaml", "train14_zh.yaml", "train14_en.yaml",
                 "train15_zh.yaml", "train15_en.yaml", "train16_en.yaml", "train17_en.yaml")
# Sets labelled only for taboo and compliance (the label scorer does not read them): the lines blind-playthrough
# authors marked rash, labelled by kind (tests/data/marked_lines.yaml).
NEGATIVE_SETS = ("marked_lines.yaml",)
# Blind playthroughs (tests/data/playthroughs/round*): a line its author marked rude is a rude example; every
# line of a good trainee is a sincere one — courteous replies said in context, the scorer's hardest negatives.
PLAYTHROUGHS = ROOT / "tests" / "data" / "playthroughs"
MIN_COUNT = 2  # features seen fewer times are dropped (noise, and a smaller file)
L2 = 1.0
# out-of-fold share of sincere replies flagged at the chosen threshold. Round 7 tried 0.005 for taboo: with four sets
# held out in turn (train12–14 en, set L) it found 6 more of 410 rude replies with no sincere one more flagged, but it
# charged plain English instructions ("Bring your business licence and loan card.") as curt orders, which the guide
# calls no label: kept at 0.003 (in Chinese the 0.75 floor binds before either rate).
MAX_FP_RATE = 0.003
# English replies that do not address the client are judged against their own, higher bar: above every such sincere
# reply out-of-fold (round 6: the scorer's out-of-fold recall rose from 0.33 to 0.51 with no sincere reply more
# flagged; a bar letting one through gave 0.54, dropping the gate altogether 0.56 with two more flagged).
# Round 8: training sets 15–17 (rudeness without "you", with sincere twins) put one sincere twin at 0.992 and
# the bar with it, out-of-fold recall 0.45; a rate of 0.001 brings the bar to 0.960 (recall 0.55, sincere
# flagged 0.29% -> 0.32%); 0.002 drops the bar to the addressed one (0.61, 0.36%) and was not taken.
MAX_FP_RATE_UNADDRESSED = 0.001
# Never below: a sincere reply called rude is the worst error. Round 7 lowered it from 0.85, where it bound in
# Chinese (out-of-fold 0.15% sincere flagged, below the 0.3% the rate allows): on three training sets not yet
# trained on (train12–14 zh), 0.75 found 59 -> 66, 78 -> 87 and 80 -> 86 rude replies with no sincere one more
# flagged; 0.70 flagged two more.
MIN_THRESHOLD = 0.75
FOLDS = 5
WEIGHT_FLOOR = 0.02  # smaller weights moved no decision on any labelled reply (9,499, round 5); the file loads faster
KIND_FLOOR = 0.03
# Whether the scorer may add taboo on its own (it always names kinds). Chinese: yes since round 4 (heldout2
# taboo recall 0.67 -> 0.72, heldout3 0.57 -> 0.70, one more sincere reply flagged out of 347). English: yes
# since round 3 of issue 10, judging only replies addressed to the client (taboo_scorer.may_judge): round 4
# had turned it off after it called a sincere fact ("The interest payment did not go through.") rude; with
# set C and the training sets it found rudeness the families missed on every held-out rotation
# (--cross-validate) without flagging a sincere reply.
DETECTS = {"zh": True, "en": True}


# The categories a scorer of this kind is trained for, and what each may judge on its own (see may_judge):
# compliance faults are statements of fact or promises, addressed to the client or not, and run longer.
CATEGORIES = ("taboo", "compliance")
GATES = {"taboo": {}, "compliance": {"address": False, "max_units": {"zh": 48, "en": 40}}}
# compliance: 0.6 since round 7 (on train12–14, not yet trained on: 7 more faults found of 204, no false flag more;
# 0.5 added one)
THRESHOLD_FLOOR = {"taboo": MIN_THRESHOLD, "compliance": 0.6}

Example = tuple[str, int, "str | None", float, str]  # text, in the category 0/1, kind or None, sample weight, source


def replies_of(name: str, lang: str, category: str = "taboo") -> list[Example]:
    """The labelled replies of one set in tests/data, in one language."""
    return [(r["text"], int(category in r["labels"]), r.get(f"{category}_kind"), 1.0, name)
            for r in load_yaml(ROOT / "tests" / "data" / name).data["replies"] if r["lang"] == lang]


def played_lines(lang: str) -> list[Example]:
    """The blind playthroughs' lines: marked rude (taboo), and every line of a good trainee (sincere)."""
    out: list[Example] = []
    for path in sorted(PLAYTHROUGHS.glob("round*/*.yaml")):
        if not path.name.startswith(f"{lang}_"):
            continue
        play = load_yaml(path).data
        marks = play.get("marks") or {}
        for n, text in enumerate(play.get("replies") or [], start=1):
            if not isinstance(text, str) or not text.strip() or text.startswith("/"):
                continue
            if marks.get(n) == "rude":
                out.append((text, 1, None, 1.0, path.parent.name))
            elif play.get("trainee") == "good":
                out.append((text, 0, None, 1.0, path.parent.name))
    return out


def examples(lang: str, leave_out: str | None = None, category: str = "taboo") -> list[Example]:
    """Every training example of one language; `leave_out` names a set kept out (cross-validation by set)."""
    out: list[Example] = []
    for name in SETS + TRAINING_SETS + NEGATIVE_SETS:
        if name != leave_out and (ROOT / "tests" / "data" / name).exists():
            out += replies_of(name, lang, category)
    if category != "taboo":
        return out + phrasebook_examples(lang, category)
    out += played_lines(lang)
    probes = load_yaml(ROOT / "tests" / "data" / "taboo_probes.yaml").data
    out += [(t, 1, None, 1.0, "probes") for t in probes.get("rude", {}).get(lang, [])]
    out += [(t, 0, None, 1.0, "probes") for t in probes.get("polite", {}).get(lang, [])]
    kinds = load_yaml(ROOT / "tests" / "data" / "taboo_kind_probes.yaml").data
    out += [(t, 1, kind, 1.0, "probes") for kind, lines in kinds["rude"][lang].items() for t in lines]
    out += [(t, 0, None, 1.0, "probes") for t in kinds["sincere"][lang]]
    return out + phrasebook_examples(lang, category)


def phrasebook_examples(lang: str, category: str) -> list[Example]:
    """The phrasebook's phrases at half weight: the category's own as positives, courteous ones as negatives."""
    out: list[Example] = []
    book = load_phrasebook(ROOT / "phrasebook")
    for cat in book.categories.values():
        if cat.move or (cat.negative and cat.id != category):
            continue
        kinds = cat.kind_of.get(lang, {})
        for phrase in cat.phrases.get(lang, []):
            out.append((phrase, int(cat.id == category), kinds.get(phrase), 0.5, "phrasebook"))
    return out


def train(lang: str, leave_out: str | None = None, category: str = "taboo") -> tuple[dict, str]:
    data = examples(lang, leave_out, category)
    gate = GATES[category]
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
        w, b = fit_binary(subset(X, train_idx), y[train_idx], sw[train_idx], dim, L2)
        oof[test] = 1 / (1 + np.exp(-(matvec(subset(X, test), w) + b)))
    # the threshold is chosen among the replies the scorer may judge at all (size, and in English address)
    raw_oof = oof.copy()
    judged = np.array([may_judge(d[0], lang, **gate) for d in data])
    oof *= judged
    replies = sw == 1.0
    sincere = np.sort(oof[replies & (y == 0)])[::-1]
    allowed = int(MAX_FP_RATE * len(sincere))
    floor = THRESHOLD_FLOOR[category]
    threshold = max(floor, float(sincere[allowed]) + 1e-6 if allowed < len(sincere) else floor)
    rude = replies & (y == 1)
    flagged = oof >= threshold
    unaddressed_bar = None
    if category == "taboo" and gate.get("address", True) and lang == "en":
        sized = np.array([may_judge(d[0], lang, address=False) for d in data])
        unaddressed = sized & ~judged
        own = np.sort(raw_oof[replies & (y == 0) & unaddressed])[::-1]
        allowed_u = int(MAX_FP_RATE_UNADDRESSED * len(own))
        unaddressed_bar = max(threshold, float(own[allowed_u]) + 1e-6 if allowed_u < len(own) else threshold)
        flagged = flagged | (unaddressed & (raw_oof >= unaddressed_bar))
    cv_recall = float(flagged[rude].mean())
    cv_fp = float(flagged[replies & (y == 0)].mean())
    w, b = fit_binary(X, y, sw, dim, L2)
    # kind head on the replies and phrases that name a kind
    kind_idx = np.array([i for i, d in enumerate(data) if d[1] and d[2]], dtype=np.int64)
    kind_labels = [data[i][2] for i in kind_idx]
    per_kind = Counter(kind_labels)
    balance = np.array([len(kind_labels) / (len(per_kind) * per_kind[k]) for k in kind_labels])  # no kind wins by numbers
    kinds, W, B = fit_kinds(subset(X, kind_idx), kind_labels, sw[kind_idx] * balance, dim, L2)
    model = {
        "lang": lang,
        "category": category,
        "trained_by": "tools/train_taboo.py",
        **gate,
        "bias": round(float(b), 5),
        "threshold": round(threshold, 5),
        **({"threshold_unaddressed": round(unaddressed_bar, 5)} if unaddressed_bar is not None else {}),
        "detects": DETECTS[lang] if category == "taboo" else True,
        "weights": {names[j]: round(float(w[j]), 4) for j in range(dim) if abs(w[j]) >= WEIGHT_FLOOR},
        "kind_bias": {k: round(float(B[i]), 5) for i, k in enumerate(kinds)},
        "kind_weights": {k: {names[j]: round(float(W[j, i]), 4) for j in range(dim) if abs(W[j, i]) >= KIND_FLOOR}
                         for i, k in enumerate(kinds)},
    }
    bars = f"{threshold:.3f}" + (f" ({unaddressed_bar:.3f} for a reply not addressed to the client)"
                                 if unaddressed_bar is not None else "")
    report = (f"{category} {lang}: {len(data)} examples ({int(replies.sum())} replies), {dim} features; threshold "
              f"{bars}; out-of-fold on replies: recall {cv_recall:.2f}, other replies flagged "
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
    parser.add_argument("--category", choices=CATEGORIES, action="append",
                        help="the scorer to fit (repeatable; default: taboo and compliance)")
    args = parser.parse_args(argv)
    langs = (args.lang,) if args.lang else ("zh", "en")
    if args.cross_validate:
        for lang in langs:
            for name in ROTATE:
                if (ROOT / "tests" / "data" / name).exists():
                    print(held_out(lang, name), flush=True)
        return 0
    for category in args.category or CATEGORIES:
        for lang in langs:
            model, report = train(lang, category=category)
            print(report, flush=True)
            if not args.dry_run:
                DATA.mkdir(parents=True, exist_ok=True)
                (DATA / f"{category}_{lang}.json").write_text(
                    json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
