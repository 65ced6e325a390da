"""A named collection: Chroma vectors + BM25 index + a manifest of ingested files.

Writes follow a small protocol so that a process killed at any point leaves the
collection consistent: a source is marked `pending` in the manifest before its chunks
change and `committed` only after both indexes are saved. On open, pending sources are
rolled back (their chunks deleted) and the BM25 index is rebuilt from Chroma if the two
disagree.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from fonte.errors import BadRequest, StoreError
from fonte.settings import Settings
from fonte.types import Chunk, Hit
from vectorstore.chroma import ChromaStore, make_client
from vectorstore.embeddings import get_embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.retrieval import reciprocal_rank_fusion, single_ranking

COLLECTION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
Progress = Callable[[int], None]


@dataclass(frozen=True)
class SourceInfo:
    source: str
    name: str
    chunks: int
    content_hash: str
    ingested_at: float


class LazyEmbedder(Embeddings):
    """Loads the embedding model on first use, so lexical-only work never pays for it."""

    def __init__(self, spec: str):
        self.name = spec
        self._inner: Embeddings | None = None

    def _get(self) -> Embeddings:
        if self._inner is None:
            self._inner = get_embedder(self.name)
        return self._inner

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._get().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._get().embed_query(text)


class Collection:
    """Open with `Collection.open(settings)`; all reads and writes go through it."""

    def __init__(self, settings: Settings, *, embedder: Embeddings | None = None):
        validate_collection_name(settings.collection)
        self.settings = settings
        self.name = settings.collection
        self.directory = settings.collection_dir
        self.directory.mkdir(parents=True, exist_ok=True)
        client = make_client(persist_dir=self.directory / "chroma", url=settings.chroma_url)
        self.store = ChromaStore(
            client=client,
            name=f"fonte-{self.name}",
            embedder=embedder or LazyEmbedder(settings.embedder),
        )
        self.lexical = LexicalIndex(self.directory / "lexical.json")
        self._manifest_path = self.directory / "manifest.json"
        self._manifest = self._read_manifest()
        self._recover()

    @classmethod
    def open(cls, settings: Settings, *, embedder: Embeddings | None = None) -> Collection:
        return cls(settings, embedder=embedder)

    # --- reading -----------------------------------------------------------------------

    def is_empty(self) -> bool:
        return len(self.lexical) == 0

    def sources(self) -> list[SourceInfo]:
        return [
            SourceInfo(
                source=source,
                name=Path(source).name,
                chunks=int(entry["chunks"]),
                content_hash=str(entry["hash"]),
                ingested_at=float(entry.get("ingested_at", 0.0)),
            )
            for source, entry in sorted(self._manifest["sources"].items())
            if entry.get("status") == "committed"
        ]

    def source_hash(self, source: str) -> str | None:
        entry = self._manifest["sources"].get(source)
        return str(entry["hash"]) if entry and entry.get("status") == "committed" else None

    def resolve_source(self, name_or_path: str) -> str:
        """Find a source by full path or file name; BadRequest if absent or ambiguous."""
        known = [s.source for s in self.sources()]
        if name_or_path in known:
            return name_or_path
        resolved = str(Path(name_or_path).expanduser().resolve())
        if resolved in known:
            return resolved
        by_name = [s for s in known if Path(s).name == name_or_path]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise BadRequest(f"'{name_or_path}' é ambíguo: {', '.join(by_name)} — use o caminho")
        raise BadRequest(f"Fonte '{name_or_path}' não está na coleção '{self.name}' — veja `fonte sources`")

    def search(self, query: str, *, k: int | None = None, mode: str | None = None) -> list[Hit]:
        k = k or self.settings.k
        mode = mode or self.settings.mode
        if mode not in ("hybrid", "dense", "lexical"):
            raise BadRequest(f"Modo de busca inválido: {mode} — use hybrid, dense ou lexical")
        pool = max(20, 4 * k)
        if mode == "lexical":
            return single_ranking(self.lexical.search(query, pool), k=k, kind="lexical")
        dense = self.store.search(query, pool)
        if mode == "dense":
            return single_ranking(dense, k=k, kind="dense")
        lexical = self.lexical.search(query, pool)
        return reciprocal_rank_fusion(dense, lexical, k=k, rrf_k=self.settings.rrf_k)

    # --- writing -----------------------------------------------------------------------

    def replace_source(
        self, source: str, chunks: Sequence[Chunk], content_hash: str, *, progress: Progress | None = None
    ) -> None:
        """Make `chunks` the only chunks of `source`, atomically with respect to crashes."""
        self._set_entry(source, {"hash": content_hash, "chunks": len(chunks), "status": "pending"})
        self._delete_chunks(source)
        for i in range(0, len(chunks), 64):
            batch = chunks[i : i + 64]
            self.store.add(batch)
            self.lexical.add(batch)
            if progress:
                progress(len(batch))
        self.lexical.save()
        self._set_entry(
            source,
            {"hash": content_hash, "chunks": len(chunks), "status": "committed", "ingested_at": time.time()},
        )

    def remove_source(self, source: str) -> int:
        entry = self._manifest["sources"].get(source)
        if entry is None:
            raise BadRequest(f"Fonte '{source}' não está na coleção '{self.name}'")
        self._set_entry(source, {**entry, "status": "pending"})
        removed = self._delete_chunks(source)
        self.lexical.save()
        self._manifest["sources"].pop(source)
        self._write_manifest()
        return removed

    def _delete_chunks(self, source: str) -> int:
        ids = set(self.store.ids_for_source(source)) | set(self.lexical.ids_for_source(source))
        self.store.delete(ids)
        self.lexical.delete(ids)
        return len(ids)

    # --- manifest and recovery -----------------------------------------------------------

    def _recover(self) -> None:
        pending = [s for s, e in self._manifest["sources"].items() if e.get("status") != "committed"]
        for source in pending:
            self._delete_chunks(source)
            self._manifest["sources"].pop(source)
        if pending:
            self.lexical.save()
            self._write_manifest()
        if self.store.count() != len(self.lexical):
            self._rebuild_lexical()

    def _rebuild_lexical(self) -> None:
        self.lexical.delete(self.lexical.ids())
        self.lexical.add(self.store.all_chunks())
        self.lexical.save()

    def _set_entry(self, source: str, entry: dict[str, Any]) -> None:
        self._manifest["sources"][source] = entry
        self._write_manifest()

    def _read_manifest(self) -> dict[str, Any]:
        if not self._manifest_path.exists():
            return {"version": 1, "embedder": self.store.embedder_name, "sources": {}}
        try:
            manifest: dict[str, Any] = json.loads(self._manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise StoreError(
                f"Manifesto ilegível em {self._manifest_path} — apague a pasta da coleção e reingira"
            ) from e
        return manifest

    def _write_manifest(self) -> None:
        tmp = self._manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self._manifest_path)


def validate_collection_name(name: str) -> None:
    if not COLLECTION_NAME.fullmatch(name):
        raise BadRequest(f"Nome de coleção inválido: '{name}' — use letras, números, '-' ou '_' (até 63)")
