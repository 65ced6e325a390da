"""Ellipsis follow-ups ("E o de X, …?", "E quando…?", "E no caso de X, quais são?", "E os
benefícios?") over everyday domains: what the new phrase stands beside, what a tail asks, and
which earlier question has the slot when the last one does not."""

from __future__ import annotations

import pytest

from assistant.conversation import Turn, condense


def _after(*asked: str) -> str:
    """The last of `asked` condensed after the others (each answered)."""
    history = [turn for q in asked[:-1] for turn in (Turn("user", q), Turn("assistant", "Veja o texto [1]."))]
    return condense(asked[-1], history)


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # a tail with a predicate of its own asks it of the new thing alone
        (
            "O técnico de redes também cuida da segurança?",
            "E o de suporte, cuida de quê?",
            "O técnico de suporte cuida de quê?",
        ),
        # a subject pronoun in the tail is the new thing…
        (
            "Qual é a velocidade máxima do Fusca?",
            "E no caso do Gol, o que ele tem de diferente?",
            "O que o Gol tem de diferente?",
        ),
        ("O que é o Python?", "E o Java, qual o objetivo dele?", "Qual o objetivo do Java?"),
        ("O que é o Python?", "E o Java, quem o criou?", "Quem criou o Java?"),
        # …in a comparison "dele" is the old one
        ("O que é o cuscuz?", "E o tabule, em que difere dele?", "Em que difere do cuscuz o tabule?"),
        # a tail that only repeats the predicate, or a trailing "também", adds nothing
        ("O Python usa indentação?", "E o Java, também usa?", "O Java usa indentação?"),
        ("O Python é gratuito?", "E o Java também?", "O Java é gratuito?"),
        ("O Python é gratuito?", "E o mesmo vale para o Java?", "O Java é gratuito?"),
        ("O Python é gratuito?", "E para o Java, vale o mesmo?", "O Java é gratuito?"),
        # a tail asking only "quantas tem?" asks the previous question again
        ("Quantas calorias tem a maçã?", "E a banana, quantas tem?", "Quantas calorias tem a banana?"),
        # the modifier alone replaces the modifier
        (
            "Quais ferramentas de jardinagem o guia recomenda?",
            "E de marcenaria?",
            "Quais ferramentas de marcenaria o guia recomenda?",
        ),
        ("Quais são os benefícios da corrida?", "E da natação?", "Quais são os benefícios da natação?"),
        ("Qual é a capital da França?", "E qual é a da Alemanha?", "Qual é a capital da Alemanha?"),
        ("Qual o maior rio do Brasil?", "E da Europa?", "Qual o maior rio da Europa?"),
        # a bare noun after the interrogative stays bare
        ("Quais frutas o livro cita?", "E os legumes?", "Quais legumes o livro cita?"),
        # an ordinal opening a name is swapped inside the name
        (
            "Quando começou a Segunda Guerra Mundial?",
            "E a Primeira?",
            "Quando começou a Primeira Guerra Mundial?",
        ),
        # "quais são?" after "as do X" or "quanto ao X"
        ("Quais são as vantagens do Python?", "E as do Java, quais são?", "Quais são as vantagens do Java?"),
        ("Quais são as vantagens do Python?", "E para o Java, quais são?", "Quais são as vantagens do Java?"),
        (
            "Quais são as vantagens do Python?",
            "E quanto ao Java, quais seriam?",
            "Quais são as vantagens do Java?",
        ),
        # a name after a preposition the previous question lacks stands beside its name
        ("Quantos habitantes tem o Brasil?", "E em Portugal?", "Quantos habitantes tem Portugal?"),
        (
            "Quais ferramentas o Engenheiro de Software usa?",
            "E para o Engenheiro de Dados?",
            "Quais ferramentas o Engenheiro de Dados usa?",
        ),
        # a thing stands beside a thing, not beside the circumstance holding the name
        (
            "O que simbolizam as pombas na pintura do Picasso?",
            "E os touros?",
            "O que simbolizam os touros na pintura do Picasso?",
        ),
        # a long phrase of few content words is still one phrase
        (
            "O que o cozinheiro deve fazer com os legumes frescos?",
            "E com os restos das carnes assadas do almoço?",
            "O que o cozinheiro deve fazer com os restos das carnes assadas do almoço?",
        ),
        # "entre" takes both sides
        (
            "Qual a diferença entre o futsal e o futebol?",
            "E entre o vôlei e o basquete?",
            "Qual a diferença entre o vôlei e o basquete?",
        ),
        # a circumstance the previous question lacks narrows it
        (
            "Qual o horário de funcionamento da padaria?",
            "E aos domingos?",
            "Qual o horário de funcionamento da padaria aos domingos?",
        ),
        # a contrasting condition replaces the condition, keeping its subject
        (
            "O que acontece se o bolo for mal assado?",
            "E quando é bem assado?",
            "O que acontece quando o bolo é bem assado?",
        ),
        (
            "Vale a pena comprar um carro se ele for caro?",
            "E se for barato?",
            "Vale a pena comprar um carro se ele for barato?",
        ),
        ("Como fica o trânsito quando chove?", "E quando faz sol?", "Como fica o trânsito quando faz sol?"),
        ("Quanto se paga se o carro for novo?", "E se for usado?", "Quanto se paga se o carro for usado?"),
        # a reflexive "se" is no condition: the "quando" after it is
        (
            "Por que o bolo se desfaz quando esfria?",
            "E quando esquenta?",
            "Por que o bolo se desfaz quando esquenta?",
        ),
        # an interrogative "quando" is no condition either
        (
            "Quando foi criado o Docker?",
            "E quando foi lançado o Kubernetes?",
            "Quando foi lançado o Kubernetes?",
        ),
        # a bare condition asks what happens
        ("Se o bolo for mal assado?", "E quando corre bem?", "O que acontece quando o bolo corre bem?"),
    ],
)
def test_ellipsis_after_the_previous_question(previous, follow_up, standalone):
    assert _after(previous, follow_up) == standalone


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # after a definition of a common noun, an attribute noun asks that attribute…
        ("O que são vitaminas?", "E os benefícios?", "Quais são os benefícios das vitaminas?"),
        ("O que é a gripe?", "E os sintomas?", "Quais são os sintomas da gripe?"),
        ("Quanto custa o carro elétrico?", "E os riscos?", "Quais são os riscos do carro elétrico?"),
        # …holding its own modifier, it needs no other
        ("O que é um carro híbrido?", "E as vantagens dele?", "Quais são as vantagens do carro híbrido?"),
        # …while a sibling concept is defined the same way
        ("O que são vitaminas?", "E os minerais?", "O que são minerais?"),
        ("O que é a fotossíntese?", "E a respiração celular?", "O que é a respiração celular?"),
    ],
)
def test_an_attribute_noun_is_the_previous_topics(previous, follow_up, standalone):
    assert _after(previous, follow_up) == standalone


