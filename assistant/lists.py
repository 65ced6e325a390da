"""Selection within a list: which item of a bulleted list a question picks out.

"Qual das ferramentas de MLOps serve para versionar dados?" names a list (the category,
"ferramentas de MLOps") and a property ("serve para versionar dados"). Each item of the
list is scored against the property only, by lexical coverage and by dense similarity
(the collection's own embedder: "versionar dados" and "DVC (Data Version Control)" share
no word). An item answers only when it beats every other item by a clear margin; otherwise
the caller shows the whole list, which is true even when it is not the answer.

"Qual delas também aparece entre as de MLOps?" asks for the items two lists share; those
are found by equal item text, not by scoring.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from cachetools import LRUCache

from assistant.grounding import BULLET_INDENT_LIMIT, LIST_ITEM, Span, coverage, question_terms
from fonte.textpt import analyze, fold

SELECTION = re.compile(r"^\W*(?:e\s+)?(qual|quais)\s+d[oa]s\b")
"""On the folded question: "Qual das ferramentas…", "Quais dos acessórios…" (the form the
follow-up rewriter gives "E qual delas…?")."""
SHARED = re.compile(r"\b(?:tambem|tanto|ambas|ambos|nas duas|nos dois|em comum)\b")
"""On the folded question: the item asked for is in two lists ("também aparece entre…")."""
_OPENING = re.compile(r"^\W*(?:e\s+)?(?:qual|quais)\s+d[oa]s\s+", re.I)
_CONNECTORS = frozenset({"de", "do", "da", "dos", "das", "e", "em", "no", "na", "nos", "nas"})
_WORD = re.compile(r"\S+")

DENSE_MARGIN = 0.018
"""Cosine lead the best item needs over the runner-up (multilingual-e5-small). Probed on
short lists: questions no item answers ("é a mais antiga", "custa mais caro", "vem na
caixa") led by at most 0.013; "versionar dados" → DVC leads by 0.052, "medir o pó" →
colher dosadora by 0.021."""
LEXICAL_WEIGHT = 0.1
"""Cosine-equivalent of an item holding every discriminative word: one shared content word
out of two (coverage 0.5) is worth a 0.05 cosine lead, more than any no-answer margin."""
LEXICAL_DECISIVE = 0.33
"""Coverage lead that settles the choice without embedding: one item holds a third of the
weight of the discriminative words more than any other (the challenge that names "fracasso
de grandes projetos" leads by 0.37; framing verbs like "costuma levar" keep it below 1).
Long items cost about 0.1 s each to embed on 2 busy cores."""
MAX_CHOSEN_SHARE = 0.5
"""A plural question ("Quais das…") may pick several items, but at most this share of the
list: picking most of it is no selection."""


class Embedder(Protocol):
    """What selection needs of the collection's embedder (LangChain's `Embeddings` fits)."""

    def embed_query(self, text: str) -> list[float]: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


def asks_selection(question: str) -> bool:
    return bool(SELECTION.match(fold(question)))


def asks_shared(question: str) -> bool:
    return bool(SHARED.search(fold(question)))


def list_runs(text: str, body_offset: int = 0) -> list[list[Span]]:
    """Runs of consecutive bulleted lines of a chunk's body, one item span per line (without
    its bullet). Long bullets are items too (a paragraph-style list of challenges)."""
    runs: list[list[Span]] = []
    position = body_offset
    previous_bulleted = False
    for line in text[body_offset:].split("\n"):
        start = position
        position += len(line) + 1
        bullet = LIST_ITEM.match(line)
        if bullet is None or len(line) - len(line.lstrip()) >= BULLET_INDENT_LIMIT:
            previous_bulleted = False
            continue
        if not previous_bulleted:
            runs.append([])
        # LIST_ITEM's match ends on the item's first character
        runs[-1].append(Span(start + bullet.end() - 1, start + len(line.rstrip())))
        previous_bulleted = True
    return runs


def list_items(text: str, span: Span, body_offset: int = 0) -> list[Span]:
    """The items of the bulleted list (two items or more) that `span` overlaps; [] outside one."""
    for run in list_runs(text, body_offset):
        if len(run) >= 2 and span.start < run[-1].end and run[0].start < span.end:
            return run
    return []


def item_key(item: str) -> str:
    """An item's words, folded: the same item written in two lists (or two chunks) is equal."""
    return " ".join(re.findall(r"\w+", fold(item)))


