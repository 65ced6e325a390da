"""A named collection: Chroma vectors + BM25 index + a manifest of ingested files.

Several processes may use one collection at once (a CLI ingest while `fonte serve` and the
UI answer; several API replicas over one Chroma server). The rules:

- **One writer at a time.** Every write (`replace_source`, `remove_source`, recovery) runs
  under the collection's write lock (`vectorstore.locking`: a file lock on one host, a
  Redis lock across hosts) and first re-reads the manifest and brings the BM25 index up to
  date, so it never rewrites shared state from a stale copy.
- **Crash safety.** A source is marked `pending` in the manifest before its chunks change
  and `committed` (with the new generation) only after Chroma holds them. Pending entries
  found under the lock belong to a writer that died: their chunks are deleted.
- **Readers follow commits.** Searches check the manifest's generation (at most every
  `FRESHNESS_CHECK_S`); when it moved they load the new manifest and re-read from Chroma
  only the sources whose commit changed. The BM25 file beside the collection is a cache
  that any process may rewrite; Chroma and the manifest are the truth.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from fonte.errors import BadRequest
from fonte.settings import Settings
from fonte.types import Chunk, Hit
from vectorstore.chroma import ChromaStore, make_client
from vectorstore.embeddings import get_embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.locking import WriterLock, opening_lock, writer_lock
from vectorstore.manifest import ChromaManifest, FileManifest, Manifest, ManifestStore
from vectorstore.retrieval import reciprocal_rank_fusion, single_ranking

COLLECTION_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_-]{0,62}\Z")
"""Always use `fullmatch` (`\\Z`, unlike `$`, also refuses a trailing newline)."""
FRESHNESS_CHECK_S = 0.5
"""Readers look for a new commit at most this often: one `stat` (or one small Chroma get)
per half second keeps new documents answerable well inside the 2 s target."""
WRITE_BATCH = 64
"""Chunks embedded and added per call; the write lock's lease is renewed between batches."""
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
        self._embedder = embedder or LazyEmbedder(settings.embedder)
        self.store = self._open_store()
        self._manifests: ManifestStore = (
            ChromaManifest(self._client, f"fonte-{self.name}", embedder=self.store.embedder_name)
            if settings.chroma_url
            else FileManifest(self.directory / "manifest.json", embedder=self.store.embedder_name)
        )
        self._refreshing = threading.Lock()
        self._checked_at = time.monotonic()
        self._manifest = self._manifests.load()
        cached = LexicalIndex(self.directory / "lexical.json")
        self.lexical = self._synced(cached, self._manifest)
        self._recover_if_idle()

    @classmethod
    def open(cls, settings: Settings, *, embedder: Embeddings | None = None) -> Collection:
        return cls(settings, embedder=embedder)

    @property
    def generation(self) -> int:
        """The commit this process's view reflects (bumped by every write, in any process)."""
        return self._manifest.generation

    # --- reading -----------------------------------------------------------------------

    def is_empty(self) -> bool:
        self.refresh()
        return not self._manifest.committed()

    def sources(self) -> list[SourceInfo]:
        self.refresh()
        return [
            SourceInfo(
                source=source,
                name=Path(source).name,
                chunks=int(entry["chunks"]),
                content_hash=str(entry["hash"]),
                ingested_at=float(entry.get("ingested_at", 0.0)),
            )
            for source, entry in sorted(self._manifest.committed().items())
        ]

    def source_hash(self, source: str) -> str | None:
        self.refresh()
        entry = self._manifest.committed().get(source)
        return str(entry["hash"]) if entry else None

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
        if not is_utf8(query):  # a lone surrogate (JSON "\ud800", undecodable argv bytes)
            raise BadRequest("A pergunta tem caracteres inválidos (fora do UTF-8) — reescreva-a")
        self.refresh()
        lexical_index = self.lexical  # one snapshot for the whole search
        pool = max(20, 4 * k)
        if mode == "lexical":
            return single_ranking(lexical_index.search(query, pool), k=k, kind="lexical")
        dense = self.store.search(query, pool)
        if mode == "dense":
            return single_ranking(dense, k=k, kind="dense")
        lexical = lexical_index.search(query, pool)
        sections = lexical_index.sections().named(query, lexical_index.idf)
        return reciprocal_rank_fusion(dense, lexical, k=k, rrf_k=self.settings.rrf_k, sections=sections)

    def refresh(self, *, force: bool = False) -> bool:
        """Adopt another process's commit if there is one; True when the view changed."""
        now = time.monotonic()
        if not force and now - self._checked_at < FRESHNESS_CHECK_S:
            return False
        self._checked_at = now
        if self._manifests.generation() == self._manifest.generation:
            return False
        with self._refreshing:
            manifest = self._manifests.load()
            if manifest.generation == self._manifest.generation:
                return False
            self._adopt(manifest)
        return True

    # --- writing -----------------------------------------------------------------------

    def replace_source(
        self, source: str, chunks: Sequence[Chunk], content_hash: str, *, progress: Progress | None = None
    ) -> None:
        """Make `chunks` the only chunks of `source`, atomically with respect to crashes."""
        with self._writing() as lock:
            manifest = self._manifest.copy()
            manifest.sources[source] = {"hash": content_hash, "chunks": len(chunks), "status": "pending"}
            self._manifests.save(manifest, [source])
            self.store.delete(self.store.ids_for_source(source))
            for i in range(0, len(chunks), WRITE_BATCH):
                batch = chunks[i : i + WRITE_BATCH]
                self.store.add(batch)
                if lock is not None:
                    lock.renew()
                if progress:
                    progress(len(batch))
            manifest.generation += 1
            manifest.sources[source] = {
                "hash": content_hash,
                "chunks": len(chunks),
                "status": "committed",
                "ingested_at": time.time(),
                "commit": manifest.generation,
            }
            lexical = self.lexical.copy()
            lexical.set_source(source, chunks, manifest.generation)
            self._commit(manifest, [source], lexical)

    def remove_source(self, source: str) -> int:
        with self._writing():
            manifest = self._manifest.copy()
            entry = manifest.sources.get(source)
            if entry is None or entry.get("status") != "committed":
                raise BadRequest(f"Fonte '{source}' não está na coleção '{self.name}'")
            manifest.sources[source] = {**entry, "status": "pending"}
            self._manifests.save(manifest, [source])
            ids = set(self.store.ids_for_source(source)) | set(self.lexical.ids_for_source(source))
            self.store.delete(ids)
            manifest.sources.pop(source)
            manifest.generation += 1
            lexical = self.lexical.copy()
            lexical.remove_source(source)
            self._commit(manifest, [source], lexical)
            return len(ids)

    @contextmanager
    def _writing(self) -> Iterator[WriterLock | None]:
        """Hold the write lock with an up-to-date view; pending leftovers are rolled back."""
        with self._lock() as lock:
            self._catch_up()
            self._recover()
            try:
                yield lock
            except BaseException:  # e.g. the embedder failed mid-file: roll back now, not at the next write
                with contextlib.suppress(Exception):  # the original error is the one to report
                    self._catch_up()
                    self._recover()
                raise

    def _lock(self, *, blocking: bool = True) -> Any:
        return writer_lock(
            name=self.name,
            directory=self.directory,
            redis_url=self.settings.redis_url,
            timeout=self.settings.write_lock_timeout_s,
            blocking=blocking,
        )

    def _catch_up(self) -> None:
        """Under the lock: load the manifest as it is now, adopting any other commit."""
        with self._refreshing:
            manifest = self._manifests.load()
            if manifest.generation != self._manifest.generation or manifest.sources != self._manifest.sources:
                self._adopt(manifest)  # another commit, or a dead writer's pending leftovers

    def _commit(self, manifest: Manifest, changed: list[str], lexical: LexicalIndex) -> None:
        self._manifests.save(manifest, changed)  # the commit point: readers see the new generation
        with self._refreshing:
            self._manifest, self.lexical = manifest, lexical
        lexical.save()

    # --- views, sync and recovery --------------------------------------------------------

    def _open_store(self) -> ChromaStore:
        url = self.settings.chroma_url
        with contextlib.nullcontext() if url else opening_lock(self.directory):
            self._client = make_client(persist_dir=self.directory / "chroma", url=url)
            return ChromaStore(client=self._client, name=f"fonte-{self.name}", embedder=self._embedder)

    def _adopt(self, manifest: Manifest) -> None:
        """Switch to another process's commit (caller holds `_refreshing`)."""
        if not self.settings.chroma_url:
            self.store = self._reopened_store()
        self.lexical = self._synced(self.lexical, manifest)
        self._manifest = manifest

    def _reopened_store(self) -> ChromaStore:
        """An embedded Chroma client that sees other processes' writes.

        chromadb caches one `System` (and its in-memory HNSW segment) per path and process;
        a new `PersistentClient` on the same path would reuse the stale segment (see
        chroma-core/chroma#3792), so this path's cached system is dropped first.
        """
        from vectorstore.chroma_refresh import forget_embedded_system

        forget_embedded_system(self.directory / "chroma")
        return self._open_store()

    def _synced(self, lexical: LexicalIndex, manifest: Manifest, *, save: bool = True) -> LexicalIndex:
        """`lexical` brought to `manifest`'s commits, re-reading only changed sources."""
        wanted = manifest.commits()
        stale = [s for s, v in lexical.versions.items() if wanted.get(s) != v]
        missing = [s for s, v in wanted.items() if lexical.versions.get(s) != v]
        if not stale and not missing:
            return lexical
        synced = lexical.copy()
        for source in stale:
            synced.remove_source(source)
        if len(missing) > max(8, len(wanted) // 2):  # e.g. a replica with an empty disk
            by_source: dict[str, list[Chunk]] = {}
            for chunk in self.store.all_chunks():
                by_source.setdefault(chunk.source, []).append(chunk)
            for source in missing:
                synced.set_source(source, by_source.get(source, []), wanted[source])
        else:
            for source in missing:
                synced.set_source(source, self.store.chunks_for_source(source), wanted[source])
        if save:
            synced.save()
        return synced

    def _recover_if_idle(self) -> None:
        """On open: roll back a dead writer's leftovers, unless a live writer holds the lock."""
        if not any(e.get("status") != "committed" for e in self._manifest.sources.values()):
            return
        with self._lock(blocking=False) as lock:
            if lock is not None:
                self._catch_up()
                self._recover()

    def _recover(self) -> None:
        """Under the lock: delete chunks no committed entry accounts for."""
        manifest = self._manifest.copy()
        pending = [s for s, e in manifest.sources.items() if e.get("status") != "committed"]
        for source in pending:
            self.store.delete(self.store.ids_for_source(source))
            manifest.sources.pop(source)
        committed = manifest.committed()
        if self.store.count() != sum(int(e["chunks"]) for e in committed.values()):
            orphans = [c.chunk_id for c in self.store.all_chunks() if c.source not in committed]
            self.store.delete(orphans)
        if pending:
            manifest.generation += 1
            self._commit(manifest, pending, self._synced(self.lexical, manifest, save=False))


def is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_collection_name(name: str) -> None:
    if not COLLECTION_NAME.fullmatch(name):
        raise BadRequest(
            f"Nome de coleção inválido: {name!r} — use de 1 a 63 letras, números, '-' ou '_', "
            "começando por letra ou número"
        )
