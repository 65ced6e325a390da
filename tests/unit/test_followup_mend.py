"""Mends after a review of the follow-up rewriting: whole-word "already said", contrasts that swap
only the opposite word. Everyday domains, none of them the bundled corpus."""

from __future__ import annotations

import pytest

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
    ],
)
def test_a_name_inside_a_word_is_not_said(previous: str, follow_up: str, standalone: str) -> None:
    assert _after(previous, follow_up) == standalone


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
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
        # a condition with a verb of its own and no word shared stands alone
        ("O que acontece se o motor esquentar demais?", "E se chover?", "O que acontece se chover?"),
        # one that only says what something is, sharing nothing, is left to the fallback
        (
            "O que acontece se o carro andar sem óleo?",
            "E se for barato?",
            "E se for barato? (O que acontece se o carro andar sem óleo?)",
        ),
    ],
)
def test_a_contrast_keeps_the_old_clause_only_where_it_fits(
    previous: str, follow_up: str, standalone: str
) -> None:
    assert _after(previous, follow_up) == standalone
