from fonte.types import Chunk
from vectorstore.retrieval import reciprocal_rank_fusion


def chunk(name: str) -> Chunk:
    return Chunk(chunk_id=name, source="s", title="t", text=name, body=name, start=0, end=1)


def test_rrf_rewards_agreement() -> None:
    a, b, c = chunk("a"), chunk("b"), chunk("c")
    hits = reciprocal_rank_fusion([(a, 0.9), (b, 0.8)], [(b, 5.0), (c, 4.0)], k=3, rrf_k=60)
    assert [h.chunk.chunk_id for h in hits] == ["b", "a", "c"]
    assert hits[0].score == 1 / 62 + 1 / 61
    assert hits[0].dense_score == 0.8 and hits[0].lexical_score == 5.0
    assert [h.rank for h in hits] == [1, 2, 3]
