"""Mends after a review of the follow-up rewriting: whole-word "already said", contrasts that swap
only the opposite word. Everyday domains, none of them the bundled corpus."""

from __future__ import annotations

import pytest

from assistant import answer_type, followup_earlier
from assistant.antecedents import is_trade
from assistant.references import says
from tests.unit.test_followup_rules import _after


@pytest.mark.parametrize(
    ("text", "phrase", "said"),
    [
        ("Isso é usado na indústria?", "IA", False),
        ("Ele está absolutamente certo?", "abs", False),
        ("A IA é usada na indústria?", "IA", True),
        ("Quem pixa usa o Pix?", "o PIX", True),
    ],
)
def test_said_is_whole_words(text: str, phrase: str, said: bool) -> None:
    assert says(text, phrase) is said


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # a thing whose name hides inside a longer word is still not said in the follow-up
        ("O que é IA?", "Isso é usado na indústria?", "IA é usado na indústria?"),
        ("O que é o PIX?", "Quem pixa usa isso?", "Quem pixa usa o PIX?"),
        # a condition that only says the opposite swaps that word inside the old condition
        (
            "O que acontece se eu comer muito açúcar?",
            "E se for pouco?",
            "O que acontece se eu comer pouco açúcar?",
        ),
        (
            "O que acontece se o bolo ficar muito tempo no forno?",
            "E se for pouco?",
            "O que acontece se o bolo ficar pouco tempo no forno?",
        ),
        (
            "O que acontece se o bolo for mal assado?",
            "E se for bem?",
            "O que acontece se o bolo for bem assado?",
        ),
        # a condition with a verb of its own and no word shared stands alone
        ("O que acontece se o motor esquentar demais?", "E se chover?", "O que acontece se chover?"),
        # one that only says what something is, sharing nothing, is left to the fallback
        (
            "O que acontece se o carro andar sem óleo?",
            "E se for barato?",
            "E se for barato? (O que acontece se o carro andar sem óleo?)",
        ),
        # trades ending in -ólogo and -ário are people (the endings run on folded words)
        (
            "Que tarefas ficam nas mãos de quem trabalha como biólogo?",
            "E como esse profissional escolhe o que estudar?",
            "Como o biólogo escolhe o que estudar?",
        ),
        (
            "Que tarefas ficam nas mãos de quem trabalha como bibliotecário?",
            "E como esse profissional organiza os livros?",
            "Como o bibliotecário organiza os livros?",
        ),
    ],
)
def test_a_follow_up_is_made_standalone(previous: str, follow_up: str, standalone: str) -> None:
    assert _after(previous, follow_up) == standalone


@pytest.mark.parametrize(
    ("word", "trade"),
    [
        ("bibliotecaria", True),
        ("usuarios", True),
        ("professores", True),
        ("calendario", False),
        ("navegador", False),
    ],
)
def test_one_table_of_people_by_role(word: str, trade: bool) -> None:
    assert is_trade(word) is trade


@pytest.mark.parametrize(
    ("text", "agent"),
    [
        ("O bolo de rolo foi criado por confeiteiros do Recife.", True),
        ("O termo foi cunhado por biólogos marinhos.", True),
        ("Os usuários inventaram o apelido.", True),
        ("O apelido surgiu no calendário da escola.", False),
    ],
)
def test_an_agent_is_any_trade(text: str, agent: bool) -> None:
    assert answer_type.states_agent(text) is agent


def test_an_ellipsis_paired_with_an_earlier_question_is_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    # whatever the earlier question's slot leaves, the finishing joins and closes it like the rules'
    monkeypatch.setattr(
        followup_earlier, "paired", lambda question, asked: "qual é o estádio de o Corinthians"
    )
    assert (
        _after("Qual é o estádio do Flamengo?", "E o do Corinthians?") == "Qual é o estádio do Corinthians?"
    )


@pytest.mark.parametrize(
    "follow_up",
    [
        "E acerca do Vasco?",
        "E a respeito do Vasco?",
        "E com relação ao Vasco?",
        "E falando do Vasco?",
        "E quanto ao Vasco?",
        "E no que diz respeito ao Vasco?",
    ],
)
def test_every_way_of_saying_about_is_an_ellipsis(follow_up: str) -> None:
    # one list of "about" words (antecedents.ABOUT) for topic leads and ellipses; before,
    # "E acerca do Vasco?" became "Acerca do Vasco?" and "E a respeito do Vasco?" became
    # "Quem fundou a respeito do Vasco?"
    assert _after("Quem fundou o Flamengo?", follow_up) == "Quem fundou o Vasco?"
