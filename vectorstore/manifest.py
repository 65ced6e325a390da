"""The manifest of a collection (which sources, which version of each) and its generation.

The generation is a counter bumped at every commit; readers compare it with the one they
loaded to notice, cheaply, that another process changed the collection. It lives where
every reader can see it:

- embedded Chroma: `<collection>/manifest.json`, rewritten atomically (temp file + rename);
  checking it costs one `stat` unless the file changed;
- a Chroma server (`FONTE_CHROMA_URL`): a sidecar Chroma collection `fonte-<name>.manifest`
  holding one record per source and one `generation` record, so a replica with an empty
  disk finds everything on the server. (The dot cannot appear in a Fonte collection name,
  so the sidecar never collides with another collection's vectors.)

Writers change a manifest only under the collection's write lock, after re-reading it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fonte.errors import StoreError

GENERATION_ID = "generation"
SOURCE_PREFIX = "source:"
PLACEHOLDER_VECTOR = [1.0]
"""Chroma stores a vector with every record; manifest records are never searched."""


@dataclass
class Manifest:
    generation: int = 0
    embedder: str = ""
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def committed(self) -> dict[str, dict[str, Any]]:
        return {s: e for s, e in self.sources.items() if e.get("status") == "committed"}

    def commits(self) -> dict[str, int]:
        """Source → the generation that committed its current chunks."""
        return {s: int(e.get("commit", 0)) for s, e in self.committed().items()}

    def copy(self) -> Manifest:
        return Manifest(self.generation, self.embedder, {s: dict(e) for s, e in self.sources.items()})


class ManifestStore(Protocol):
    def generation(self) -> int:
        """The committed generation, read cheaply."""

    def load(self) -> Manifest: ...

    def save(self, manifest: Manifest, changed: Iterable[str]) -> None:
        """Persist `manifest`; `changed` names the sources whose entries changed or left."""


class FileManifest:
    """`manifest.json` beside an embedded collection."""

    def __init__(self, path: Path, *, embedder: str):
        self.path = path
        self._embedder = embedder
        self._seen: tuple[int, int, int] | None = None
        self._seen_generation = 0

    def generation(self) -> int:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return 0
        signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        if signature != self._seen:  # os.replace gives every version a new inode
            self._seen_generation = self.load().generation
            self._seen = signature
        return self._seen_generation

    def load(self) -> Manifest:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Manifest(embedder=self._embedder)
        except OSError as e:
            raise self._unreadable() from e
        try:
            payload: dict[str, Any] = json.loads(text)
        except json.JSONDecodeError as e:
            raise self._unreadable() from e
        return Manifest(
            generation=int(payload.get("generation", 0)),
            embedder=str(payload.get("embedder", self._embedder)),
            sources=dict(payload.get("sources", {})),
        )

    def save(self, manifest: Manifest, changed: Iterable[str]) -> None:
        payload = {
            "version": 2,
            "generation": manifest.generation,
            "embedder": manifest.embedder,
            "sources": manifest.sources,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

    def _unreadable(self) -> StoreError:
        return StoreError(f"Manifesto ilegível em {self.path} — apague a pasta da coleção e reingira")


class ChromaManifest:
    """The manifest as a small sidecar collection on the Chroma server."""

    def __init__(self, client: Any, collection_name: str, *, embedder: str):
        self._embedder = embedder
        self._records = client.get_or_create_collection(
            name=f"{collection_name}.manifest",
            metadata={"fonte_role": "manifest"},
            embedding_function=None,
        )

    def generation(self) -> int:
        got: Any = self._records.get(ids=[GENERATION_ID], include=["metadatas"])
        return int(got["metadatas"][0]["generation"]) if got["ids"] else 0

    def load(self) -> Manifest:
        got: Any = self._records.get(include=["metadatas"])
        manifest = Manifest(embedder=self._embedder)
        for record_id, meta in zip(got["ids"], got["metadatas"], strict=True):
            if record_id == GENERATION_ID:
                manifest.generation = int(meta["generation"])
                manifest.embedder = str(meta.get("embedder", self._embedder))
            elif record_id.startswith(SOURCE_PREFIX):
                entry = dict(meta)
                manifest.sources[str(entry.pop("source"))] = entry
        return manifest

    def save(self, manifest: Manifest, changed: Iterable[str]) -> None:
        changed = list(changed)
        gone = [SOURCE_PREFIX + s for s in changed if s not in manifest.sources]
        if gone:
            self._records.delete(ids=gone)
        kept = [s for s in changed if s in manifest.sources]
        ids = [SOURCE_PREFIX + s for s in kept] + [GENERATION_ID]
        metadatas = [{**manifest.sources[s], "source": s} for s in kept]
        metadatas.append({"generation": manifest.generation, "embedder": manifest.embedder})
        # one upsert: the entries and the generation that announces them land together
        self._records.upsert(ids=ids, metadatas=metadatas, embeddings=[PLACEHOLDER_VECTOR] * len(ids))
