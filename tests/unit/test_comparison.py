"""Comparison questions cite both sides: each side is ranked on its own passages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import Assistant, comparison, extractive
from assistant.grounding import Span
from eval import metrics
from fonte.settings import Settings
from fonte.types import Chunk, Hit
from tests.conftest import CORPUS, flat_idf, text_hit


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("Compare o foco do MLOps com o do DataOps segundo as definições do material.", ("MLOps", "DataOps")),
        (
            "Em que o papel do Engenheiro de Machine Learning difere do papel do Engenheiro DataOps?",
            ("Engenheiro de Machine Learning", "Engenheiro DataOps"),
        ),
        (
            "O DevOps e o MLOps compartilham a ideia de juntar desenvolvimento e operações?",
            ("DevOps", "MLOps"),
        ),
        ("Como o DevOps se compara ao MLOps?", ("DevOps", "MLOps")),
        ("Qual a diferença entre Big Data e Small Data?", ("Big Data", "Small Data")),
        ("Qual é a diferença do Big Data para o Small Data?", ("Big Data", "Small Data")),
        ("Quais as diferenças entre o café coado e o expresso?", ("café coado", "expresso")),
        ("Compare a jarra de vidro e o filtro permanente.", ("jarra de vidro", "filtro permanente")),
        ("Em que o DataOps é diferente do DevOps?", ("DataOps", "DevOps")),
        (
            "Em que o Engenheiro DataOps se parece com um Engenheiro DevOps?",
            ("Engenheiro DataOps", "Engenheiro DevOps"),
        ),
        (
            "O Engenheiro de Dados e o Engenheiro DataOps são a mesma coisa?",
            ("Engenheiro de Dados", "Engenheiro DataOps"),
        ),
        ("MLOps vs. DataOps: qual a diferença?", ("MLOps", "DataOps")),
        ("MLOps e DataOps diferem em quê?", ("MLOps", "DataOps")),
        ("Quem é mais antigo, o DevOps ou o DataOps?", ("DevOps", "DataOps")),
    ],
)
def test_the_two_sides_are_found_in_the_question_order(question: str, sides: tuple[str, str]) -> None:
    found = comparison.detect(question)
    assert found is not None and found.sides == sides


def test_the_aspect_is_what_is_left_of_the_question() -> None:
    found = comparison.detect("Compare o foco do MLOps com o do DataOps segundo as definições do material.")
    assert found is not None and found.aspect == "foco"
    found = comparison.detect("Qual é a diferença de preço entre o Neptune e o MLflow?")
    assert found is not None and found.sides == ("Neptune", "MLflow") and found.aspect == "preço"


@pytest.mark.parametrize(
    "question",
    [
        # one side only: a difference in one thing, or what one thing is compared to
        "Qual a diferença de tempo entre um lançamento e outro?",
        "Qual a diferença de tempo no ciclo de lançamento com DevOps?",
        "E qual é a diferença para Big Data?",
        "A que o DataOps é comparado na analogia do tráfego numa cidade?",
        "Com o que o texto compara o DataOps quando fala de tráfego numa cidade?",
        "A que as equipes de DataOps comparam os pipelines analíticos?",
        # an alternative that asks which list holds an item, and an intersection of two lists
        "O DVC é ferramenta de MLOps ou de DataOps?",
        "Que ferramenta aparece tanto na lista de MLOps quanto na de DataOps?",
        # a superlative among several
        "Qual é o conceito mais recente entre DevOps, MLOps, AIOps e DataOps?",
        "O que é DataOps?",
    ],
)
def test_questions_with_one_side_are_not_comparisons(question: str) -> None:
    assert comparison.detect(question) is None


MLOPS = (
    "Manual › O que é MLOps?\n"
    "MLOps = ML + DEV + OPS\n"
    "MLOps é um conjunto de práticas para colaboração entre Cientistas de Dados e operações.\n"
    "MLOps é normalmente tarefa do Engenheiro de Machine Learning."
)
DATAOPS = (
    "Manual › O que é DataOps?\n"
    "DataOps (Operações de Dados) é uma metodologia ágil para desenvolver e entregar análises.\n"
    "DataOps fornece as ferramentas para apoiar a empresa focada em dados."
)
ENGINEERS = (
    "Manual › Engenheiros\n"
    "O Engenheiro DataOps tem um perfil mais amplo que o Engenheiro de Dados.\n"
    "O Engenheiro DataOps cuida do ciclo de vida dos dados."
)


def _render(units: list[extractive.Unit]) -> tuple[str, list[tuple[Chunk, str]]]:
    numbers: dict[tuple[str, Span], int] = {}
    quotes: list[tuple[Chunk, str]] = []

    def cite(chunk: Chunk, span: Span) -> int:
        if (chunk.chunk_id, span) not in numbers:
            numbers[(chunk.chunk_id, span)] = len(numbers) + 1
            quotes.append((chunk, chunk.text[span.start : span.end]))
        return numbers[(chunk.chunk_id, span)]

    return " ".join(extractive.cited(u, cite) for u in units), quotes


def test_each_side_is_answered_from_its_own_passage_in_the_question_order() -> None:
    # the MLOps passage ranks first, and ranked against the whole question it wins every slot
    hits = [text_hit(MLOPS), text_hit(DATAOPS, 2)]
    question = "Compare o foco do DataOps com o do MLOps segundo as definições."
    assert all("MLOps" in u.quote for u in extractive.select(question, [text_hit(MLOPS)], flat_idf))
    units = comparison.select(question, hits, flat_idf)
    assert units is not None
    text, quotes = _render(units)
    assert text.startswith("DataOps (Operações de Dados) é uma metodologia ágil")
    assert "MLOps é um conjunto de práticas" in text
    assert text.index("DataOps (Operações") < text.index("MLOps é um conjunto")
    assert all(quote in chunk.text for chunk, quote in quotes)


def test_a_side_the_retrieved_passages_lack_is_searched_for() -> None:
    searched: list[str] = []

    def search(query: str) -> list[Hit]:
        searched.append(query)
        return [text_hit(DATAOPS, 1)] if "DataOps" in query else []

    units = comparison.select(
        "Como o MLOps se compara ao DataOps?", [text_hit(MLOPS)], flat_idf, search=search
    )
    assert units is not None
    text, _ = _render(units)
    assert "MLOps é um conjunto" in text and "DataOps (Operações de Dados)" in text
    assert any(q.startswith("DataOps") for q in searched)


def test_a_side_without_passages_leaves_the_other_side_alone_and_neither_abstains() -> None:
    units = comparison.select("Compare o MLOps com o Kubernetes.", [text_hit(MLOPS)], flat_idf)
    assert units and all("MLOps" in u.quote for u in units)
    assert comparison.select("Qual a diferença entre Spark e Hadoop?", [text_hit(MLOPS)], flat_idf) == []


def test_a_sentence_naming_both_sides_is_the_answer() -> None:
    hits = [text_hit(ENGINEERS), text_hit(DATAOPS, 2)]
    units = comparison.select("Como o Engenheiro DataOps se compara ao Engenheiro de Dados?", hits, flat_idf)
    assert units is not None
    assert [u.quote for u in units] == [
        "O Engenheiro DataOps tem um perfil mais amplo que o Engenheiro de Dados."
    ]


def test_not_a_comparison_is_left_to_sentence_selection() -> None:
    assert comparison.select("O que é DataOps?", [text_hit(DATAOPS)], flat_idf) is None


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The bundled document ingested with the real e5 embedder, as `make run` answers."""
    from ingest import ingest_paths
    from vectorstore import Collection

    settings = Settings(data_dir=tmp_path_factory.mktemp("fonte-data"), backend="extractive")
    collection = Collection.open(settings)
    ingest_paths([CORPUS], collection)
    yield Assistant(settings, collection=collection)


