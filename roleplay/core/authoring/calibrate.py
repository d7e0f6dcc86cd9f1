"""Calibration: run the matcher over a hand-labelled set of replies and measure it per category.

The labelled file is YAML: `replies: [{text: ..., lang: zh|en, labels: [category ids]}]`, with
`taboo_kind` on taboo replies and `compliance_kind` on replies labelled `compliance`
(see docs/labeling-guide.md). Figures per language: precision, recall and F1 per category,
macro-F1 over the twelve categories (eleven courteous ones and taboo), how often a reply that is
not taboo is flagged taboo, taboo recall per kind (and how often the kind shown is the right one),
compliance precision/recall reported apart (per kind too), and the most frequent confusions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from roleplay.core.matching.matcher import Matcher
from roleplay.core.phrasebook.book import CORE_CATEGORIES, Phrasebook
from roleplay.core.content.problems import ContentError, Problem
from roleplay.core.content.yamlsafe import load_yaml, validation_problems

NONE = "(none)"  # stands for "no label" in confusions
TABOO = "taboo"
COMPLIANCE = "compliance"  # a label of its own, measured apart from the macro-F1
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class LabeledReply(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    lang: Literal["zh", "en"]
    labels: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]]
    taboo_kind: Kind | None = None  # brush_off, blame, ... (labeling guide, "Kinds of 忌语")
    compliance_kind: Kind | None = None  # discount, guarantee, absolute_claim
    note: str | None = None


class LabeledSet(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    replies: list[LabeledReply]


def load_labeled(path: str | Path, categories: set[str]) -> list[LabeledReply]:
    """Read a labelled set; unknown category ids are located problems (ContentError).

    `compliance` is always a known label (a set may be measured against a phrasebook without it).
    """
    categories = set(categories) | {COMPLIANCE}
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise ContentError([doc.problem((), "a labelled set is a mapping with a `replies:` list", "L101")])
    try:
        data = LabeledSet.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentError(validation_problems(doc, exc)) from None
    problems: list[Problem] = []
    for i, reply in enumerate(data.replies):
        for j, label in enumerate(reply.labels):
            if label not in categories:
                problems.append(doc.problem(("replies", i, "labels", j), f"unknown category {label!r}", "L102"))
        if reply.taboo_kind and TABOO not in reply.labels:
            problems.append(doc.problem(("replies", i, "taboo_kind"), "taboo_kind on a reply not labelled taboo",
                                        "L103"))
        if reply.compliance_kind and COMPLIANCE not in reply.labels:
            problems.append(doc.problem(("replies", i, "compliance_kind"),
                                        "compliance_kind on a reply not labelled compliance", "L103"))
    if problems:
        raise ContentError(problems)
    return data.replies


@dataclass
class CategoryScore:
    category: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        if self.tp == 0:
            return 0.0
        return 2 * p * r / (p + r)


@dataclass
class KindScore:
    """Recall of one kind of taboo or compliance fault, and how often the kind shown was right."""

    kind: str
    support: int = 0
    found: int = 0  # the reply was flagged (taboo / compliance)
    right_kind: int = 0  # ... and the kind shown was this one

    @property
    def recall(self) -> float:
        return self.found / self.support if self.support else 1.0


@dataclass
class LanguageReport:
    lang: str
    replies: int = 0
    exact: int = 0  # replies whose label set is exactly right
    scores: dict[str, CategoryScore] = field(default_factory=dict)
    taboo_fp: int = 0
    not_taboo: int = 0
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted) -> count
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # text, gold, predicted
    taboo_kinds: dict[str, KindScore] = field(default_factory=dict)
    compliance: CategoryScore = field(default_factory=lambda: CategoryScore(COMPLIANCE))
    compliance_kinds: dict[str, KindScore] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        """Over the twelve categories (courteous ones and taboo); compliance is reported apart."""
        used = [s for c, s in self.scores.items() if c in CORE_CATEGORIES and (s.support or s.fp)]
        return sum(s.f1 for s in used) / len(used) if used else 0.0

    @property
    def taboo_fp_rate(self) -> float:
        return self.taboo_fp / self.not_taboo if self.not_taboo else 0.0


def evaluate(book: Phrasebook, replies: list[LabeledReply], taboo: str = TABOO) -> dict[str, LanguageReport]:
    """Score every reply with the matcher of its language; one report per language present.

    Labels outside the twelve categories other than `compliance` (a phrasebook's own extra
    categories, shared scenario moves) are not scored here.
    """
    matchers: dict[str, Matcher] = {}
    reports: dict[str, LanguageReport] = {}
    for reply in replies:
        matcher = matchers.get(reply.lang) or matchers.setdefault(reply.lang, Matcher(book, reply.lang))
        report = reports.setdefault(reply.lang, LanguageReport(
            reply.lang, scores={c: CategoryScore(c) for c in CORE_CATEGORIES}))
        result = matcher.match(reply.text)
        kinds = {m.category: getattr(m, "kind", None) for m in result.matches}
        _score_apart(report, reply, COMPLIANCE in result.labels, kinds.get(COMPLIANCE))
        gold = set(reply.labels) & set(CORE_CATEGORIES)
        predicted = set(result.labels) & set(CORE_CATEGORIES)
        if reply.taboo_kind:
            kind = report.taboo_kinds.setdefault(reply.taboo_kind, KindScore(reply.taboo_kind))
            kind.support += 1
            kind.found += taboo in predicted
            kind.right_kind += taboo in predicted and kinds.get(taboo) == reply.taboo_kind
        report.replies += 1
        report.exact += gold == predicted
        for c in gold | predicted:
            score = report.scores.setdefault(c, CategoryScore(c))
            if c in gold and c in predicted:
                score.tp += 1
            elif c in predicted:
                score.fp += 1
            else:
                score.fn += 1
        if taboo not in gold:
            report.not_taboo += 1
            report.taboo_fp += taboo in predicted
        missed, extra = sorted(gold - predicted), sorted(predicted - gold)
        for m in missed:
            for e in extra or [NONE]:
                report.confusions[(m, e)] += 1
        if not missed:
            for e in extra:
                report.confusions[(NONE, e)] += 1
        shown_gold = gold | ({COMPLIANCE} & set(reply.labels))
        shown_predicted = predicted | ({COMPLIANCE} & set(result.labels))
        if shown_gold != shown_predicted:
            report.errors.append((reply.text, sorted(shown_gold), sorted(shown_predicted)))
    return reports


def _score_apart(report: LanguageReport, reply: LabeledReply, flagged: bool, kind: str | None) -> None:
    """Compliance: precision/recall of the label, recall per kind."""
    gold = COMPLIANCE in reply.labels
    score = report.compliance
    score.tp += gold and flagged
    score.fp += flagged and not gold
    score.fn += gold and not flagged
    if gold:
        name = reply.compliance_kind or "(unspecified)"
        ks = report.compliance_kinds.setdefault(name, KindScore(name))
        ks.support += 1
        ks.found += flagged
        ks.right_kind += flagged and kind == reply.compliance_kind


def _kind_lines(title: str, kinds: dict[str, KindScore]) -> list[str]:
    if not kinds:
        return []
    support = sum(k.support for k in kinds.values())
    found = sum(k.found for k in kinds.values())
    right = sum(k.right_kind for k in kinds.values())
    lines = [f"{title}: recall {found}/{support} ({found / support:.2f}), right kind shown {right}/{support}",
             f"  {'kind':<16} {'R':>6} {'found':>7} {'kind ok':>8}"]
    for k in sorted(kinds.values(), key=lambda k: k.kind):
        lines.append(f"  {k.kind:<16} {k.recall:6.2f} {k.found:3d}/{k.support:<3d} {k.right_kind:4d}/{k.support}")
    return lines


def format_report(report: LanguageReport, top: int = 10, show_errors: bool = False) -> str:
    """A plain-text table of the figures of one language."""
    lines = [f"== {report.lang}: {report.replies} replies, exact label sets {report.exact}/{report.replies}",
             f"{'category':<12} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}"]
    for s in sorted(report.scores.values(), key=lambda s: s.category):
        if s.support or s.fp:
            lines.append(f"{s.category:<12} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.support:8d}")
    lines.append(f"macro-F1 {report.macro_f1:.3f}")
    lines.append(f"taboo flagged on {report.taboo_fp}/{report.not_taboo} replies that are not taboo "
                 f"({100 * report.taboo_fp_rate:.1f}%)")
    lines += _kind_lines("taboo by kind", report.taboo_kinds)
    c = report.compliance
    if c.support or c.fp:
        lines.append(f"compliance (apart from macro-F1): P {c.precision:.2f} R {c.recall:.2f} F1 {c.f1:.2f} "
                     f"support {c.support}, flagged on {c.fp} replies without a compliance fault")
        lines += _kind_lines("compliance by kind", report.compliance_kinds)
    if report.confusions:
        lines.append("most frequent confusions (expected -> got):")
        for (gold, got), n in report.confusions.most_common(top):
            lines.append(f"  {n:3d}  {gold} -> {got}")
    if show_errors:
        lines.append("replies with a wrong label set:")
        for text, gold_labels, predicted in report.errors:
            lines.append(f"  {text}\n      expected {gold_labels or '[]'}  got {predicted or '[]'}")
    return "\n".join(lines)
