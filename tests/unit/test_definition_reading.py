"""One reading of a definition question ("O que é X?"), with or without accents, for the
follow-up rules (`phrases.defined`) and for the sentence scorer (`extractive`)."""

from __future__ import annotations

import pytest

from assistant import extractive, phrases, reading
from tests.conftest import selected_quotes

SAFE = (
    "Manual do Cofre › Avisos\n"
    "Executa a abertura a usar o alarmix.\n"
    "Executa o fecho a usar o alarmix.\n"
    "Cada cofre traz a interface de aviso chamada alarmix para ajudar na instalação."
)
POTTER = (
    "Guia de Óbidos › Comércio\n"
    "A vila de Óbidos tem uma feira medieval em julho e um mercado às quintas.\n"
    "A oleira da vila de Óbidos é a senhora Ana, que aprendeu o ofício com a mãe. "
    "A oleira abre a loja às nove. A oleira vende pratos pintados e jarros de barro.\n"
    "A livraria fecha ao domingo."
)


@pytest.mark.parametrize(
    ("accented", "unaccented"),
    [
        ("O que é o alarmix?", "o que e o alarmix?"),
        ("O que são pipelines de dados?", "o que sao pipelines de dados?"),
        ("Quem é a oleira da vila de Óbidos?", "quem e a oleira da vila de Óbidos?"),
        ("E o que é MLOps?", "E O QUE E MLOps?"),
    ],
)
def test_a_definition_question_reads_the_same_without_accents(accented: str, unaccented: str) -> None:
    asked = phrases.defined(accented)
    assert asked is not None and phrases.defined(unaccented) == asked
    assert reading.asked_term(unaccented) == reading.asked_term(accented)
    assert extractive.asked_predicate(unaccented) == extractive.asked_predicate(accented) == []


def test_sentence_selection_answers_an_unaccented_definition_question_alike() -> None:
    # the sentence that defines the term wins either way (DEFINITION_FACTOR), and the
    # definition reads on while it keeps the term (`extractive.continuation`)
    assert selected_quotes("o que e o alarmix?", SAFE) == selected_quotes("O que é o alarmix?", SAFE)
    assert selected_quotes("o que e o alarmix?", SAFE)[0].startswith("Cada cofre traz a interface")
    assert selected_quotes("quem e a oleira da vila de Óbidos?", POTTER) == selected_quotes(
        "Quem é a oleira da vila de Óbidos?", POTTER
    )


def test_only_a_definition_lead_hides_the_asked_verb() -> None:
    assert extractive.asked_predicate("O que significa a sigla DVC?") == []
    assert extractive.asked_predicate("O que quer dizer a sigla DVC?") == []
    # "quer" alone asks what someone wants, not what a word means: the verb is what is asked
    assert extractive.asked_predicate("O que quer o cliente do cofre?") == ["quer"]
