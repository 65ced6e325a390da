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


def test_ties_do_not_depend_on_where_the_corpus_lives() -> None:
    # x: dense 2 + lexical 3, y: dense 3 + lexical 2 — the same fused score; ids are hashes of the
    # file's path, so a tie broken by id reorders the same corpus moved to another folder
    def placed(folder: str, name: str, start: int, cid: str) -> Chunk:
        return Chunk(
            chunk_id=cid,
            source=f"{folder}/doc.txt",
            title="t",
            text=name,
            body=name,
            start=start,
            end=start + 1,
        )

    orders = []
    for folder, ids in (("/home/ana", ("9", "1", "5", "7")), ("/srv/copia", ("1", "9", "7", "5"))):
        top, x, y, other = (
            placed(folder, n, s, i) for n, s, i in zip("txyo", (0, 40, 10, 90), ids, strict=True)
        )
        hits = reciprocal_rank_fusion(
            [(top, 0.9), (x, 0.8), (y, 0.7)], [(top, 9.0), (y, 5.0), (x, 4.0), (other, 1.0)], k=4
        )
        orders.append([h.chunk.text for h in hits])
    # the tie goes to document order (y starts first), whatever the ids
    assert orders[0] == orders[1] == ["t", "y", "x", "o"]


def test_brazilian_question_finds_european_passage(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ingest import ingest_paths
    from tests.conftest import HashEmbedder
    from vectorstore import Collection

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pt.md").write_text(
        "# Configuração\n\nPara actualizar o ficheiro de configuração, o utilizador prime F5.\n",
        encoding="utf-8",
    )
    (docs / "outro.md").write_text("# Rede\n\nO roteador distribui endereços IP.\n", encoding="utf-8")
    collection = Collection.open(settings, embedder=HashEmbedder())
    ingest_paths([docs], collection)
    for mode in ("lexical", "hybrid"):
        hits = collection.search("Como o usuário atualiza o arquivo de configuração?", k=1, mode=mode)
        assert hits[0].chunk.name == "pt.md", mode
