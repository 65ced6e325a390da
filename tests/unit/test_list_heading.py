"""A bare list in an answer is named by its section heading ("Principais Ferramentas e
Plataformas de MLOps: DVC (Data Version Control); …"), so the user can tell which list it is."""

from __future__ import annotations

import pytest

from assistant import Assistant, extractive
from assistant.grounding import Span
from eval import metrics
from fonte.settings import Settings
from fonte.types import Chunk
from tests.conftest import flat_idf, text_hit

ACCESSORIES = (
    "Cafeteira Aroma 200 › Acessórios\n"
    "* jarra de vidro;\n"
    "* filtro permanente;\n"
    "* colher dosadora.\n"
    "Guarde os acessórios secos depois de lavar."
)
WITH_LEAD_IN = (
    "Cafeteira Aroma 200 › Acessórios\n"
    "Acompanham a cafeteira:\n"
    "* jarra de vidro;\n"
    "* filtro permanente;\n"
    "* colher dosadora."
)
CLEANING = (
    "Cafeteira Aroma 200 › Limpeza\n"
    "O filtro permanente deve ser enxaguado após cada uso. A jarra de vidro vai à lava-louças."
)


_hit = text_hit
_idf = flat_idf


def _answer(units: list[extractive.Unit]) -> tuple[str, dict[int, str], list[tuple[Chunk, str]]]:
    """The answer text, the cited passages by number, and (chunk, quote) per citation."""
    numbers: dict[tuple[str, Span], int] = {}
    quoted: dict[int, tuple[Chunk, str]] = {}

    def cite(chunk: Chunk, span: Span) -> int:
        n = numbers.setdefault((chunk.chunk_id, span), len(numbers) + 1)
        quoted[n] = (chunk, chunk.text[span.start : span.end])
        return n

    text = " ".join(extractive.cited(u, cite) for u in units)
    return text, {n: chunk.text for n, (chunk, _) in quoted.items()}, list(quoted.values())


def _assert_grounded(text: str, passages: dict[int, str], quotes: list[tuple[Chunk, str]]) -> None:
    assert all(quote in chunk.text for chunk, quote in quotes)
    supported, claims = metrics.faithfulness(text, passages)
    assert claims and supported == claims, text


def test_a_bare_list_is_named_by_its_heading_and_the_quote_stays_the_items() -> None:
    units = extractive.select("Quais são os acessórios?", [_hit(ACCESSORIES), _hit(CLEANING, 2)], _idf)
    text, passages, quotes = _answer(units[:1])
    assert text == "Acessórios: jarra de vidro; filtro permanente; colher dosadora. [1]"
    assert quotes[0][1] == "* jarra de vidro;\n* filtro permanente;\n* colher dosadora."[2:]
    _assert_grounded(text, passages, quotes)


def test_a_list_with_its_own_lead_in_is_not_renamed() -> None:
    units = extractive.select("Quais são os acessórios?", [_hit(WITH_LEAD_IN)], _idf)
    text, _, _ = _answer(units[:1])
    assert text == "Acompanham a cafeteira: jarra de vidro; filtro permanente; colher dosadora. [1]"


def test_a_sentence_is_never_named() -> None:
    units = extractive.select("Como limpar o filtro permanente?", [_hit(CLEANING)], _idf)
    text, _, _ = _answer(units)
    assert not text.startswith("Limpeza")
    assert text.startswith("O filtro permanente deve ser enxaguado")


def test_a_heading_the_items_already_state_is_not_repeated() -> None:
    tools = "Notas › Ferramentas\n* Ferramentas de corte\n* Ferramentas de medida"
    units = extractive.select("Quais são as ferramentas?", [_hit(tools)], _idf)
    text, _, _ = _answer(units)
    assert text == "Ferramentas de corte; Ferramentas de medida. [1]"


def test_a_question_heading_names_the_list_without_ending_a_sentence() -> None:
    problems = "Manual › Quais problemas a cafeteira pode ter?\n* vazamento pela base\n* café fraco"
    units = extractive.select("Quais problemas a cafeteira pode ter?", [_hit(problems)], _idf)
    text, passages, quotes = _answer(units)
    assert text == "Quais problemas a cafeteira pode ter: vazamento pela base; café fraco. [1]"
    _assert_grounded(text, passages, quotes)


def test_a_chosen_item_is_named_by_its_list() -> None:
    units = extractive.select("Qual dos acessórios é de vidro?", [_hit(ACCESSORIES), _hit(CLEANING, 2)], _idf)
    text, passages, quotes = _answer(units)
    assert text == "Acessórios: jarra de vidro. [1]"
    assert quotes == [(units[0].hit.chunk, "jarra de vidro;")]
    _assert_grounded(text, passages, quotes)


def test_an_item_two_lists_share_names_both_lists() -> None:
    mlops = "Notas › Ferramentas de MLOps\n* DVC (Data Version Control)\n* Pachyderm\n* Airflow\n* MLflow"
    dataops = "Notas › Ferramentas de DataOps\n* DataKitchen\n* Genie\n* Airflow"
    question = "Qual das ferramentas de DataOps também aparece entre as de MLOps?"
    units = extractive.select(question, [_hit(dataops), _hit(mlops, 2)], _idf)
    text, passages, quotes = _answer(units)
    assert text == "Ferramentas de DataOps; Ferramentas de MLOps: Airflow. [1][2]"
    _assert_grounded(text, passages, quotes)


@pytest.fixture
def helper(settings: Settings, fake_collection) -> Assistant:  # type: ignore[no-untyped-def]
    # the hash embedder's cosines are no evidence: only the rendering is under test here
    return Assistant(settings.with_overrides(abstain_threshold=0.0), collection=fake_collection)


MLOPS_TOOLS = "Principais Ferramentas e Plataformas de MLOps"
DATAOPS_TOOLS = "Principais Ferramentas e Plataformas de DataOps"


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("O DVC é ferramenta de MLOps ou de DataOps?", [MLOPS_TOOLS]),
        ("O Genie é ferramenta de MLOps ou de DataOps?", [DATAOPS_TOOLS]),
        ("A sigla DVC é de MLOps ou de DataOps?", [MLOPS_TOOLS]),
        ("Em quais listas de ferramentas o Airflow aparece?", [MLOPS_TOOLS, DATAOPS_TOOLS]),
        ("Qual das ferramentas de MLOps serve para versionar dados?", [MLOPS_TOOLS]),
    ],
)
def test_bundled_corpus_lists_say_which_list_they_are(
    helper: Assistant, question: str, names: list[str]
) -> None:
    answer = helper.answer(question)
    assert not answer.abstained
    for name in names:
        assert f"{name}: " in answer.text, answer.text
    for citation in answer.citations:
        assert citation.quote in citation.chunk.text
    supported, claims = metrics.faithfulness(answer.text, {c.n: c.chunk.text for c in answer.citations})
    assert supported == claims, answer.text
