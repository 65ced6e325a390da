"""Chroma, embedded (persistent on disk) or a server (`FONTE_CHROMA_URL`), through chromadb's client.

Vectors come from our own `Embeddings` object (the collection has no embedding function), so
Chroma only stores and searches them; the collection records which embedder made them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from fonte.errors import EmbeddingMismatch, StoreError
from fonte.types import Chunk
from vectorstore.embeddings import embedder_name

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

ADD_BATCH = 64
"""Chunks embedded per call: a few seconds of e5 on 2 cores, so progress stays visible."""
PRECOMPUTED_BATCH = 5000
"""Chunks per call when vectors are given: just under Chroma's SQLite limit of 5,461."""
DELETE_BATCH = 500
"""Ids per delete call: well under that limit."""


def make_client(*, persist_dir: Path, url: str | None) -> Any:
    """An embedded persistent client, or an HTTP client when `url` is given."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        parsed = urlparse(url)
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "localhost",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as e:
            raise StoreError(
                f"Chroma não respondeu em {url} — rode `chroma run --path DIR --port "
                f"{parsed.port or 8000}` ou remova FONTE_CHROMA_URL para usar o modo embutido"
            ) from e
        return client
    persist_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(persist_dir), settings=chroma_settings)


class ChromaStore:
    """Dense vectors of one collection. Records its embedding model and refuses another."""

    def __init__(self, *, client: Any, name: str, embedder: Embeddings):
        self.embedder = embedder
        self.embedder_name = embedder_name(embedder)
        self._collection = client.get_or_create_collection(
            name=name,
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "fonte_embedder": self.embedder_name},
        )
        recorded = (self._collection.metadata or {}).get("fonte_embedder")
        if recorded and recorded != self.embedder_name:
            raise EmbeddingMismatch(
                f"A coleção '{name}' foi indexada com '{recorded}', não '{self.embedder_name}' "
                f"— defina FONTE_EMBEDDER={recorded} ou reingira numa nova coleção (--collection)"
            )

    def count(self) -> int:
        return int(self._collection.count())

    def add(
        self,
        chunks: Sequence[Chunk],
        *,
        vectors: Sequence[Sequence[float]] | NDArray[np.float32] | None = None,
    ) -> None:
        """Store `chunks` (overwriting equal ids), embedding them unless `vectors` are given."""
        batch_size = ADD_BATCH if vectors is None else PRECOMPUTED_BATCH
        for i in range(0, len(chunks), batch_size):
            batch = chunks[i : i + batch_size]
            texts = [c.text for c in batch]
            embedded = (
                self.embedder.embed_documents(texts) if vectors is None else vectors[i : i + batch_size]
            )
            self._collection.upsert(
                ids=[c.chunk_id for c in batch],
                embeddings=embedded,
                documents=texts,
                metadatas=[_metadata(c) for c in batch],
            )

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), DELETE_BATCH):
            self._collection.delete(ids=ids[i : i + DELETE_BATCH])

    def ids_for_source(self, source: str) -> list[str]:
        return list(self._collection.get(where={"source": source}, include=[])["ids"])

    def chunks_for_source(self, source: str) -> list[Chunk]:
        result: Any = self._collection.get(where={"source": source}, include=["documents", "metadatas"])
        return [
            _chunk(i, d, m)
            for i, d, m in zip(result["ids"], result["documents"], result["metadatas"], strict=True)
        ]

    def all_ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def all_chunks(self) -> list[Chunk]:
        result: Any = self._collection.get(include=["documents", "metadatas"])
        return [
            _chunk(i, d, m)
            for i, d, m in zip(result["ids"], result["documents"], result["metadatas"], strict=True)
        ]

    def search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """Top-k chunks with cosine similarity (1 = identical)."""
        if self.count() == 0:
            return []
        vector: Any = self.embedder.embed_query(query)
        result: Any = self._collection.query(
            query_embeddings=[vector], n_results=k, include=["documents", "metadatas", "distances"]
        )
        rows = zip(
            result["ids"][0],
            result["documents"][0],
            result["metadatas"][0],
            result["distances"][0],
            strict=True,
        )
        # a chunk another process deleted after this one loaded its index comes back without
        # document or metadata (the HNSW segment is per process): it no longer exists, skip it
        return [(_chunk(i, d, m), 1.0 - float(dist)) for i, d, m, dist in rows if d is not None and m]


def _metadata(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": chunk.source,
        "title": chunk.title,
        "start": chunk.start,
        "end": chunk.end,
        "content_hash": chunk.content_hash,
        "body_offset": chunk.body_offset,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    return meta


def _chunk(chunk_id: str, text: str, meta: Any) -> Chunk:
    body_offset = int(meta.get("body_offset", 0))
    page = meta.get("page")
    return Chunk(
        chunk_id=chunk_id,
        source=str(meta["source"]),
        title=str(meta.get("title", "")),
        text=text,
        body=text[body_offset:],
        start=int(meta["start"]),
        end=int(meta["end"]),
        page=int(page) if page is not None else None,
        content_hash=str(meta.get("content_hash", "")),
    )
