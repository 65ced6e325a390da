"""A question that names a section gets the passage that opens it (vectorstore.sections)."""

from __future__ import annotations

from pathlib import Path

from ingest.chunking import chunk_document
from ingest.loaders import load
from vectorstore.lexical import LexicalIndex
from vectorstore.retrieval import reciprocal_rank_fusion
from vectorstore.sections import SectionIndex, heading_stems, is_contents_list

SUBSECTIONS = [
    "2.1. Pré-requisitos da gestão de pacotes Debian",
    "2.2. Operações básicas de gestão de pacotes Debian",
    "2.3. Dicas para a gestão de pacotes Debian",
    "2.4. Recuperação de um sistema Debian danificado",
    "2.5. Os interiores da gestão de pacotes Debian",
    "2.6. Mais leituras sobre a gestão de pacotes Debian",
]
OPENING = (
    "Debian é uma organização voluntária que constrói distribuições consistentes de pacotes "
    "binários pré-compilados de software livre e distribui-os a partir do seu arquivo."
)
QUESTION = "Como o guia define o Debian no capítulo de gestão de pacotes?"


def guide(tmp_path: Path) -> LexicalIndex:
    """A chapter that opens with its contents list, a note, then its first prose passage."""
    contents = "".join(f"<li>{title}</li>" for title in SUBSECTIONS * 2)
    body = [
        "<h1>Capítulo 2. Gestão de pacotes Debian</h1>",
        f"<p>Índice</p><ul>{contents}</ul>",
        "<p>Nota: este capítulo assume a versão estável mais recente.</p>",
        f"<p>{OPENING} O arquivo é oferecido por muitos espelhos remotos.</p>",
        "<p>" + "O sistema oferece conjuntos consistentes de pacotes binários do arquivo. " * 6 + "</p>",
    ]
    for title in SUBSECTIONS:
        body += [
            f"<h2>{title}</h2>",
            f"<p>O guia define aqui como a gestão de pacotes Debian funciona: {title.lower()}, "
            "com a gestão de pacotes Debian e o capítulo de gestão de pacotes do guia.</p>",
        ]
    path = tmp_path / "guia.html"
    path.write_text(f"<html><body>{''.join(body)}</body></html>", encoding="utf-8")
    index = LexicalIndex(tmp_path / "lexical.json", load=False)
    index.add(chunk_document(load(path, source=str(path))))
    return index


def opening_rank(ranking: list[str]) -> int | None:
    return next((i for i, text in enumerate(ranking, start=1) if OPENING in text), None)


def test_the_named_chapter_opening_becomes_a_candidate(tmp_path: Path) -> None:
    index = guide(tmp_path)
    lexical = index.search(QUESTION, 20)
    # BM25 alone: every subsection repeats the question's words, the opening shares few of them
    assert (opening_rank([c.text for c, _ in lexical]) or 99) > 3
    named = index.sections().named(QUESTION, index.idf)
    assert [c.title for c, _ in named] == ["Capítulo 2. Gestão de pacotes Debian"] * 2
    hits = reciprocal_rank_fusion([], lexical, k=3, sections=named)
    assert opening_rank([h.chunk.text for h in hits]) is not None


def test_contents_lists_never_open_a_section(tmp_path: Path) -> None:
    index = guide(tmp_path)
    named = index.sections().named(QUESTION, index.idf)
    assert not any(c.body.startswith("Índice") for c, _ in named)
    assert is_contents_list("Índice\n2.1. A\n2.2. B", {"2.1. A", "2.2. B"})
    assert not is_contents_list("2.1. A\nUm parágrafo que explica algo.\nOutro parágrafo.", {"2.1. A"})


def test_a_section_is_named_only_by_all_of_its_heading_words(tmp_path: Path) -> None:
    index = guide(tmp_path)
    assert heading_stems("Capítulo 2. Gestão de pacotes Debian") == heading_stems("gestão de pacotes Debian")
    # "pacotes Debian" alone names no heading; one-word headings are never named
    assert index.sections().named("O que são pacotes Debian?", index.idf) == []
    assert SectionIndex(index.chunks()).named("Recuperação de um sistema Debian danificado", index.idf)


def test_a_named_opening_is_a_floor_not_a_bonus(tmp_path: Path) -> None:
    index = guide(tmp_path)
    by_start = sorted(index.chunks(), key=lambda c: c.start)
    answer, opening, missed = by_start[-1], by_start[-2], by_start[-3]
    both = [(answer, 1.0), (opening, 0.9)]
    hits = reciprocal_rank_fusion(both, both, k=3, sections=[(opening, 1.0), (missed, 1.0)])
    # the passages both retrievers agree on keep their order; the one they missed joins them
    assert [h.chunk for h in hits] == [answer, opening, missed]
