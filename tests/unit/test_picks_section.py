"""A pick reads its list whole (also chunks retrieval did not bring back), tells lists named
alike apart by their items' names, and finds a property said in other general words."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import cast

import pytest

from assistant import extractive, kin_words, picks
from assistant.citing import Unit
from assistant.grounding import question_terms
from fonte.types import Chunk
from tests.conftest import flat_idf, text_hit
from vectorstore.sections import SectionIndex

TITLE = "Guia › Cafés: Arábica, Robusta, Liberica"
FIRST = f"{TITLE}\n@ Arábica - grãos doces e aromáticos, cultivados em altitude."
MIDDLE = f"{TITLE}\nO sabor muda com a torra e com a moagem escolhidas."
LAST = f"{TITLE}\n@ Robusta - mais cafeína e amargor.\n\n@ Liberica - grãos raros, de sabor defumado."


def _section() -> tuple[list, SectionIndex]:
    hits = [text_hit(FIRST, 1), text_hit(MIDDLE, 2), text_hit(LAST, 3)]
    start = 0
    for n, hit in enumerate(hits):
        hits[n] = replace(hit, chunk=replace(hit.chunk, start=start))
        start += len(hit.chunk.text)
    return hits, SectionIndex(h.chunk for h in hits)


def test_a_list_is_read_whole_from_its_section() -> None:
    hits, index = _section()
    question = "Dos tipos de café do guia, qual é o último?"
    # retrieval brought back only the first item's chunk: alone it is no list
    assert extractive.select(question, hits[:1], flat_idf) != []
    assert all("Liberica" not in u.quote for u in extractive.select(question, hits[:1], flat_idf))
    units = extractive.select(question, hits[:1], flat_idf, section=index.section_of)
    assert [u.quote for u in units] == ["Liberica - grãos raros, de sabor defumado."]


def test_section_of_lists_the_chunks_of_one_section_in_order() -> None:
    hits, index = _section()
    text = "Guia › Chás\nVerde."
    other = Chunk(
        chunk_id="x", source="manual.txt", title="Guia › Chás", text=text, body="Verde.", start=0, end=18
    )
    assert [c.chunk_id for c in index.section_of(hits[2].chunk)] == ["c1", "c2", "c3"]
    assert index.section_of(other) == (other,)


def test_lists_named_alike_are_told_apart_by_their_items_names() -> None:
    # one section, two lists: sentences that mention the breeds, and the breeds themselves
    text = (
        "Cães › Raças de pastoreio\n"
        "# Cães de pastoreio são ágeis: o mais ágil costuma ser o Border Collie.\n"
        "# Todos precisam de exercício diário.\n"
        "@ Border Collie - o mais ágil com ovelhas.\n"
        "@ Pastor Alemão - também cão de guarda.\n"
        "@ Pastor Belga - resistente ao frio."
    )
    question = "Dos itens citados, qual é o mais ágil? (Quais raças de pastor o guia apresenta?)"
    assert [u.quote for u in extractive.select(question, [text_hit(text)], flat_idf)] == [
        "Border Collie - o mais ágil com ovelhas."
    ]


@pytest.mark.parametrize(
    ("part", "item", "said"),
    [
        ("tem a ver com sair menos bug", "reduz os defeitos de fábrica", "bug"),
        ("serve para montar gráficos", "visualização das vendas do mês", "grafic"),
        ("toca em regras de órgãos reguladores", "segue as normas da vigilância sanitária", "regr"),
        ("Quais 'Ops' o texto cita", "DevOps e DataOps", "ops"),
    ],
)
def test_an_item_says_a_property_in_general_paraphrases(part: str, item: str, said: str) -> None:
    assert said in kin_words.said(part, question_terms(part), item)


@pytest.mark.parametrize(
    ("part", "item"),
    [
        ("fala de vendas", "decisões de negócios"),  # the business side is not sales
        ("Quais 'Ops' o texto cita", "operações de TI"),  # a quoted fragment begins or ends names
    ],
)
def test_words_outside_a_class_are_not_kin(part: str, item: str) -> None:
    assert not set(question_terms(part)) & kin_words.said(part, question_terms(part), item)


def test_chunks_retrieval_did_not_return_rank_after_every_retrieved_one() -> None:
    hits, index = _section()
    ranked = cast("list[Unit]", [SimpleNamespace(hit=hits[0])])
    others = picks._other_hits(hits[0], ranked, index.section_of)
    assert [(h.chunk.chunk_id, h.rank) for h in others] == [("c2", 2), ("c3", 3)]