@pytest.mark.parametrize(
    ("question", "history", "facts"),
    [
        (
            "Compare o foco do MLOps com o do DataOps segundo as definições do material.",
            [],
            ["Cientistas de Dados", "metodologia ágil"],
        ),
        (
            "Em que o papel do Engenheiro de Machine Learning difere do papel do Engenheiro DataOps?",
            [],
            ["deploy", "ciclo de vida de desenvolvimento e implantação"],
        ),
        (
            "E como ele se compara ao MLOps?",
            ["O que é DevOps?"],
            ["desenvolvimento de software", "Cientistas de Dados"],
        ),
    ],
)
def test_bundled_comparisons_cite_both_sides(
    bundled: Assistant, question: str, history: list[str], facts: list[str]
) -> None:
    turns = []
    for earlier in history:
        turns += [
            {"role": "user", "content": earlier},
            {"role": "assistant", "content": bundled.answer(earlier).text},
        ]
    answer = bundled.answer(question, history=turns)
    assert not answer.abstained
    for fact in facts:
        assert fact in " ".join(answer.text.split()), answer.text
    assert len({c.chunk.chunk_id for c in answer.citations}) >= 2  # two sides, two passages
    for citation in answer.citations:
        assert citation.quote in citation.chunk.text
    supported, claims = metrics.faithfulness(answer.text, {c.n: c.chunk.text for c in answer.citations})
    assert supported == claims, answer.text


def test_bundled_comparison_of_an_absent_pair_abstains(bundled: Assistant) -> None:
    assert bundled.answer("Qual é a diferença entre Spark e Hadoop?").abstained
