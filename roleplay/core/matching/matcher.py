"""Explainable, deterministic fuzzy matching of a reply against the phrasebook's categories.

Public API shared by the engine, the TUI and the CLI:

    matcher = Matcher(phrasebook, lang="zh")
    result = matcher.match("您好，我是建行的小李")
    result.labels      -> ["greeting", "self_intro"]        accepted categories
    result.matches     -> [Match(...), ...]                 one per accepted label, best first
    result.candidates  -> [Match(...), ...]                 best raw match of every category (debug view)
    result.notes       -> ["..."]                           why a label was dropped (negation, sarcasm...)
    match.kind         -> "brush_off"                       the kind of a taboo or compliance match
    phrasebook.label(match.category, match.kind, "zh") -> "忌语·推诿"   what a trainee reads

Shared scenario moves (categories with `move: true`) are left out: a scenario's phrasebook turns
on the ones it uses (roleplay.core.scenario.loader.scenario_phrasebook).

How: the reply is split into clauses; each clause is scored against every phrase (a best-aligned
substring ratio, computed only for phrases that share enough units with the clause) and every
template; then the meaning rules of roleplay.core.matching.meaning drop what the words do not mean.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable


from roleplay.core.matching.bounds import Budget, limit_notes, max_units
from roleplay.core.matching.encode import QUESTION, ChineseEncoder, EnglishEncoder, Units
from roleplay.core.matching.meaning import Cues, Found, apply_rules
from roleplay.core.matching.offers import cites_terms, defers, redeemed, softened
from roleplay.core.matching.refusals import refused
from roleplay.core.matching.alignment import NEGATION_WORDS, NEGATIONS, NEUTRAL_SCORE, PhraseEntry, align_score
from roleplay.core.matching.result import Match, MatchResult
from roleplay.core.matching.scored import label_found, negative_found
from roleplay.core.matching.label_scorer import LabelScorer, load_label_scorer
from roleplay.core.matching.taboo_scorer import TabooScorer, Verdict, features, load_scorer
from roleplay.core.matching.windows import window_bar, window_found
from roleplay.core.lang.normalize import clauses
from roleplay.core.lang.profile import profile
from roleplay.core.phrasebook.book import DEFAULT_THRESHOLD, Phrasebook
from roleplay.core.phrasebook.grammar import parse
from roleplay.core.phrasebook.grammar import words as template_words
from roleplay.core.phrasebook.templates import Template, clause_grams, shared_templates

MAX_REPLY_CHARS = 2000  # longer pastes are cut: nobody says more than this in one turn
SHARED_UNITS = 0.6  # a phrase is scored only if this share of its distinct units occurs in the clause
TEMPLATE_SCORE = 100.0
QUESTION_MARKS = ("?", "？")
NEUTRAL = "_neutral"  # pseudo-category of the neutral cues (不客气, you're welcome)
TABOO = "taboo"  # the categories the trained scorers speak for (roleplay.core.matching.taboo_scorer)
COMPLIANCE = "compliance"
JOIN_MAX_UNITS = 40  # neighbouring clauses are re-read as one only while short (one thought, not two)


class Matcher:
    """Scores replies against one language of a phrasebook; the bank is normalised once here."""

    def __init__(self, phrasebook: Phrasebook, lang: str = "zh"):
        self.phrasebook = phrasebook
        self.lang = lang
        self.profile = profile(lang)
        book_cues = phrasebook.cues.get(lang, {})
        if self.profile.words:
            self.encoder: ChineseEncoder | EnglishEncoder = EnglishEncoder(
                phrasebook.aliases.get(lang, {}), book_cues.get("known", []))
            self._learn_vocabulary()
            codes = self.encoder.codes
            self._negations = "".join(codes[w] for w in NEGATION_WORDS if w in codes)
        else:
            self.encoder = ChineseEncoder()
            self._negations = NEGATIONS
        self._template_max_units = max_units(self.encoder.words)
        self.entries: list[PhraseEntry] = []
        self._active = {cid for cid, cat in phrasebook.categories.items() if not cat.move}
        for cat in phrasebook.categories.values():
            if cat.id not in self._active:
                continue
            for phrase in cat.phrases.get(lang, []):
                self._add_entry(cat.id, phrase)
        self.neutral: list[PhraseEntry] = []
        for phrase in book_cues.get("neutral", []):
            units = self.encoder.phrase(phrase)
            if units.key:
                self.neutral.append(PhraseEntry(NEUTRAL, phrase, units.key, units.pkey))
        def cue_list(kind: str) -> list[str]:
            """The phrasebook's cues of one kind, in the form replies are compared in (empty ones dropped)."""
            return [c for c in (self.encoder.cue(x) for x in book_cues.get(kind, [])) if c.strip()]

        self.cues = Cues(**{kind: cue_list(kind) for kind in ("negation", "not_negation", "imperative", "fact_check")})
        self._build_index()
        self._negative = {cid: cat.negative for cid, cat in phrasebook.categories.items()}
        self.templates: dict[str, list[Template]] = {}
        slots = phrasebook.slots.get(lang, {})
        # slot values recur in many templates: normalise each once
        literal = functools.lru_cache(maxsize=None)(self.encoder.literal)
        plain = functools.lru_cache(maxsize=None)(self.encoder.cue)
        context = (self.encoder.signature(), tuple(sorted((k, tuple(v)) for k, v in slots.items())))
        items = [(cat.id, template) for cat in phrasebook.categories.values() if cat.id in self._active
                 for template in cat.templates.get(lang, [])]
        for parsed in shared_templates(context, items, slots, literal, plain, self.encoder.words):
            self.templates.setdefault(parsed.category, []).append(parsed)
        self._index_templates()
        # refusal cues (不能, 没权限, unable to): "我们不能给您免掉手续费" refuses, it promises nothing
        self.refusals = cue_list("refusal")
        # what lifts a taboo match (offers.py): an offer to act, the agreement cited, a softener, a deferring ending
        self.offers = cue_list("offer")
        self.terms, self.parties, self.bystanders = cue_list("terms"), cue_list("party"), cue_list("bystander")
        self.softeners, self.deference = cue_list("softener"), cue_list("deference")
        # the trained taboo scorer: rudeness no family lists, and the kind of a taboo match
        self.scorer: TabooScorer | None = load_scorer(lang) if TABOO in self._active else None
        # ... and for rash promises and absolute claims said in shapes no compliance family lists
        self.compliance_scorer: TabooScorer | None = (
            load_scorer(lang, category=COMPLIANCE) if COMPLIANCE in self._active else None)
        # the trained label scorer: courteous categories in shapes no family lists (only those active here)
        self.labeller: LabelScorer | None = load_label_scorer(lang)

    def _learn_vocabulary(self) -> None:
        book = self.phrasebook
        encoder = self.encoder
        assert isinstance(encoder, EnglishEncoder)
        slots = book.slots.get("en", {})
        for cat in book.categories.values():
            for text in cat.phrases.get("en", []):
                encoder.learn(text)
            for template in cat.templates.get("en", []):
                for text in template_words(parse(template), slots):
                    encoder.learn(text)
        for values in slots.values():
            for value in values:
                encoder.learn(value)
        for kind in ("neutral", "negation", "not_negation", "imperative", "fact_check"):
            for cue in book.cues.get("en", {}).get(kind, []):
                encoder.learn(cue)

    def _add_entry(self, category: str, phrase: str) -> None:
        units = self.encoder.phrase(phrase)
        if units.key:
            self.entries.append(PhraseEntry(category, phrase, units.key, units.pkey))

    def _build_index(self) -> None:
        """Inverted index symbol -> phrases, so only phrases sharing enough units with a clause are scored.

        (Pure Python on purpose: numpy would cost more to import than the whole match takes.)
        """
        postings: dict[str, list[int]] = {}
        self._need: list[int] = []
        for row, e in enumerate(self.entries):
            distinct = set(e.pkey)
            for s in distinct:
                postings.setdefault(s, []).append(row)
            self._need.append(max(1, math.ceil(SHARED_UNITS * len(distinct))))
        self._postings = postings

    def threshold(self, category: str) -> float:
        cat = self.phrasebook.categories.get(category)
        return cat.threshold(self.lang) if cat else DEFAULT_THRESHOLD

    def decision_threshold(self, match: Match, reply: str | None = None) -> float:
        """The 0-100 score a match had to reach: a trained scorer's own threshold for its decisions (they carry
        cues), else the category's phrase threshold. Given the reply, a decision on a window of a reply too long
        to judge whole shows the window's higher bar (windows.py)."""
        if match.cues:
            scorer = {TABOO: self.scorer, COMPLIANCE: self.compliance_scorer}.get(match.category)
            if scorer is not None:
                windowed = window_bar(scorer, match.category) if reply and scorer.bar(reply) is None else None
                return 100 * (windowed or scorer.bar(match.evidence) or scorer.threshold)
            head = self.labeller.heads.get(match.category) if self.labeller else None
            if head is not None:
                return 100 * head.threshold
        return self.threshold(match.category)

    def match(self, text: str) -> MatchResult:
        text = text[:MAX_REPLY_CHARS]
        budget = Budget()  # bounds.py: template search has a CPU budget per reply
        per_clause: list[dict[str, Found]] = []
        clause_units: list[tuple[int, Units]] = []
        for start, end in clauses(text):
            units = self.encoder.reply(text[start:end])
            if not units.key:
                continue
            # templates may ask for a question with {q}: a question mark, or a zh question particle
            if text[end:end + 1] in QUESTION_MARKS or self.profile.asks(units.key):
                units.text += QUESTION
            clause_units.append((start, units))
            per_clause.append(self._score_clause(units, start, budget))
        neutral_spans = self._neutral_spans(clause_units)
        self._add_joined_clauses(per_clause, clause_units, budget)
        categories = self.phrasebook.categories
        # a scorer that only names kinds (English) runs only for a taboo match, in _kind
        judged = (self.scorer and self.scorer.detects) or self.compliance_scorer or self.labeller
        feats = features(text, self.lang) if judged and clause_units else None
        verdict = self.scorer.judge(feats, text) if feats is not None and self.scorer and self.scorer.detects else None
        promised = self.compliance_scorer.judge(feats, text) if feats is not None and self.compliance_scorer else None
        # a reply too long for a scorer to judge whole is judged in windows of clauses (windows.py)
        scored = [f for f in (negative_found(TABOO, verdict, clause_units, self.lang)
                              or window_found(self.scorer, TABOO, text),
                              negative_found(COMPLIANCE, promised, clause_units, self.lang)
                              or window_found(self.compliance_scorer, COMPLIANCE, text))
                  if f is not None]
        courteous = [v for v in (self.labeller.score(feats, text) if feats is not None and self.labeller else [])
                     if v.category in self._active and not categories[v.category].negative]
        labels = label_found(courteous, clause_units, self.lang)
        kept, candidates, notes = apply_rules(
            text, per_clause, clause_units, categories, self.threshold, self.cues, neutral_spans,
            words=self.encoder.words, scored_negative=scored, scored_labels=labels)
        read = len(notes)  # the rules' notes; _refused and redeemed append theirs after
        lifted = {f.category for f in kept if self._refused(f, text, notes) or self._lifted(f, verdict, text, feats, notes)}
        if lifted:
            # a refused promise or a redeemed refusal is no fault: read the reply again without it, so the
            # courtesy it had silenced counts ("Sorry, that's not my area, but let me find the colleague…")
            kept, candidates, again = apply_rules(
                text, [{c: f for c, f in found.items() if c not in lifted} for found in per_clause], clause_units,
                categories, self.threshold, self.cues, neutral_spans, words=self.encoder.words,
                scored_negative=[f for f in scored if f.category not in lifted], scored_labels=labels)
            notes = again + notes[read:]  # the second reading's rules, then why the fault was lifted
        notes += limit_notes(budget, max((len(u.key) for _, u in clause_units), default=0), self.encoder.words,
                             self.phrasebook.origins)
        to_match: Callable[[Found], Match] = lambda f: Match(f.category, round(f.score, 1), f.phrase, f.start, f.end,  # noqa: E731
                                   text[f.start:f.end], self._kind(f, verdict, text, feats), f.cues)
        matches = [to_match(f) for f in kept]
        return MatchResult(text, [m.category for m in matches], matches, [to_match(f) for f in candidates], notes)

    def _lifted(self, f: Found, verdict: Verdict | None, text: str, feats: dict[str, float] | None,
                notes: list[str]) -> bool:
        """A brush-off redeemed by an offer to act, a threat that states what the agreement sets out, an order
        softened in the same reply, or an order or a hurry that ends by leaving it to the client."""
        kind = self._kind(f, verdict, text, feats)
        return (redeemed(f, kind, text, self.encoder.cue, self.offers, notes)
                or cites_terms(f, kind, text, self.encoder.cue, (self.terms, self.parties, self.bystanders), notes)
                or softened(f, kind, text, self.encoder.cue, self.softeners, notes)
                or defers(f, kind, text, self.encoder.cue, self.deference, notes))

    def _refused(self, f: Found, text: str, notes: list[str]) -> bool:
        """A compliance-like match (negative, keeps polite labels) inside a refusal is no promise: drop it."""
        cat = self.phrasebook.categories.get(f.category)
        if cat is None or not (cat.negative and cat.keeps_polite) or not self.refusals:
            return False
        return refused(f, text, self.lang, self.refusals, self.encoder.cue, self.phrasebook.slots.get(self.lang, {}),
                       self.encoder.words, notes)

    def _kind(self, f: Found, verdict: Verdict | None, text: str, feats: dict[str, float] | None) -> str | None:
        """The kind of the family whose phrase or template matched; else, for taboo, the scorer's guess (from the
        reply's features when the match already computed them)."""
        if f.kind:
            return f.kind
        cat = self.phrasebook.categories.get(f.category)
        kind = cat.kind_of.get(self.lang, {}).get(f.phrase) if cat else None
        if kind is None and f.category == TABOO and self.scorer is not None:
            if verdict and verdict.kind:
                kind = verdict.kind
            else:
                kind = self.scorer.kind(feats)[0] if feats is not None else self.scorer.kind_of(text)
        return kind

    def _score_clause(self, units: Units, offset: int, budget: Budget) -> dict[str, Found]:
        """Best evidence per category in one clause, from phrases and templates."""
        best: dict[str, Found] = {}
        for row in self._shortlist(units.pkey):
            entry = self.entries[row]
            score, span = align_score(entry, units, words=self.encoder.words, negations=self._negations)
            if score > (best[entry.category].score if entry.category in best else 0):
                start, end = units.span(*span)
                best[entry.category] = Found(entry.category, score, entry.phrase, offset + start, offset + end, span[0])
        self._score_templates(units, offset, best, budget)
        return best

    def _score_templates(self, units: Units, offset: int, best: dict[str, Found], budget: Budget,
                         boundary: int = -1) -> None:
        """Template evidence into `best`; with a boundary, only matches that straddle it count."""
        if len(units.key) > self._template_max_units or budget.stopped_at is not None:
            return
        plain_text = units.text
        # polite templates read 你 as 您 (register, not meaning); taboo ones keep 你, a rudeness cue
        polite_text = self.profile.polite(plain_text)
        grams = {plain_text: clause_grams(plain_text, self.encoder.words)}
        grams.setdefault(polite_text, clause_grams(polite_text, self.encoder.words))
        candidates = {text: self._template_candidates(g) for text, g in grams.items()}
        for category, templates in self.templates.items():
            if category in best and best[category].score >= TEMPLATE_SCORE:
                continue
            text = plain_text if self._negative.get(category) else polite_text
            for i in candidates[text].get(category, ()):
                template = templates[i]
                if not template.passes(text, grams[text]):
                    continue
                if budget.exhausted(template):
                    return
                m = budget.search(template, text)
                if m and (boundary < 0 or m.start() < boundary < m.end()):
                    first, last = _units_of(units, m.start(), m.end(), self.encoder.words)
                    start, end = units.span(first, last)
                    best[category] = Found(category, TEMPLATE_SCORE, template.text, offset + start, offset + end, first)
                    break

    def _index_templates(self) -> None:
        """Templates by a piece of their most selective gate, so a clause only tries those it could match."""
        self._template_index: dict[str, list[tuple[str, int]]] = {}
        self._template_always: list[tuple[str, int]] = []
        for category, templates in self.templates.items():
            for i, template in enumerate(templates):
                short, long = template.gates[0] if template.gates else (frozenset(), ())
                if not short or long:  # no gate, or pieces too long for the n-gram set: always tried
                    self._template_always.append((category, i))
                for piece in short:
                    self._template_index.setdefault(piece, []).append((category, i))

    def _template_candidates(self, grams: set[str]) -> dict[str, list[int]]:
        """Category -> indices (in phrasebook order) of the templates whose first gate the clause passes."""
        found = set(self._template_always)
        index = self._template_index
        for gram in grams:
            hit = index.get(gram)
            if hit:
                found.update(hit)
        by_category: dict[str, list[int]] = {}
        for category, i in found:
            by_category.setdefault(category, []).append(i)
        for indices in by_category.values():
            indices.sort()  # the first template that matches wins, as written
        return by_category

    def _add_joined_clauses(self, per_clause: list[dict[str, Found]], clause_units: list[tuple[int, Units]],
                            budget: Budget) -> None:
        """Run templates over each pair of neighbouring clauses, for what neither clause shows alone.

        A comma often falls inside one thought (上次为您推介的集团彩铃，感觉怎么样？ / I'm Sam, a
        relationship manager): when one of two neighbours carries no label of its own, a template that
        spans both counts, as a clause of its own.
        """
        pairs = list(zip(clause_units, clause_units[1:], per_clause, per_clause[1:], strict=False))
        for (offset, a), (b_offset, b), found_a, found_b in pairs:
            if len(a.key) + len(b.key) > JOIN_MAX_UNITS:
                continue
            head = a.text[:-len(QUESTION)] if a.text.endswith(QUESTION) else a.text
            text = head + (b.text[1:] if self.encoder.words else b.text)  # en texts are " w1 w2 "
            shift = b_offset - offset  # b's spans are relative to its own clause
            spans = a.spans + [(x + shift, y + shift) for x, y in b.spans]
            joined = Units(a.key + b.key, a.pkey + b.pkey, spans, text)
            labelled_a = {cid: f for cid, f in found_a.items() if f.score >= self.threshold(cid)}
            labelled_b = {cid: f for cid, f in found_b.items() if f.score >= self.threshold(cid)}
            if labelled_a and labelled_b:  # two complete thoughts, each with its own label
                continue
            best = {**labelled_a, **labelled_b}
            known = set(best)
            self._score_templates(joined, offset, best, budget, boundary=len(head))
            new = {cid: f for cid, f in best.items() if cid not in known}
            if new:
                per_clause.append(new)
                clause_units.append((offset, joined))

    def _shortlist(self, pkey: str) -> list[int]:
        shared: Counter[int] = Counter()
        for s in set(pkey):
            rows = self._postings.get(s)
            if rows:
                shared.update(rows)
        need = self._need
        return sorted(row for row, n in shared.items() if n >= need[row])

    def _neutral_spans(self, clause_units: list[tuple[int, Units]]) -> list[tuple[int, int, str]]:
        """Spans of the reply covered by neutral cues, matched across clause boundaries too."""
        if not self.neutral or not clause_units:
            return []
        key = "".join(u.key for _, u in clause_units)
        pkey = "".join(u.pkey for _, u in clause_units)
        spans = [(offset + a, offset + b) for offset, u in clause_units for a, b in u.spans]
        whole = Units(key, pkey, spans, "")
        found = []
        for entry in self.neutral:
            score, (first, last) = align_score(entry, whole, partial_only=True)
            if score >= NEUTRAL_SCORE:
                start, end = whole.span(first, last)
                found.append((start, end, entry.phrase))
        return found


def _units_of(units: Units, start: int, end: int, words: bool) -> tuple[int, int]:
    """Unit range of a template match on `units.text` (characters for zh, words for en)."""
    if not words:
        return start, end
    first = units.text.count(" ", 0, start + 1) - 1
    last = units.text.count(" ", 0, end) - 1
    return max(0, first), max(first + 1, last)
