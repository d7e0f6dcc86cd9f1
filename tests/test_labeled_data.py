"""The hand-labelled reply sets (dev and three held-out) are well formed, large enough and cover every category."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from roleplay.core.phrasebook.book import CORE_CATEGORIES
from roleplay.core.content.problems import ContentError
from roleplay.core.content.yamlsafe import YamlDoc, load_yaml, validation_problems

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
GUIDE = ROOT / "docs" / "labeling-guide.md"

# The category ids of DESIGN.md, spelled out here so a rename in the code is caught, not followed.
CATEGORY_IDS = (
    "greeting", "request", "thanks", "inquiry", "apology", "closing",
    "self_intro", "compliment", "appointment", "empathy", "callback", "taboo",
)
Category = Literal[CATEGORY_IDS]  # type: ignore[valid-type]

# (file, minimum total, minimum per language, minimum per category and language)
SETS = {
    "labeled_replies.yaml": (360, {"zh": 230, "en": 130}, {"zh": 15, "en": 10}),
    "heldout_replies.yaml": (220, {"zh": 140, "en": 80}, {"zh": 9, "en": 6}),
    # A second held-out set by another author, so a score is not tied to one writer's phrasing.
    "heldout2_replies.yaml": (250, {"zh": 150, "en": 100}, {"zh": 10, "en": 7}),
    # A third, final held-out set by yet another author; nobody tunes the matcher on it.
    "heldout3_replies.yaml": (250, {"zh": 150, "en": 100}, {"zh": 10, "en": 7}),
    # Set A of round 4 (issue 10): measured once before tuning, then dev data; it also names taboo and
    # compliance kinds. Its author wrote few replies of some categories (en appointment: 3).
    "heldout4_replies.yaml": (350, {"zh": 200, "en": 140}, {"zh": 6, "en": 3}),
    # Set B (issue 10, round 2): measured once after round 1, then dev data; names taboo and compliance
    # kinds. Its author wrote few English compliments and appointments (2 each).
    "heldout5_replies.yaml": (350, {"zh": 210, "en": 135}, {"zh": 6, "en": 2}),
    # Set C (issue 10, round 3): measured once after round 2, then dev data; names taboo and compliance kinds.
    "heldout6_replies.yaml": (400, {"zh": 230, "en": 170}, {"zh": 5, "en": 3}),
    # Round 3's TRAINING sets (one language each, by two more independent authors): heavy on taboo kinds,
    # sincere look-alikes and compliance; only the taboo scorer trains on them.
    "train_zh.yaml": (400, {"zh": 400}, {"zh": 9}),
    "train_en.yaml": (400, {"en": 400}, {"en": 6}),
    # Set D (issue 10, after rounds 3-4): measured once, then dev data; names taboo and compliance kinds.
    "heldout7_replies.yaml": (410, {"zh": 210, "en": 195}, {"zh": 6, "en": 4}),
}
KIND_SETS = ("heldout4_replies.yaml", "heldout5_replies.yaml", "heldout6_replies.yaml", "train_zh.yaml", "train_en.yaml",
             "heldout7_replies.yaml")
TABOO_KINDS = ("brush_off", "blame", "contempt", "sarcasm", "command", "impatience", "threat", "profanity")
COMPLIANCE_KINDS = ("discount", "guarantee", "absolute_claim")
# Neutral replies (no label) must be a real share, so false positives are measured too.
MIN_UNLABELLED_SHARE = 0.15
# Set C and the training sets carry more taboo and compliance lines and fewer plain facts (12%, 8%, 10% no label).
UNLABELLED_SHARE = {"heldout6_replies.yaml": 0.10, "train_zh.yaml": 0.07, "train_en.yaml": 0.07,
                    "heldout7_replies.yaml": 0.07}

_CJK = re.compile(r"[\u3400-\u9fff]")


class LabelledReply(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    text: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    lang: Literal["zh", "en"]
    labels: list[Category | Literal["compliance"]]
    taboo_kind: Literal[TABOO_KINDS] | None = None  # type: ignore[valid-type]
    compliance_kind: Literal[COMPLIANCE_KINDS] | None = None  # type: ignore[valid-type]


class ReplySet(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    replies: list[LabelledReply]


def _load(name: str) -> tuple[YamlDoc, ReplySet]:
    try:
        doc = load_yaml(DATA / name)
    except ContentError as exc:
        pytest.fail(str(exc))
    try:
        return doc, ReplySet.model_validate(doc.data)
    except ValidationError as exc:
        pytest.fail("\n".join(str(p) for p in validation_problems(doc, exc)))


def _fingerprint(text: str) -> str:
    """Text with width, case, spacing and punctuation folded: near-identical replies collide."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


