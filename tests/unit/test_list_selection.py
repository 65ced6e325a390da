"""Selection within a list: "Qual dos acessórios serve para medir o pó?" → the one item."""

from __future__ import annotations

import pytest

from assistant import Assistant, extractive, lists, reader
from assistant.grounding import Span
from fonte.settings import Settings
from fonte.types import Chunk
from tests.conftest import flat_idf, text_hit

MANUAL = "Cafeteira Aroma 200 › Acessórios"
ACCESSORIES = (
    f"{MANUAL}\n"
    "Acompanham a cafeteira:\n"
    "* jarra de vidro;\n"
    "* filtro permanente;\n"
    "* colher dosadora.\n"
    "Guarde os acessórios secos."
)
CLEANING = (
    "Cafeteira Aroma 200 › Limpeza\n"
    "O filtro permanente deve ser enxaguado após cada uso. A jarra de vidro vai à lava-louças."
)
PROBLEMS = (
    "Cafeteira Aroma 200 › Problemas comuns\n"
    "Os problemas mais relatados são:\n"
    "\t•Vazamento pela base, quase sempre porque a jarra foi encaixada fora do lugar e a "
    "água transborda do filtro.\n"
    "\t•Café fraco, porque o pó foi medido sem a colher e ficou pouco para a quantidade de água.\n"
    "\t•Ruído alto ao ferver, sinal de calcário acumulado na resistência interna da máquina.\n"
)


