"""BM25 over Portuguese-analysed tokens (bm25s), cached beside the collection.

The index is derived state: Chroma holds every chunk, the manifest says which version of
each source is committed. `versions` records, per source, the commit the index holds, so
a process can bring a stale copy up to date by re-reading only the sources that changed
(see `Collection`); the file on disk is a cache any process may rewrite.
"""

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
from vectorstore.sections import SectionIndex

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 1 files (no per-source versions) still load; their sources are re-synced once."""


class LexicalIndex:
    """Chunk texts and their analysed tokens; the BM25 model is rebuilt lazily after changes."""

    def __init__(self, path: Path, *, load: bool = True):
        self.path = path
        self._chunks: dict[str, Chunk] = {}
        self._tokens: dict[str, list[str]] = {}
        self.versions: dict[str, int] = {}
        """Source → the commit (collection generation) whose chunks this index holds."""
        self._bm25: Any = None
        self._df: Counter[str] | None = None
        self._sections: SectionIndex | None = None
        self._order: list[str] = []
        if load and path.exists():
            self._load()

    def __len__(self) -> int:
        return len(self._chunks)

    def copy(self) -> LexicalIndex:
        """A private copy to change while readers keep searching this one."""
        other = LexicalIndex(self.path, load=False)
        other._chunks = dict(self._chunks)
        other._tokens = dict(self._tokens)
        other.versions = dict(self.versions)
        return other

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
        self._bm25 = self._df = self._sections = None

    def delete(self, ids: Iterable[str]) -> None:
        for chunk_id in ids:
            self._chunks.pop(chunk_id, None)
            self._tokens.pop(chunk_id, None)
        self._bm25 = self._df = self._sections = None

    def set_source(self, source: str, chunks: Sequence[Chunk], version: int) -> None:
        """Make `chunks` the only chunks of `source`, recorded as commit `version`."""
        self.remove_source(source)
        self.add(chunks)
        self.versions[source] = version

    def remove_source(self, source: str) -> None:
        self.delete(self.ids_for_source(source))
        self.versions.pop(source, None)

    def ids_for_source(self, source: str) -> list[str]:
        return [i for i, c in self._chunks.items() if c.source == source]

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        tokens = analyze(query)
        if not tokens or not self._chunks:
            return []
        bm25, order = self._model()
        scores = bm25.get_scores(tokens)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self._chunks[order[i]], float(scores[i])) for i in top if scores[i] > 0]

    def sections(self) -> SectionIndex:
        """Section headings and opening passages (`vectorstore.sections`), rebuilt after changes."""
        if self._sections is None:
            self._sections = SectionIndex(self._chunks.values())
        return self._sections

    def idf(self, stem: str) -> float:
        """Inverse document frequency of an analysed token; unseen tokens get the maximum."""
        if self._df is None:
            self._df = Counter(t for tokens in self._tokens.values() for t in set(tokens))
        n = max(len(self._tokens), 1)
        return math.log(1.0 + n / (self._df.get(stem, 0) + 0.5))

    def save(self) -> None:
        """Write atomically (temporary file + rename): readers never see half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": FORMAT_VERSION,
            "versions": self.versions,
            "chunks": [dataclasses.asdict(c) for c in self._chunks.values()],
            "tokens": self._tokens,
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def _load(self) -> None:
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return  # a cache: an unreadable one is rebuilt from Chroma
        if payload.get("version") not in READABLE_VERSIONS:
            return
        self._chunks = {c["chunk_id"]: Chunk(**c) for c in payload["chunks"]}
        self._tokens = {i: t for i, t in payload["tokens"].items() if i in self._chunks}
        self.versions = {str(s): int(v) for s, v in payload.get("versions", {}).items()}

    def _model(self) -> tuple[Any, list[str]]:
        if self._bm25 is None:
            import bm25s

            order = list(self._chunks)
            model = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
            model.index([self._tokens[i] or ["\x00"] for i in order], show_progress=False)
            self._order, self._bm25 = order, model
        return self._bm25, self._order
