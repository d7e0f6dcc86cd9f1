"""Long replies read in windows: a trained scorer judges at most its max length, so a rash promise or a rude
clause inside a long friendly reply is judged on the run of clauses around it."""

from __future__ import annotations

from roleplay.core.lang.normalize import clauses
from roleplay.core.matching.meaning import Found
from roleplay.core.matching.scored import shown_cues
from roleplay.core.matching.taboo_scorer import MAX_UNITS, TabooScorer, Verdict, features, reply_size

# A window is judged against a higher bar than a whole reply: it is read without the clauses around it, so a
# refusal or a stated rule just outside it ("我没法跟您打包票。展期要重新审批，批下来才算数") is not seen.
# Chosen on the dev playthroughs (1,711 good trainees' lines of rounds 1–11, none may be flagged) and the lines
# their authors marked rude or rash: in Chinese, 0.9 for taboo found 5 more marked rude lines of 482 with no good
# line flagged (0.85: 7 more, one good line flagged) and 0.85 for compliance flagged no good line (0.8: one).
# English has none: at 0.9 its taboo windows flagged six good trainees' long replies (a recap of the client's
# complaint read as curt), and its compliance windows a due-date warning stated as a fact.
WINDOW_BAR = {("taboo", "zh"): 0.9, ("compliance", "zh"): 0.85}


def windows(text: str, lang: str, limit: int) -> list[tuple[int, int]]:
    """Spans of the longest runs of whole clauses that fit the limit, one starting at each clause."""
    spans = clauses(text)
    runs = []
    for i, (start, end) in enumerate(spans):
        j = i
        while j + 1 < len(spans) and reply_size(text[start:spans[j + 1][1]], lang) <= limit:
            j += 1
        if j > i or reply_size(text[start:end], lang) <= limit:
            runs.append((start, spans[j][1]))
    # a run inside the previous one says nothing new
    return [r for k, r in enumerate(runs) if not (k and runs[k - 1][1] >= r[1])]


def window_bar(scorer: TabooScorer, category: str) -> float | None:
    """The bar a window decision of this scorer had to reach (None: the language reads no windows)."""
    bar = WINDOW_BAR.get((category, scorer.lang))
    return None if bar is None else max(bar, scorer.threshold)


def window_verdict(scorer: TabooScorer, category: str, text: str) -> tuple[Verdict, int, int] | None:
    """The most confident window decision on a reply too long for the scorer to judge whole, with its span."""
    lang = scorer.lang
    limit = (scorer.max_units or MAX_UNITS).get(lang)
    bar = window_bar(scorer, category)
    if bar is None or limit is None or reply_size(text, lang) <= limit:
        return None
    best: tuple[Verdict, int, int] | None = None
    for start, end in windows(text, lang, limit):
        piece = text[start:end]
        verdict = scorer.judge(features(piece, lang), piece)
        if verdict.taboo and verdict.probability >= bar and (best is None or verdict.probability > best[0].probability):
            best = (verdict, start, end)
    return best


def window_found(scorer: TabooScorer | None, category: str, text: str) -> Found | None:
    """A window decision as evidence over the window's own span."""
    if scorer is None or not scorer.detects:
        return None
    decided = window_verdict(scorer, category, text)
    if decided is None:
        return None
    verdict, start, end = decided
    piece = text[start:end]
    start, end = start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())
    return Found(category, round(100 * verdict.probability, 1), shown_cues(verdict.cues, scorer.lang), start, end,
                 kind=verdict.kind, cues=verdict.cues)
