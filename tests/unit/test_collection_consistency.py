"""Several `Collection` objects on one collection: no lost writes, readers follow commits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fonte.errors import BadRequest
from fonte.settings import Settings
from fonte.types import Chunk
from ingest import ingest_paths
from tests.conftest import HashEmbedder
from vectorstore import Collection
from vectorstore.collection import validate_collection_name


def write_docs(folder: Path, tag: str, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{tag}{i}.md"
        path.write_text(f"# Documento {tag}{i}\n\nO código do documento {tag}{i} é zq{tag}{i}xk.\n")
        paths.append(path)
    return paths


def open_collection(settings: Settings) -> Collection:
    return Collection.open(settings, embedder=HashEmbedder())


def assert_consistent(collection: Collection, expected_sources: int) -> None:
    sources = collection.sources()
    assert len(sources) == expected_sources
    chroma_ids = collection.store.all_ids()
    assert chroma_ids == collection.lexical.ids()
    by_source: dict[str, int] = {}
    for chunk in collection.store.all_chunks():
        by_source[chunk.source] = by_source.get(chunk.source, 0) + 1
    assert by_source == {s.source: s.chunks for s in sources}


def test_stale_writers_never_drop_each_others_sources(settings: Settings, tmp_path: Path) -> None:
    first, second = open_collection(settings), open_collection(settings)  # both see an empty store
    a_docs, b_docs = write_docs(tmp_path / "a", "a", 3), write_docs(tmp_path / "b", "b", 3)
    for a, b in zip(a_docs, b_docs, strict=True):  # interleaved, each from its stale copy
        ingest_paths([a], first)
        ingest_paths([b], second)
    second.remove_source(str(a_docs[0].resolve()))  # removing what only the other one wrote
    for collection in (first, second, open_collection(settings)):
        collection.refresh(force=True)
        assert_consistent(collection, 5)
    on_disk = json.loads((settings.collection_dir / "manifest.json").read_text())
    assert on_disk["generation"] == 7 == first.generation == second.generation
    cached = json.loads((settings.collection_dir / "lexical.json").read_text())
    assert len(cached["versions"]) == 5


def test_a_reader_sees_another_writers_commit_without_reopening(settings: Settings, tmp_path: Path) -> None:
    reader, writer = open_collection(settings), open_collection(settings)
    assert reader.search("zqb0xk", mode="lexical") == []
    ingest_paths(write_docs(tmp_path / "b", "b", 1), writer)
    reader.refresh(force=True)
    for mode in ("lexical", "dense", "hybrid"):
        hits = reader.search("zqb0xk", mode=mode)
        assert hits and "zqb0xk" in hits[0].chunk.text, mode
    assert not reader.is_empty() and len(reader.sources()) == 1


def test_a_dead_writers_pending_source_is_rolled_back(settings: Settings, tmp_path: Path) -> None:
    collection = open_collection(settings)
    ingest_paths(write_docs(tmp_path / "a", "a", 2), collection)
    # what a writer killed mid-file leaves: a pending entry and some of its chunks
    chunk = Chunk(
        chunk_id="dead0", source="/tmp/dead.md", title="", text="meio escrito", body="meio escrito",
        start=0, end=12, page=None, content_hash="x",
    )  # fmt: skip
    collection.store.add([chunk])
    manifest_path = settings.collection_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["sources"]["/tmp/dead.md"] = {"hash": "x", "chunks": 1, "status": "pending"}
    manifest_path.write_text(json.dumps(manifest))
    reopened = open_collection(settings)
    assert "dead0" not in reopened.store.all_ids()
    assert_consistent(reopened, 2)


def test_a_missing_lexical_cache_is_rebuilt_from_chroma(settings: Settings, tmp_path: Path) -> None:
    collection = open_collection(settings)
    ingest_paths(write_docs(tmp_path / "a", "a", 2), collection)
    (settings.collection_dir / "lexical.json").unlink()  # e.g. a replica with an empty disk
    reopened = open_collection(settings)
    assert_consistent(reopened, 2)
    assert reopened.search("zqa1xk", mode="lexical")


@pytest.mark.parametrize("name", ["up2\n", "", "a/b", "-x", "ção", "x" * 64, "a b", "nome\x00"])
def test_bad_collection_names_are_refused(name: str) -> None:
    with pytest.raises(BadRequest, match="Nome de coleção inválido"):
        validate_collection_name(name)


def test_good_collection_names_pass() -> None:
    for name in ("default", "up2", "A-b_c", "x" * 63):
        validate_collection_name(name)


class FailingEmbedder(HashEmbedder):
    """Embeds one batch, then fails, like a model that runs out of memory mid-file."""

    calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        FailingEmbedder.calls += 1
        if FailingEmbedder.calls > 1:
            raise MemoryError("sem memória")
        return super().embed_documents(texts)


def test_a_write_that_fails_midway_is_rolled_back_at_once(settings: Settings) -> None:
    collection = Collection.open(settings, embedder=FailingEmbedder())
    chunks = [
        Chunk(
            chunk_id=f"c{i}",
            source="/doc.md",
            title="",
            text=f"trecho {i}",
            body=f"trecho {i}",
            start=i,
            end=i + 1,
            page=None,
            content_hash="h",
        )
        for i in range(100)  # two batches of 64
    ]
    with pytest.raises(MemoryError):
        collection.replace_source("/doc.md", chunks, "h")
    on_disk = json.loads((settings.collection_dir / "manifest.json").read_text())
    assert on_disk["sources"] == {}  # no pending entry left for the next process to find
    assert collection.store.all_ids() == set() and collection.sources() == []
