"""The coffee-machine manual (a generated 3-page PDF) answered with the real embedder and pages."""

from __future__ import annotations

import pytest

from fonte.settings import Settings
from tests.unit.test_pdf import write_manual


@pytest.fixture(scope="module")
def manual_assistant(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from assistant import Assistant
    from ingest import ingest_paths
    from vectorstore import Collection

    folder = tmp_path_factory.mktemp("manual")
    write_manual(folder / "manual.pdf")
    settings = Settings(data_dir=folder / "data", backend="extractive")
    collection = Collection.open(settings)
    assert ingest_paths([folder / "manual.pdf"], collection).ok
    return Assistant(settings, collection=collection)


def test_descaling_quote_is_the_whole_sentence(manual_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = manual_assistant.answer("De quanto em quanto tempo devo descalcificar a cafeteira?")
    assert not answer.abstained, answer.text
    citation = answer.citations[0]
    assert citation.quote.startswith("A cafeteira deve ser descalcificada a cada três meses")
    assert citation.quote.endswith("acumulado nas tubulações.")  # no period where the line wrapped
    assert citation.quote in citation.chunk.text
    assert "ácido cítrico" in answer.text
    assert citation.chunk.page == 2
    assert citation.chunk.title == "Capítulo 2: Limpeza › 2.1 Descalcificação"


def test_warranty_is_answered_from_page_three(manual_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = manual_assistant.answer("Qual é o prazo da garantia?")
    assert not answer.abstained, answer.text
    citation = answer.citations[0]
    assert "24 meses a partir da data da compra" in citation.quote
    assert citation.quote in citation.chunk.text
    assert citation.chunk.page == 3
    assert citation.chunk.title == "Capítulo 3: Garantia"
