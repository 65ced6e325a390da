"""`lists.similarities` embeds each passage text once, in one batch, and keeps a bounded cache."""

from __future__ import annotations

import pytest
from cachetools import LRUCache

from assistant import lists


class CountingEmbedder:
    """Word-length vectors; records each batch of passages it is asked to embed."""

    name = "counting"

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def embed_query(self, text: str) -> list[float]:
        return [float(len(text)), 1.0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return [[float(len(t)), 1.0] for t in texts]


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch) -> LRUCache[tuple[str, str], list[float]]:
    fresh: LRUCache[tuple[str, str], list[float]] = LRUCache(maxsize=2)
    monkeypatch.setattr(lists, "_item_cache", fresh)
    return fresh


def test_cached_texts_are_not_embedded_again(cache: LRUCache[tuple[str, str], list[float]]) -> None:
    embedder = CountingEmbedder()
    first = lists.similarities(embedder, "pergunta", ["jarra", "filtro", "jarra"])
    again = lists.similarities(embedder, "pergunta", ["filtro", "jarra"])
    assert embedder.batches == [["jarra", "filtro"]]  # one batch, each text once
    assert list(first) == pytest.approx([first[0], first[1], first[0]])
    assert list(again) == pytest.approx([first[1], first[0]])


def test_the_cache_is_bounded_and_forgets_the_least_recently_used(
    cache: LRUCache[tuple[str, str], list[float]],
) -> None:
    embedder = CountingEmbedder()
    lists.similarities(embedder, "p", ["jarra", "filtro"])
    lists.similarities(embedder, "p", ["jarra"])  # "jarra" is now the most recently used
    lists.similarities(embedder, "p", ["colher"])
    assert len(cache) == 2 and ("counting", "filtro") not in cache
    lists.similarities(embedder, "p", ["jarra", "filtro"])
    assert embedder.batches == [["jarra", "filtro"], ["colher"], ["filtro"]]
