"""The kind of answer a question asks for (assistant/asked_kind.py), paraphrases of question
words (cues.PARAPHRASES) and fixed phrases that are no evidence (cues.IDIOMS), as sentence
selection and the follow-up check use them. Everyday examples: bread, cakes, cars, fruit."""

from __future__ import annotations

import pytest

from assistant import answer_type, asked_kind, cues, extractive, followup_support
from assistant.conversation import Turn, condense_turn
from assistant.extractive import Unit
from assistant.grounding import Span, question_terms
from tests.conftest import flat_idf, selected_quotes, text_hit, text_hits


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Por que o pão murcha?", "cause"),
        ("Qual é o motivo de o pão murchar?", "cause"),
        ("O que acontece se o bolo passar do ponto?", "consequence"),
        ("E se o carro ficar sem óleo?", "consequence"),
        ("Como o padeiro sabe que a massa cresceu?", "means"),
        ("De que forma se conserva a fruta?", "means"),
        ("Qual é a finalidade do fermento?", "aim"),
        ("Para que serve o fermento?", "aim"),
    ],
)
def test_the_question_frame_names_the_kind_of_answer(question: str, kind: str) -> None:
    assert kind in [k.name for k in asked_kind.asked(question)]


def test_a_plain_question_asks_no_kind() -> None:
    assert asked_kind.asked("Quais frutas a cesta tem?") == ()
    assert asked_kind.asked("Como assim?") == ()


@pytest.mark.parametrize(
    ("question", "of_kind", "other"),
    [
        ("Por que o pão murcha?", "O pão murcha porque perde água no forno.", "O pão leva farinha e sal."),
        (
            "O que acontece se o bolo passar do ponto?",
            "Se passar do ponto, o bolo fica seco e duro.",
            "O bolo leva três ovos.",
        ),
        (
            "Como o padeiro sabe que a massa cresceu?",
            "Confere o tamanho por meio de um copo marcado.",
            "A massa leva fermento.",
        ),
        (
            "Qual é a finalidade do fermento?",
            "O objetivo do fermento é fazer a massa crescer.",
            "O fermento é vendido em tabletes.",
        ),
    ],
)
def test_a_sentence_of_the_asked_kind_is_told_apart(question: str, of_kind: str, other: str) -> None:
    assert asked_kind.of_kind(question, of_kind)
    assert not asked_kind.of_kind(question, other)


def test_a_condition_answers_what_happens() -> None:
    question = "O que acontece se o motor esquentar demais?"
    assert "acontec" in asked_kind.answered(question, "Se o motor esquentar demais, a junta queima.")
    assert asked_kind.answered(question, "O motor tem quatro cilindros.") == set()


def test_a_frame_word_is_not_matched_by_an_unrelated_word_of_the_same_stem() -> None:
    """A frame word stems like an unrelated one ("finalidade", "final"): "no final da receita"
    states no aim; the sentence stating one comes first."""
    quotes = selected_quotes(
        "Qual é a finalidade do fermento no pão?",
        "Pão › Fermento\nNo final da receita, o fermento do pão vai à geladeira.",
        "Pão › Fermento\nO objetivo do fermento é fazer o pão crescer.",
    )
    assert quotes[0] == "O objetivo do fermento é fazer o pão crescer."


def test_a_why_question_prefers_the_sentence_giving_the_cause() -> None:
    quotes = selected_quotes(
        "Por que a banana escurece na geladeira?",
        "Frutas › Banana\nA banana escurece na geladeira e fica mais doce.",
        "Frutas › Banana\nA banana escurece na geladeira porque o frio rompe as células da casca.",
    )
    assert quotes[0].endswith("porque o frio rompe as células da casca.")


# --- paraphrases of question words


@pytest.mark.parametrize(
    ("question", "sentence", "stems"),
    [
        (
            "O que acontece se o bolo for mal feito?",
            "Feito de maneira inadequada, o bolo sola.",
            {"mal", "feit"},
        ),
        ("O pneu fica no meio de quais peças?", "O pneu fica na interseção do aro com o asfalto.", {"mei"}),
        # "entre" is said by every comparison, "qualidade" of anything: no paraphrase of either
        ("O pneu fica no meio de quais peças?", "O pneu fica entre o aro e o asfalto.", set()),
        (
            "Como o feirante se certifica de que a fruta presta?",
            "Verificar a qualidade da fruta.",
            {"certif"},
        ),
        ("Que carência o mercado tem?", "Há uma escassez de tomates.", {"carenc"}),
    ],
)
def test_words_of_one_paraphrase_class_answer_the_questions_word(
    question: str, sentence: str, stems: set[str]
) -> None:
    assert cues.paraphrased(question, sentence) == stems


def test_every_paraphrase_class_says_why() -> None:
    assert all(p.reason and len(p.phrases) >= 2 for p in cues.PARAPHRASES)


def test_a_fixed_phrase_lends_its_words_no_meaning() -> None:
    """A fixed phrase, "por meio de" (by way of), is not the "meio" (middle) asked about."""
    hit = text_hit("Cozinha\nCorte o pão por meio de uma faca serrilhada.")
    ranked = extractive.score_units("O que fica no meio do sanduíche?", [hit], flat_idf)
    assert "mei" not in ranked[0].stems
    assert "mei" in question_terms(cues.without_idioms("O que fica no meio do sanduíche?"))


