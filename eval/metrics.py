"""Eval metrics: retrieval, faithfulness, ALCE-style citations, correctness, abstention, latency."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from eval import judge

MAX_CITATIONS_PER_CLAIM = 3


QUOTE_MARKS = str.maketrans("“”„‟″«»‘’‚‛′", '"""""""\'\'\'\'\'')


def _collapse(text: str) -> str:
    """Whitespace runs as one space, typographic quotes as ASCII ones (the PDF writes ”ls”)."""
    return " ".join(text.split()).translate(QUOTE_MARKS)


def is_relevant(chunk_text: str, gold_quotes: Sequence[str]) -> bool:
    """A chunk is relevant when it holds a gold quote (or, split at a boundary, a 60-char end of one)."""
    text = _collapse(chunk_text)
    for quote in map(_collapse, gold_quotes):
        if quote in text or (len(quote) > 80 and (quote[:60] in text or quote[-60:] in text)):
            return True
    return False


def hit_at_k(relevance: Sequence[bool], k: int) -> float:
    return 1.0 if any(relevance[:k]) else 0.0


def reciprocal_rank(relevance: Sequence[bool]) -> float:
    return next((1.0 / rank for rank, rel in enumerate(relevance, start=1) if rel), 0.0)


def ndcg_at_k(relevance: Sequence[bool], k: int, n_relevant: int) -> float:
    dcg = sum(1.0 / math.log2(rank + 1) for rank, rel in enumerate(relevance[:k], start=1) if rel)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_relevant, k) + 1))
    return dcg / ideal if ideal else 0.0


def faithfulness(answer: str, passages_by_n: dict[int, str]) -> tuple[int, int]:
    """(supported claims, claims): each claim judged against the passages it cites."""
    claims = judge.claims(answer)
    supported = sum(
        judge.supported(
            text, [passages_by_n[n] for n in marks[:MAX_CITATIONS_PER_CLAIM] if n in passages_by_n]
        )
        for text, marks in claims
    )
    return supported, len(claims)


def citation_scores(answer: str, passages_by_n: dict[int, str]) -> tuple[int, int, int, int]:
    """ALCE: (claims with full citation support, claims, relevant citations, citations)."""
    recall_hits = precision_hits = n_citations = 0
    claims = judge.claims(answer)
    for text, marks in claims:
        cited = [n for n in marks[:MAX_CITATIONS_PER_CLAIM] if n in passages_by_n]
        jointly = judge.supported(text, [passages_by_n[n] for n in cited])
        recall_hits += bool(cited) and jointly
        for n in cited:
            n_citations += 1
            alone = judge.supported(text, [passages_by_n[n]])
            others = [passages_by_n[m] for m in cited if m != n]
            irrelevant = not alone and (not others or judge.supported(text, others))
            precision_hits += jointly and not irrelevant
    return recall_hits, len(claims), precision_hits, n_citations


SENTENCE_CLOSE = re.compile(r"[.!?…:;][\"'”’)\]]*$")


def ends_at_boundary(quote: str, chunk_text: str) -> bool:
    """Whether a quote ends where a sentence, list item or block of the source ends.

    Loaders put one block per line (paragraph, list item, heading, table cell, code line), so
    a quote ends at a boundary when it ends in sentence punctuation or at the end of a line:
    before a newline (unless a long line goes on in lower case: a wrapped line of a text
    that was not unwrapped), or at the chunk's end when its last line is whole (chunks are
    cut at line ends first).
    """
    quote = quote.rstrip()
    if SENTENCE_CLOSE.search(quote):
        return True
    position = chunk_text.rfind(quote)  # the body's occurrence, not the title line's
    if position < 0:
        return False
    end = position + len(quote)
    if end < len(chunk_text):
        return chunk_text[end] == "\n" and not _wrapped(quote, chunk_text[end + 1 :])
    last_line_start = position + quote.rfind("\n") + 1
    return last_line_start == 0 or chunk_text[last_line_start - 1] == "\n"


WRAPPED_LINE_CHARS = 60
"""A visual line of a page or a fixed-width file; shorter unpunctuated lines are titles or cells."""


def _wrapped(quote: str, after: str) -> bool:
    """A long unpunctuated line continued in lower case: the quote stopped at a wrapped line."""
    last_line = quote.rsplit("\n", 1)[-1]
    return len(last_line) >= WRAPPED_LINE_CHARS and after[:1].islower()


def key_fact_recall(answer: str, key_facts: Sequence[str]) -> float:
    if not key_facts:
        return 1.0
    folded = judge.fold(_collapse(answer))
    return sum(judge.fold(_collapse(fact)) in folded for fact in key_facts) / len(key_facts)


def _tokens(text: str) -> list[str]:
    text = re.sub(r"\[\d{1,2}\]", " ", text)
    return [w for w in (judge.fold(t) for t in judge.WORD.findall(text)) if w not in judge.FUNCTION_WORDS]


def token_f1(answer: str, reference: str) -> float:
    predicted, gold = Counter(_tokens(answer)), Counter(_tokens(reference))
    overlap = sum((predicted & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(predicted.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def abstention(expected: Sequence[bool], actual: Sequence[bool]) -> tuple[float, float]:
    """(precision, recall) of abstaining, positives being questions that should be abstained on."""
    true_positive = sum(e and a for e, a in zip(expected, actual, strict=True))
    predicted, positives = sum(actual), sum(expected)
    precision = true_positive / predicted if predicted else (1.0 if not positives else 0.0)
    recall = true_positive / positives if positives else 1.0
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]
