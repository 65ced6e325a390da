"""Answers without an LLM: the retrieved sentences that best cover the question, each cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.grounding import BULLET, Span, coverage, is_list_item, passage_units, question_terms
from fonte.textpt import analyze, fold
from fonte.types import Hit

MAX_SENTENCES = 3
"""At most this many cited sentences: the best one and two runners-up keep an answer short."""
MAX_CHARS = 700
"""Total quote characters, so an answer stays about a paragraph (the best unit is kept even if longer)."""
RELATIVE_CUTOFF = 0.6
"""A runner-up must score at least this share of the best unit, or it is off-topic padding."""
OWN_WEIGHT = 0.7
"""Share of a unit's score from its own words: what it says outweighs where it sits."""
CONTEXT_WEIGHT = 0.3
"""Share from its words plus its section title, so a unit under the asked-about heading wins ties."""
RANK_PRIOR = 0.05
"""Bonus divided by the hit's retrieval rank: breaks near-ties in favour of the better passage."""
LIST_ASKED_FACTOR = 1.1
"""Boost for a list unit when the question asks for a list ("quais", "liste", ...)."""
LIST_NOT_ASKED_FACTOR = 0.9
"""Damping for a list unit otherwise, so a defining sentence beats a list under the same heading."""


@dataclass(frozen=True)
class Unit:
    """A citable piece of a retrieved chunk: a sentence, a line, or a block of list items."""

    hit: Hit
    span: Span
    """Offsets in `hit.chunk.text`."""
    score: float
    support: float = 0.0
    """Share of the question's weighted terms found in the unit and its section title."""

    @property
    def quote(self) -> str:
        return self.hit.chunk.text[self.span.start : self.span.end]

    @property
    def rendered(self) -> str:
        lines = [BULLET.sub("", line).strip().rstrip(".;") for line in self.quote.split("\n")]
        text = "; ".join(" ".join(line.split()) for line in lines if line.strip())
        text = text.replace(":;", ":")
        return text if text.endswith((".", "!", "?")) else text + "."


def units(hit: Hit) -> list[Span]:
    return passage_units(hit.chunk.text, len(hit.chunk.text) - len(hit.chunk.body))


LIST_INTENT = re.compile(r"^\W*(?:e\s+)?(?:quais|liste|listar|cite|enumere|que (?:ferramentas|tipos))\b")


def score_units(question: str, hits: list[Hit], idf: Callable[[str], float]) -> list[Unit]:
    terms = question_terms(question)
    # a list scored by its heading ties with a sentence that defines the same term:
    # prefer the list only when the question asks for one
    list_factor = LIST_ASKED_FACTOR if LIST_INTENT.match(fold(question)) else LIST_NOT_ASKED_FACTOR
    scored = []
    for hit in hits:
        title_stems = set(analyze(hit.chunk.title))
        for span in units(hit):
            quote = hit.chunk.text[span.start : span.end]
            stems = set(analyze(quote))
            in_context = coverage(terms, stems | title_stems, idf)
            # a list means nothing without its heading: score it in context
            is_list = is_list_item(hit.chunk.text, span)
            own = list_factor * in_context if is_list else coverage(terms, stems, idf)
            score = OWN_WEIGHT * own + CONTEXT_WEIGHT * in_context + RANK_PRIOR / hit.rank
            scored.append(Unit(hit=hit, span=span, score=score, support=in_context))
    return sorted(scored, key=lambda u: -u.score)


def select(question: str, hits: list[Hit], idf: Callable[[str], float]) -> list[Unit]:
    """The best unit, then close runners-up in reading order."""
    ranked = score_units(question, hits, idf)
    if not ranked:
        return []
    chosen: list[Unit] = []
    budget = MAX_CHARS
    for unit in ranked:
        if len(chosen) == MAX_SENTENCES or unit.score < RELATIVE_CUTOFF * ranked[0].score:
            break
        if len(unit.quote) > budget and chosen:
            continue
        chosen.append(unit)
        budget -= len(unit.quote)
    best, *rest = chosen
    return [best, *sorted(rest, key=lambda u: (u.hit.rank, u.span.start))]