@pytest.fixture(scope="module", params=sorted(SETS))
def reply_set(request):
    doc, parsed = _load(request.param)
    return request.param, doc, parsed.replies


def test_category_ids_match_the_code():
    assert CATEGORY_IDS == tuple(CORE_CATEGORIES)


def test_items_are_clean(reply_set):
    name, doc, replies = reply_set
    bad = []
    for i, reply in enumerate(replies):
        where = "{}:{}:{}".format(name, *doc.where(("replies", i)))
        if reply.text != reply.text.strip() or not _fingerprint(reply.text):
            bad.append(f"{where}: text has outer spaces or no letters")
        if len(set(reply.labels)) != len(reply.labels):
            bad.append(f"{where}: a label is repeated")
        if ("taboo" in reply.labels) != bool(reply.taboo_kind) and name in KIND_SETS:
            bad.append(f"{where}: a taboo reply names its taboo_kind, and only a taboo reply does")
        if ("compliance" in reply.labels) != bool(reply.compliance_kind) and reply.compliance_kind is not None:
            bad.append(f"{where}: compliance_kind without the compliance label")
        has_cjk = bool(_CJK.search(reply.text))
        if (reply.lang == "zh") != has_cjk:
            bad.append(f"{where}: lang {reply.lang} does not fit the text")
    assert not bad, "\n".join(bad)


def test_sizes_and_category_counts(reply_set):
    name, _doc, replies = reply_set
    min_total, min_per_lang, min_per_category = SETS[name]
    per_lang = Counter(r.lang for r in replies)
    per_category = Counter((r.lang, label) for r in replies for label in r.labels)
    short = [f"{len(replies)} replies < {min_total}"] if len(replies) < min_total else []
    for lang, need in min_per_lang.items():
        if per_lang[lang] < need:
            short.append(f"{lang}: {per_lang[lang]} replies < {need}")
        for category in CATEGORY_IDS:
            if per_category[lang, category] < min_per_category[lang]:
                short.append(f"{lang} {category}: {per_category[lang, category]} < {min_per_category[lang]}")
    unlabelled = sum(1 for r in replies if not r.labels) / len(replies)
    if unlabelled < UNLABELLED_SHARE.get(name, MIN_UNLABELLED_SHARE):
        short.append(f"only {unlabelled:.0%} of replies carry no label")
    assert not short, f"{name}: " + "; ".join(short)


def test_no_duplicates_within_or_across_sets():
    seen: dict[str, str] = {}
    clashes = []
    for name in sorted(SETS):
        doc, parsed = _load(name)
        for i, reply in enumerate(parsed.replies):
            key = _fingerprint(reply.text)
            where = "{}:{}:{}".format(name, *doc.where(("replies", i)))
            if key in seen:
                clashes.append(f"{where}: same reply as {seen[key]}")
            else:
                seen[key] = where
    assert not clashes, "\n".join(clashes)


def _guide_hard_cases() -> list[tuple[str, list[str]]]:
    """Rows of the guide's hard-case table: (reply, labels); `a / b` cells give several replies."""
    rows = []
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| (.+?) \| \[(.*?)\] \| .* \|$", line)
        if match:
            labels = [x.strip() for x in match.group(2).split(",") if x.strip()]
            rows += [(text.strip(), labels) for text in match.group(1).split(" / ")]
    return rows


def test_guide_hard_cases_are_labelled_as_the_guide_says():
    cases = _guide_hard_cases()
    assert len(cases) >= 10, "the guide's hard-case table was not found"
    for _label, labels in cases:
        assert set(labels) <= set(CATEGORY_IDS)
    labelled = {}
    for name in sorted(SETS):
        for reply in _load(name)[1].replies:
            labelled[_fingerprint(reply.text)] = sorted(reply.labels)
    disagree = [f"{text}: guide {sorted(labels)}, data {labelled[_fingerprint(text)]}"
                for text, labels in cases
                if _fingerprint(text) in labelled and labelled[_fingerprint(text)] != sorted(labels)]
    assert not disagree, "\n".join(disagree)
