"""One reading of a definition question ("O que é X?") for every rule that asks it: typed without
accents ("o que e X"), it is read as the same question by the follow-up and comparison rules."""

from __future__ import annotations

import pytest

from assistant.followup_clauses import clause
from assistant.followup_ellipsis import ellipsis
from assistant.phrases import MENTIONS_DEFINITION, defined
from fonte.textpt import fold


@pytest.mark.parametrize("previous", ["O que é DevOps?", "O que e DevOps?", "o que e DevOps?"])
def test_an_attribute_ellipsis_after_a_definition_asks_the_attribute_of_what_was_defined(
    previous: str,
) -> None:
    assert ellipsis("E os benefícios?", previous) == "Quais são os benefícios do DevOps?"


@pytest.mark.parametrize(
    "previous", ["O que é a respiração das plantas?", "O que e a respiração das plantas?"]
)
def test_a_new_thing_after_a_definition_asks_its_definition(previous: str) -> None:
    # base code read the unaccented form as "O que e a fotossíntese das plantas?"
    assert ellipsis("E a fotossíntese?", previous) == f"{previous[:8]}a fotossíntese?"


@pytest.mark.parametrize("question", ["O que é DevOps?", "O que e DevOps?", "o que sao containers?"])
def test_a_definition_question_has_no_clause_to_lend(question: str) -> None:
    assert clause(question) is None  # base code lent "e DevOps" of the unaccented form


@pytest.mark.parametrize(
    "question",
    [
        "Qual a diferença entre MLOps e DataOps, e o que é cada um?",
        "Qual a diferença entre MLOps e DataOps, e o que e cada um?",
        "Compare MLOps e DataOps segundo as definições.",
    ],
)
def test_a_comparison_asking_definitions_anywhere_is_read_so(question: str) -> None:
    assert MENTIONS_DEFINITION.search(fold(question))  # as `comparison` reads it


def test_which_side_is_not_a_definition() -> None:
    assert not MENTIONS_DEFINITION.search(fold("Entre MLOps e DataOps, quem é mais antigo?"))


@pytest.mark.parametrize("question", ["O que era o Minitel?", "O que eram os Minitel?"])
def test_a_definition_in_the_past_is_read_as_one(question: str) -> None:
    found = defined(question)
    assert found is not None and found.core == "Minitel"
    assert ellipsis("E os benefícios?", question) is not None
    assert clause(question) is None
