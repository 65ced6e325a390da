"""Rank fusion of dense and lexical results."""

from __future__ import annotations

from collections.abc import Sequence

from fonte.settings import RRF_K
from fonte.types import Chunk, Hit

SECTION_WEIGHT = 1.5
"""An opening of the section the question names scores at least 1.5 / (rrf_k + its position):
above a passage that one retriever alone puts first (1 / (rrf_k + 1)), so it is a candidate."""


def reciprocal_rank_fusion(
    dense: Sequence[tuple[Chunk, float]],
    lexical: Sequence[tuple[Chunk, float]],
    *,
    k: int,
    rrf_k: int = RRF_K,
    dense_weight: float = 1.0,
    lexical_weight: float = 1.0,
    sections: Sequence[tuple[Chunk, float]] = (),
    section_weight: float = SECTION_WEIGHT,
) -> list[Hit]:
    """Fuse the ranked lists: score = Σ weight / (rrf_k + rank), ranks from 1.

    `sections` are the opening passages of the sections the question names
    (`vectorstore.sections`; empty for most questions). They set a floor, not a bonus: an
    opening the retrievers missed becomes a candidate, while passages the retrievers found
    keep the order they agree on (a later passage of the named section may answer better).
    """
    fused: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    dense_scores = {c.chunk_id: s for c, s in dense}
    lexical_scores = {c.chunk_id: s for c, s in lexical}
    best_rank: dict[str, int] = {}
    for weight, ranking in ((dense_weight, dense), (lexical_weight, lexical)):
        for rank, (chunk, _) in enumerate(ranking, start=1):
            fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + weight / (rrf_k + rank)
            chunks[chunk.chunk_id] = chunk
            best_rank[chunk.chunk_id] = min(best_rank.get(chunk.chunk_id, rank), rank)
    for rank, (chunk, _) in enumerate(sections, start=1):
        fused[chunk.chunk_id] = max(fused.get(chunk.chunk_id, 0.0), section_weight / (rrf_k + rank))
        chunks[chunk.chunk_id] = chunk
        best_rank[chunk.chunk_id] = min(best_rank.get(chunk.chunk_id, rank), rank)
    # equal fused scores are common (dense 2 + lexical 3 = dense 3 + lexical 2): the chunk one
    # retriever put higher goes first, then document order; never the id, a hash of the file's
    # path, which ranked the same corpus differently when it lived in another folder
    ordered = sorted(fused, key=lambda i: (-fused[i], best_rank[i], chunks[i].name, chunks[i].start, i))[:k]
    return [
        Hit(
            chunk=chunks[i],
            score=fused[i],
            rank=rank,
            dense_score=dense_scores.get(i),
            lexical_score=lexical_scores.get(i),
        )
        for rank, i in enumerate(ordered, start=1)
    ]


def single_ranking(results: Sequence[tuple[Chunk, float]], *, k: int, kind: str) -> list[Hit]:
    """Hits from one retriever, keeping its own score."""
    return [
        Hit(
            chunk=chunk,
            score=score,
            rank=rank,
            dense_score=score if kind == "dense" else None,
            lexical_score=score if kind == "lexical" else None,
        )
        for rank, (chunk, score) in enumerate(results[:k], start=1)
    ]
