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
# a list item, or a shell command line: whole lines of their own
LIST_ITEM_LINE = re.compile(r"^\s*(?:[•◦▪*·–-]|\d{1,2}[.)]|[#$](?=\s))\s*\S")


def ends_at_boundary(quote: str, chunk_text: str) -> bool:
    """Whether a quote ends where a sentence or list item of the source ends.

    That is: at sentence punctuation, or at the end of a line whose next line does not
    continue it in lower case (a list item, table row, title or paragraph without a period).
    """
    quote = quote.rstrip()
    if SENTENCE_CLOSE.search(quote):
        return True
    position = chunk_text.find(quote)
    if position < 0:
        return False
    after = chunk_text[position + len(quote) :]
    if after and not after.startswith("\n"):
        return False
    if LIST_ITEM_LINE.match(quote.rsplit("\n", 1)[-1]):
        return True  # a list item or command ends at its line end, also the chunk's last line
    return bool(after) and not after.lstrip()[:1].islower()


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