class ConceptEmbedder:
    """Vectors over hand-named concepts: "medir" and "dosadora" share one, so similarity
    crosses vocabulary the way the real embedder's does ("versionar" ~ "Version Control")."""

    CONCEPTS = (
        ("medir", "dosadora", "dose", "dosar"),
        ("vidro", "jarra", "servir"),
        ("filtro", "coar", "filtrar"),
        ("café", "cafeteira"),
    )

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def _vector(self, text: str) -> list[float]:
        words = text.lower().split()
        vector = [float(any(w.startswith(c) for w in words for c in concept)) for concept in self.CONCEPTS]
        return [*vector, 1.0]  # a constant axis: unrelated texts are similar, not orthogonal

    def embed_query(self, text: str) -> list[float]:
        self.calls.append([text])
        return self._vector(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return [self._vector(t) for t in texts]


_hit = text_hit
_idf = flat_idf


def _answer(units: list[extractive.Unit]) -> str:
    numbers: dict[tuple[str, Span], int] = {}

    def cite(chunk: Chunk, span: Span) -> int:
        return numbers.setdefault((chunk.chunk_id, span), len(numbers) + 1)

    return " ".join(extractive.cited(u, cite) for u in units)


HITS = [_hit(ACCESSORIES), _hit(CLEANING, 2)]


def test_selection_answers_with_the_item_alone_quoted_verbatim() -> None:
    units = extractive.select(
        "Qual dos acessórios serve para dosar o pó?", HITS, _idf, embedder=ConceptEmbedder()
    )
    assert _answer(units) == "Acessórios: colher dosadora. [1]"
    (unit,) = units
    assert unit.item and unit.quote == "colher dosadora."
    assert unit.hit.chunk.text[unit.span.start : unit.span.end] == unit.quote
    # the same list again: only the question is embedded, the items' vectors are kept
    embedder = ConceptEmbedder()
    extractive.select("Qual dos acessórios ajuda a dosar o café em grãos?", HITS, _idf, embedder=embedder)
    before = len(embedder.calls)
    extractive.select("Qual dos acessórios ajuda a dosar o café moído?", HITS, _idf, embedder=embedder)
    assert [len(texts) for texts in embedder.calls[before:]] == [1]


def test_similarity_alone_picks_no_item() -> None:
    # "medir" and "dosadora" share a concept but no word: e5 leads this way for properties no
    # item has ("escrita em Python" → DataKitchen by 0.05), so the pick needs a word or kin
    units = extractive.select(
        "Qual dos acessórios serve para medir o pó?", HITS, _idf, embedder=ConceptEmbedder()
    )
    assert units == []


def test_a_plural_selection_may_pick_several_items_but_not_the_whole_list() -> None:
    question = "Quais dos acessórios servem para dosar o pó?"
    units = extractive.select(question, HITS, _idf, embedder=ConceptEmbedder())
    assert [u.quote for u in units] == ["colher dosadora."]


def test_whole_list_questions_still_get_the_whole_list() -> None:
    embedder = ConceptEmbedder()
    units = extractive.select("Quais acessórios acompanham a cafeteira?", HITS, _idf, embedder=embedder)
    assert units[0].rendered == "Acompanham a cafeteira: jarra de vidro; filtro permanente; colher dosadora."
    assert not embedder.calls  # no selection, no embedding


def test_without_a_clear_winner_neither_the_list_nor_filler_answers() -> None:
    # the price is said of no item: the whole list (or "Guarde os acessórios…") is no answer
    assert (
        extractive.select("Qual dos acessórios é o mais caro?", HITS, _idf, embedder=ConceptEmbedder()) == []
    )


def test_without_an_embedder_words_alone_pick_a_paragraph_item() -> None:
    question = "Qual dos problemas acontece quando o pó é medido sem a colher?"
    units = extractive.select(question, [_hit(PROBLEMS)], _idf)
    assert [u.rendered for u in units] == [
        "Café fraco, porque o pó foi medido sem a colher e ficou pouco para a quantidade de água."
    ]
    assert units[0].quote in PROBLEMS
    # a clear lead in words settles it: the long items are not embedded
    embedder = ConceptEmbedder()
    assert extractive.select(question, [_hit(PROBLEMS)], _idf, embedder=embedder) == units
    assert not embedder.calls


def test_a_list_cut_by_chunking_is_chosen_from_as_one() -> None:
    first = f"{MANUAL}\nAcompanham a cafeteira:\n* jarra de vidro;\n* filtro permanente;"
    rest = f"{MANUAL}\n* filtro permanente;\n* colher dosadora;\n* tampa extra."
    hits = [_hit(first), _hit(CLEANING, 2), _hit(rest, 3)]
    units = extractive.select(
        "Qual dos acessórios serve para dosar o pó?", hits, _idf, embedder=ConceptEmbedder()
    )
    assert [(u.hit.chunk.chunk_id, u.quote) for u in units] == [("c3", "colher dosadora;")]


def test_an_item_two_lists_share_is_cited_in_both() -> None:
    mlops = "Notas › Ferramentas de MLOps\n* DVC (Data Version Control)\n* Pachyderm\n* Airflow\n* MLflow"
    dataops = "Notas › Ferramentas de DataOps\n* DataKitchen\n* Genie\n* Airflow"
    hits = [_hit(dataops), _hit(mlops, 2)]
    question = "Qual das ferramentas de DataOps também aparece entre as de MLOps?"
    units = extractive.select(question, hits, _idf)
    assert _answer(units) == "Ferramentas de DataOps; Ferramentas de MLOps: Airflow. [1][2]"
    assert [u.hit.chunk.chunk_id for u in (units[0], *units[0].also)] == ["c1", "c2"]
    # "também" in a whole-list question is no intersection
    whole = extractive.select("Quais ferramentas o DataOps também usa?", hits, _idf)
    assert "DataKitchen" in whole[0].rendered


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("Qual das ferramentas de MLOps serve para versionar dados?", "serve para versionar dados"),
        ("Qual dos acessórios serve para medir o pó?", "serve para medir o pó"),
        ("Quais das ferramentas citadas servem para orquestrar?", "servem para orquestrar"),
        (
            "Qual dos desafios costuma levar grandes projetos ao fracasso?",
            "costuma levar grandes projetos ao fracasso",
        ),
    ],
)
def test_discriminative_part_drops_the_category(question: str, part: str) -> None:
    assert lists.discriminative_part(question, "Principais Ferramentas e Plataformas de MLOps") == part