@pytest.mark.parametrize(
    ("asked", "standalone"),
    [
        # the contrasted condition is two questions back
        (
            (
                "O que acontece se o bolo for mal assado?",
                "Quem inventou o forno elétrico?",
                "E quando é bem assado?",
            ),
            "O que acontece quando o bolo é bem assado?",
        ),
        # the preposition is two questions back
        (
            ("Quais frutas são colhidas no verão?", "Quem inventou o relógio?", "E no inverno?"),
            "Quais frutas são colhidas no inverno?",
        ),
        # "quais são?" asks the list question again, after a pick from it
        (
            (
                "Quais pratos de Portugal o livro cita?",
                "Qual deles leva bacalhau?",
                "E no caso de Espanha, quais são?",
            ),
            "Quais pratos de Espanha o livro cita?",
        ),
        (
            (
                "Quais são os benefícios da corrida?",
                "Quem ganhou a maratona?",
                "E no caso da natação, quais são?",
            ),
            "Quais são os benefícios da natação?",
        ),
        (
            ("Quais são os benefícios da corrida?", "Quem ganhou a maratona?", "E os da natação?"),
            "Quais são os benefícios da natação?",
        ),
    ],
)
def test_an_ellipsis_pairs_with_the_earlier_question_that_has_its_slot(asked, standalone):
    assert _after(*asked) == standalone


def test_an_ellipsis_the_previous_question_takes_does_not_look_further_back():
    asked = ("Quais frutas são colhidas no verão?", "Onde se planta arroz no Brasil?", "E no Japão?")
    assert _after(*asked) == "Onde se planta arroz no Japão?"