# --- quantities


def test_a_count_in_a_unit_of_measure_asks_a_number() -> None:
    assert answer_type.asks_measure("Quantos anos de garantia tem o carro?")
    assert answer_type.asks_measure("Quantas pessoas cabem no carro?")
    assert not answer_type.asks_measure("Quantas frutas a cesta tem?")


CAR = [Turn("user", "O que é um carro elétrico?"), Turn("assistant", "Um carro movido a bateria.")]


def one_unit(text: str) -> Unit:
    hit = text_hits(text)[0]
    start = hit.chunk.text.index("\n") + 1
    return Unit(hit=hit, span=Span(start, len(hit.chunk.text)), score=1.0)


def asked_after(question: str, history: list[Turn]) -> followup_support.Request:
    return followup_support.request(question, condense_turn(question, history))


@pytest.mark.parametrize(
    ("history", "question", "lacking", "saying"),
    [
        # a count in a unit of measure needs a number
        (
            CAR,
            "Quantos anos de garantia costuma ter um desses?",
            "Carro elétrico\nA garantia do carro elétrico cobre a bateria.",
            "Carro elétrico\nA garantia do carro elétrico é de oito anos.",
        ),
        # the subject the follow-up types must be named
        (
            CAR,
            "O Tesla serve pra quê, exatamente? Que tipo de viagem ele faz?",
            "Carro elétrico\nO carro elétrico faz viagens curtas na cidade.",
            "Carro elétrico\nO Tesla faz viagens longas na estrada.",
        ),
        # "X ou Y?": either is enough
        (
            CAR,
            "E ele é da Fiat ou da Volkswagen?",
            "Fabricantes\nO modelo é fabricado em três versões.",
            "Fabricantes\nO modelo é fabricado pela Volkswagen.",
        ),
        # an existence question names the thing, also asked out of the blue
        (
            [],
            "Existe algum curso ou faculdade que forme mecânicos de carro?",
            "Mecânicos\nOs mecânicos de carro consertam motores e freios.",
            "Mecânicos\nO curso técnico de mecânica forma mecânicos de carro em dois anos.",
        ),
        # who originated something: a name or a role
        (
            CAR,
            "Quem inventou esse tipo de motor?",
            "Carro elétrico\nO motor é montado e testado na fábrica.",
            "Carro elétrico\nO motor foi inventado por Nikola Tesla.",
        ),
        (
            CAR,
            "Quem inventou esse tipo de motor?",
            "Carro elétrico\nO motor é montado e testado na fábrica.",
            "Carro elétrico\nO motor foi inventado por um engenheiro húngaro.",
        ),
    ],
)
def test_only_a_sentence_of_the_asked_type_answers(
    history: list[Turn], question: str, lacking: str, saying: str
) -> None:
    asked = asked_after(question, history)
    assert not followup_support.supported(asked, [one_unit(lacking)], flat_idf)
    assert followup_support.supported(asked, [one_unit(saying)], flat_idf)


def test_what_each_question_type_requires() -> None:
    assert asked_after("Quantos anos de garantia costuma ter um desses?", CAR).number
    assert not asked_after("E quantas são as versões?", CAR).number  # a list answers it
    assert answer_type.asked_things("Existe algum curso ou faculdade?") == ["curs", "faculdad"]
    assert not asked_after("Tem algum exemplo?", []).subjects
    assert asked_after("Quem inventou esse tipo de motor?", CAR).agent
    assert not asked_after("E quem é responsável por isso?", CAR).agent  # any agent answers it
    assert asked_after("E como ele carrega, na prática?", CAR).terms == ("carreg",)  # "in practice"


@pytest.mark.parametrize(
    "question",
    [
        "Como se chama o fruto do cajueiro?",
        "Como o autor nomeou a receita?",
        "Como é o clima da cidade?",
        "Como o livro define uma fruta cítrica?",
    ],
)
def test_a_how_asking_a_name_or_a_description_asks_no_means(question: str) -> None:
    assert asked_kind.asked(question) == ()


def test_a_sentence_of_the_asked_form_ranks_first_but_is_no_evidence() -> None:
    """ "acontece" is the frame of "O que acontece se…?": a condition holds it for ranking, yet
    the passage's support (the pipeline's evidence) counts only the words it says."""
    hits = text_hits("Motor\nO motor esquenta demais no verão. Se o motor esquentar demais, a junta queima.")
    ranked = extractive.score_units("O que acontece se o motor esquentar demais?", hits, flat_idf)
    assert ranked[0].quote.startswith("Se o motor")
    assert "acontec" not in ranked[0].stems and ranked[0].support < 1.0


@pytest.mark.parametrize(
    ("sentence", "means"),
    [
        ("O padeiro sabe usando um termômetro.", True),
        ("Conserva-se a fruta congelando as fatias.", True),
        ("O carro liga por meio de um botão.", True),
        ("O comando fica no painel.", False),
        ("Fernando é o padeiro da esquina.", False),
        ("O bolo ficou lindo.", False),
        ("Seja bem-vindo à padaria.", False),
    ],
)
def test_a_word_ending_like_a_gerund_is_no_means(sentence: str, means: bool) -> None:
    assert asked_kind.of_kind("Como o padeiro sabe que a massa cresceu?", sentence) is means