@pytest.mark.parametrize(
    ("question", "selects"),
    [
        ("Qual das ferramentas de MLOps serve para versionar dados?", True),
        ("Quais dos acessórios vão à lava-louças?", True),
        ("E qual dos desafios leva ao fracasso?", True),
        ("Quais ferramentas de MLOps o documento cita?", False),
        ("Qual é a potência da cafeteira?", False),
    ],
)
def test_selection_intent(question: str, selects: bool) -> None:
    assert lists.asks_selection(question) is selects


def test_list_items_are_the_bulleted_lines_around_a_span() -> None:
    start = ACCESSORIES.index("Acompanham")
    items = lists.list_items(ACCESSORIES, Span(start, ACCESSORIES.index("Guarde") - 1), len(MANUAL) + 1)
    assert [ACCESSORIES[s.start : s.end] for s in items] == [
        "jarra de vidro;",
        "filtro permanente;",
        "colher dosadora.",
    ]
    outside = ACCESSORIES.index("Guarde")
    assert lists.list_items(ACCESSORIES, Span(outside, outside + 5), len(MANUAL) + 1) == []


def test_the_reader_confirms_a_clear_winner_alone() -> None:
    question = "Qual dos acessórios serve para dosar o pó?"
    units = reader.candidates(question, HITS, _idf, limit=3, embedder=ConceptEmbedder())
    assert [u.quote for u in units] == ["colher dosadora."]
    prompt = reader.reader_generation(question, units).prompt
    assert "[1] (Acessórios) colher dosadora.\nPergunta:" in prompt
    whole = reader.candidates("Quais acessórios acompanham a cafeteira?", HITS, _idf, limit=3)
    assert not any(u.item for u in whole)


def test_without_a_winner_the_reader_sees_the_list_then_each_item_once() -> None:
    question = "Qual dos acessórios dura mais?"
    overlapping = _hit(ACCESSORIES.replace("Guarde", "Seque e guarde"), 3)  # repeats the items
    units = reader.candidates(question, [*HITS, overlapping], _idf, limit=4, embedder=ConceptEmbedder())
    quotes = [u.quote for u in units]
    first_list = next(i for i, u in enumerate(units) if "\n" in u.quote)
    assert quotes[first_list + 1 : first_list + 4] == [
        "jarra de vidro;",
        "filtro permanente;",
        "colher dosadora.",
    ]
    assert quotes.count("colher dosadora.") == 1
    # the reader picked an item: no other item is added behind its back
    item = units[first_list + 1]
    assert reader.with_best([item], [u for u in units if u.item]) == [item]


def test_the_reader_sees_the_shared_item_alone() -> None:
    mlops = "Notas › Ferramentas de MLOps\n* DVC (Data Version Control)\n* Pachyderm\n* Airflow"
    dataops = "Notas › Ferramentas de DataOps\n* DataKitchen\n* Genie\n* Airflow"
    question = "Qual das ferramentas de DataOps também aparece entre as de MLOps?"
    (unit,) = reader.candidates(question, [_hit(dataops), _hit(mlops, 2)], _idf, limit=4)
    assert unit.quote == "Airflow" and [u.hit.chunk.chunk_id for u in unit.also] == ["c2"]
    prompt = reader.reader_generation(question, [unit]).prompt
    assert "[1] (Ferramentas de DataOps; Ferramentas de MLOps) Airflow." in prompt


def test_pipeline_selects_dvc_from_the_bundled_tool_list(settings: Settings, fake_collection) -> None:  # type: ignore[no-untyped-def]
    # the hash embedder's cosines are no evidence: only the wiring is under test here
    helper = Assistant(settings.with_overrides(abstain_threshold=0.0), collection=fake_collection)
    answer = helper.answer("Qual das ferramentas de MLOps serve para versionar dados?")
    assert answer.text == "Principais Ferramentas e Plataformas de MLOps: DVC (Data Version Control). [1]"
    (citation,) = answer.citations
    assert citation.quote == "DVC (Data Version Control)" and citation.quote in citation.chunk.text
