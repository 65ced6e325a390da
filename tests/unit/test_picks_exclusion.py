"""Every item of the previous list but some, by position: "Se eu tirar a primeira e a última,
quais sobram?", "sem contar a segunda", "tirando a última", "todas menos a primeira"."""

from __future__ import annotations

import pytest

from assistant import extractive, lists
from assistant.conversation import Turn, condense
from tests.conftest import flat_idf, text_hit

FRUITS = "Quais frutas a receita usa?"
SALAD = (
    "Receita › Salada de frutas\n"
    "As frutas que a receita usa:\n"
    "* banana\n"
    "* maçã\n"
    "* manga\n"
    "* morango\n"
    "Sirva gelada."
)
LIST = "Das frutas que a receita usa, "


def _after(previous: str, follow_up: str) -> str:
    return condense(follow_up, [Turn("user", previous), Turn("assistant", "Veja [1].")])


@pytest.mark.parametrize(
    ("follow_up", "left_out"),
    [
        ("Se eu tirar a primeira e a última, quais sobram?", "a primeira e a última"),
        ("E sem contar a segunda?", "a segunda"),
        ("Tirando a última, quais ficam?", "a última"),
        ("E todas menos a primeira?", "a primeira"),
        ("Quais são, exceto a terceira?", "a terceira"),
    ],
)
def test_ways_of_leaving_items_out_by_position(follow_up: str, left_out: str) -> None:
    made = _after(FRUITS, follow_up)
    assert made == f"{LIST}quais restam, tirando {left_out}?"
    assert lists.asks_selection(made)


@pytest.mark.parametrize(
    ("asked", "items"),
    [
        ("quais restam, tirando a primeira e a última?", ["maçã", "manga"]),
        ("quais restam, tirando a segunda?", ["banana", "manga", "morango"]),
        ("quais restam, tirando a penúltima?", ["banana", "maçã", "morango"]),
    ],
)
def test_the_items_left_are_the_answer(asked: str, items: list[str]) -> None:
    assert [u.quote for u in extractive.select(LIST + asked, [text_hit(SALAD)], flat_idf)] == items


@pytest.mark.parametrize(
    "asked",
    [
        "quais restam, tirando a quinta?",  # past the list's end
        "quais restam, tirando a primeira, a segunda, a terceira e a quarta?",  # none left
    ],
)
def test_leaving_out_what_is_not_there_answers_nothing(asked: str) -> None:
    assert lists.by_position(asked, ["banana", "maca", "manga", "morango"]) is None


@pytest.mark.parametrize(
    "question",
    [
        "E sem açúcar, qual fica melhor?",  # "sem" before a noun leaves no item out
        "Qual fruta a receita usa menos?",
    ],
)
def test_questions_that_leave_no_item_out(question: str) -> None:
    assert "tirando" not in _after(FRUITS, question)


TOPPED = ["banana, a mais doce", "maçã, a mais usada em tortas", "manga", "morango, o mais usado"]
"""Fruits and what the list says of each."""


@pytest.mark.parametrize(
    ("asked", "chosen"),
    [
        # an ordinal with a noun after it is no item left out
        ("Qual delas funciona sem a primeira etapa de preparo?", None),
        # an exclusion beside a property chooses by the property among the rest
        ("Tirando a segunda, qual é a mais usada?", [3]),
        ("Tirando a primeira, qual é a mais doce?", None),
        # an exclusion alone is the rest
        ("Das frutas que a receita usa, quais sobram, tirando a primeira e a última?", [1, 2]),
    ],
)
def test_an_exclusion_leaves_the_property_to_choose_by(asked: str, chosen: list[int] | None) -> None:
    assert (
        lists.choose(asked, TOPPED, context="As frutas que a receita usa:", idf=flat_idf, embedder=None)
        == chosen
    )
