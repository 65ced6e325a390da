"""BM25 over Portuguese-analysed tokens (bm25s), persisted beside the collection."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fonte.textpt import analyze
from fonte.types import Chunk

FORMAT_VERSION = 1


class LexicalIndex:
    """Chunk texts and their analysed tokens; the BM25 model is rebuilt lazily after changes."""

    def __init__(self, path: Path):
        self.path = path
        self._chunks: dict[str, Chunk] = {}
        self._tokens: dict[str, list[str]] = {}
        self._bm25: Any = None
        self._df: Counter[str] | None = None
        self._order: list[str] = []
        if path.exists():
            self._load()

    def __len__(self) -> int:
        return len(self._chunks)

    def ids(self) -> set[str]:
        return set(self._chunks)

    def get(self, chunk_id: str) -> Chunk | None:
        return self._chunks.get(chunk_id)

    def chunks(self) -> list[Chunk]:
        return list(self._chunks.values())

    def add(self, chunks: Sequence[Chunk]) -> None:
        for chunk in chunks:
            self._chunks[chunk.chunk_id] = chunk
            self._tokens[chunk.chunk_id] = analyze(chunk.text)
        self._bm25 = self._df = None

    def delete(self, ids: Iterable[str]) -> None:
        for chunk_id in ids:
            self._chunks.pop(chunk_id, None)
            self._tokens.pop(chunk_id, None)
        self._bm25 = self._df = None

    def ids_for_source(self, source: str) -> list[str]:
        return [i for i, c in self._chunks.items() if c.source == source]

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        tokens = analyze(query)
        if not tokens or not self._chunks:
            return []
        bm25 = self._model()
        scores = bm25.get_scores(tokens)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self._chunks[self._order[i]], float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, stem: str) -> float:
        """Inverse document frequency of an analysed token; unseen tokens get the maximum."""
        if self._df is None:
            self._df = Counter(t for tokens in self._tokens.values() for t in set(tokens))
        n = max(len(self._tokens), 1)
        return math.log(1.0 + n / (self._df.get(stem, 0) + 0.5))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": FORMAT_VERSION,
            "chunks": [dataclasses.asdict(c) for c in self._chunks.values()],
            "tokens": self._tokens,
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def _load(self) -> None:
        payload = json.loads(self.path.read_text(encoding="utf-8"))
        if payload.get("version") != FORMAT_VERSION:
            return
        self._chunks = {c["chunk_id"]: Chunk(**c) for c in payload["chunks"]}
        self._tokens = {i: t for i, t in payload["tokens"].items() if i in self._chunks}

    def _model(self) -> Any:
        if self._bm25 is None:
            import bm25s

            self._order = list(self._chunks)
            model = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
            model.index([self._tokens[i] or ["\x00"] for i in self._order], show_progress=False)
            self._bm25 = model
        return self._bm25