def discriminative_part(question: str, context: str) -> str:
    """The words of a selection question beyond the list's category.

    "Qual das ferramentas de MLOps serve para versionar dados?" → "serve para versionar
    dados": the opening, the plural noun phrase after it (head noun, "de …" complements,
    plural adjectives) and words of the list's heading (`context`) are dropped.
    """
    rest = _OPENING.sub("", question.strip()).rstrip(" ?!.")
    if rest == question.strip().rstrip(" ?!."):
        return rest
    context_stems = set(analyze(context))
    words = _WORD.findall(rest)
    i = 1  # the head noun ("ferramentas", "acessórios", "desafios")
    while i < len(words):
        word = fold(words[i].strip(",;:"))
        if word in _CONNECTORS and i + 1 < len(words):
            i += 2
        elif word.endswith("s") or set(analyze(words[i])) <= context_stems:
            i += 1  # plural adjective ("citadas", "principais") or a heading word
        else:
            break
    return " ".join(words[i:])


def choose(
    question: str,
    items: Sequence[str],
    *,
    context: str,
    idf: Callable[[str], float],
    embedder: Embedder | None,
) -> list[int] | None:
    """Indices (in list order) of the items `question` clearly picks out; None when none wins."""
    part = discriminative_part(question, context)
    context_stems = set(analyze(context))
    terms = [t for t in question_terms(part) if t not in context_stems]
    if len(items) < 2 or not terms:
        return None
    texts = [" ".join(item.split()) for item in items]
    lexical = np.array([coverage(terms, set(analyze(t)), idf) for t in texts])
    order = [int(i) for i in np.argsort(-lexical, kind="stable")]
    if lexical[order[0]] - lexical[order[1]] >= LEXICAL_DECISIVE:
        return [order[0]]
    scores = LEXICAL_WEIGHT * lexical
    if embedder is not None:
        scores += similarities(embedder, part, texts)
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    plural = SELECTION.match(fold(question))
    most = max(1, int(len(items) * MAX_CHOSEN_SHARE)) if plural and plural[1] == "quais" else 1
    for n in range(1, most + 1):
        if scores[order[n - 1]] - scores[order[n]] >= DENSE_MARGIN:
            return sorted(order[:n])
    return None


def shared_items(
    text_a: str, items_a: Sequence[Span], text_b: str, items_b: Sequence[Span]
) -> list[tuple[Span, Span]]:
    """Items written alike in two lists, as (span in a, span in b), in a's order."""
    in_b = {item_key(text_b[s.start : s.end]): s for s in items_b}
    pairs = [(s, in_b.get(item_key(text_a[s.start : s.end]))) for s in items_a]
    return [(a, b) for a, b in pairs if b is not None]


ITEM_CACHE_SIZE = 4096
"""Item vectors kept per process: asking about the same list again embeds only the question
(a 10-item list of sentences costs 0.2-0.7 s to embed on 2 busy cores)."""
_item_cache: LRUCache[tuple[str, str], list[float]] = LRUCache(maxsize=ITEM_CACHE_SIZE)
_cache_lock = threading.Lock()  # an LRUCache is not thread-safe: reads reorder it


def similarities(embedder: Embedder, query: str, texts: list[str]) -> np.ndarray:
    """Cosine of `query` (embedded as a query) to each of `texts` (as passages, cached)."""
    return _cosines(embedder.embed_query(query), _item_vectors(embedder, texts))


def _item_vectors(embedder: Embedder, texts: list[str]) -> list[list[float]]:
    name = str(getattr(embedder, "name", type(embedder).__name__))
    with _cache_lock:
        known = {t: _item_cache[(name, t)] for t in texts if (name, t) in _item_cache}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:  # one batch for every text not cached
        known.update(zip(missing, embedder.embed_documents(missing), strict=True))
        with _cache_lock:
            _item_cache.update({(name, t): known[t] for t in missing})
    return [known[t] for t in texts]


def _cosines(query: list[float], items: list[list[float]]) -> np.ndarray:
    q = np.asarray(query, dtype=np.float64)
    m = np.asarray(items, dtype=np.float64)
    norms = np.linalg.norm(m, axis=1) * np.linalg.norm(q)
    return np.asarray(m @ q / np.where(norms == 0, 1.0, norms))
