"""ChromaStore on chromadb's own client: cosine space, recorded embedder, metadata round-trip."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fonte.errors import EmbeddingMismatch
from fonte.types import Chunk
from tests.conftest import HashEmbedder
from vectorstore.chroma import ChromaStore, make_client


def chunk(n: int, body: str, *, source: str = "/docs/a.pdf", page: int | None = None) -> Chunk:
    title = f"Seção {n}"
    return Chunk(
        chunk_id=f"c{n}",
        source=source,
        title=title,
        text=f"{title}\n{body}",
        body=body,
        start=10 * n,
        end=10 * n + len(body),
        page=page,
        content_hash=f"h{n}",
    )


CHUNKS = [
    chunk(1, "O roteador entrega endereços por DHCP.", page=3),
    chunk(2, "Discos são divididos em partições.", page=None),
    chunk(3, "Backups diários evitam perda de dados.", source="/docs/b.txt"),
]


def open_store(path: Path, embedder: HashEmbedder | None = None) -> ChromaStore:
    client = make_client(persist_dir=path, url=None)
    return ChromaStore(client=client, name="fonte-test", embedder=embedder or HashEmbedder())


def test_chunks_round_trip_with_page_and_body_offset(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.add(CHUNKS)
    assert store.count() == 3
    assert sorted(store.all_chunks(), key=lambda c: c.chunk_id) == CHUNKS
    assert set(store.ids_for_source("/docs/a.pdf")) == {"c1", "c2"}
    store.add([CHUNKS[0]])  # the same id again overwrites, it does not duplicate
    assert store.count() == 3
    store.delete(["c1", "c2"])
    assert store.all_ids() == {"c3"}
    assert "langchain_chroma" not in sys.modules


def test_search_scores_are_cosine_similarities(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    assert store.search("roteador", k=2) == []
    store.add(CHUNKS)
    (best, score), (second, second_score) = store.search(CHUNKS[0].text, k=2)
    assert best == CHUNKS[0] and score == pytest.approx(1.0, abs=1e-5)
    query, other = HashEmbedder().embed_documents([CHUNKS[0].text, second.text])
    cosine = sum(a * b for a, b in zip(query, other, strict=True))
    assert second_score == pytest.approx(cosine, abs=1e-5)  # not 2·cos − 1, as squared L2 would give


def test_precomputed_vectors_are_stored_as_given(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    store = open_store(tmp_path, embedder)
    swapped = embedder.embed_documents([CHUNKS[1].text, CHUNKS[0].text])
    store.add(CHUNKS[:2], vectors=swapped)  # c1 gets c2's vector and vice versa
    (best, _), *_ = store.search(CHUNKS[1].text, k=1)
    assert best.chunk_id == "c1"


def test_a_different_embedder_is_refused(tmp_path: Path) -> None:
    open_store(tmp_path).add(CHUNKS)

    class Other(HashEmbedder):
        name = "fake:other"

    with pytest.raises(EmbeddingMismatch, match="fake:hash"):
        open_store(tmp_path, Other())
    assert open_store(tmp_path).count() == 3


def test_a_chunk_deleted_by_another_process_is_skipped_not_a_crash(tmp_path: Path) -> None:
    # the reader's HNSW segment still lists the deleted ids; Chroma returns them without
    # document or metadata (seen when `fonte eval` or the API searched during another ingest)
    import subprocess

    from tests.conftest import REPO

    store = open_store(tmp_path)
    store.add(CHUNKS)
    assert store.search(CHUNKS[0].text, k=3)[0][0].chunk_id == "c1"
    deleter = (
        "import sys; from pathlib import Path; from tests.unit.test_chroma_store import open_store; "
        "open_store(Path(sys.argv[1])).delete(['c1', 'c2'])"
    )
    subprocess.run([sys.executable, "-c", deleter, str(tmp_path)], cwd=REPO, check=True)
    assert [c.chunk_id for c, _ in store.search(CHUNKS[0].text, k=3)] == ["c3"]
