"""What a pronoun, an ordinal or a demonstrative of a follow-up stands for, when it is not the
previous question's first phrase: the follow-up's own topic, one side of a pair, the person
named, the previous predicate, the item a pick chose. Everyday domains, none of them the
bundled corpus."""

from __future__ import annotations

import pytest

from assistant.phrases import noun_phrases
from tests.unit.test_followup_rules import _after


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # a follow-up that names its own topic resolves its pronoun to it, not to the history
        (
            "Em que ano o Gol foi lançado?",
            "Voltando ao Fusca: por que ele ficou tão famoso?",
            "Por que o Fusca ficou tão famoso?",
        ),
        (
            "Quanto custa um pão francês?",
            "E no caso do croissant, como ele é feito?",
            "Como o croissant é feito?",
        ),
        ("Qual é a capital da França?", "Sobre a Lua, de que ela é feita?", "De que a Lua é feita?"),
        ("Quem fundou o Flamengo?", "E o Vasco, quando ele foi fundado?", "Quando o Vasco foi fundado?"),
        # "dele" as the owner of a noun is the topic…
        ("Qual é a origem do café?", "Sobre o chá, qual é o sabor dele?", "Qual é o sabor do chá?"),
        # …but after a verb whose subject is the topic it is someone else
        ("O que é o basquete?", "E o vôlei, em que difere dele?", "Em que difere do basquete o vôlei?"),
        # the topic also owns "sua" and takes a clitic's place
        (
            "O que é o Pix?",
            "Sobre o boleto, qual é a sua principal vantagem?",
            "Qual é a principal vantagem do boleto?",
        ),
        ("O que é o Pix?", "E no caso do boleto, quanto custa emiti-lo?", "Quanto custa emitir o boleto?"),
        # a name of an earlier sentence of the follow-up itself
        (
            "Quais carros a Volkswagen fabrica?",
            "O Fusca é antigo? Quanto ele custa?",
            "O Fusca é antigo? Quanto o Fusca custa?",
        ),
        # …or of an earlier coordinated question
        (
            "Quais carros a Volkswagen fabrica?",
            "Quem desenhou o Fusca e em que ano ele foi lançado?",
            "Quem desenhou o Fusca e em que ano o Fusca foi lançado?",
        ),
    ],
)
def test_own_topic(previous: str, follow_up: str, standalone: str) -> None:
    assert _after(previous, follow_up) == standalone


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        (
            "Como o livro diferencia Fermento Biológico de Fermento Químico?",
            "E no pão, que papel o primeiro tem?",
            "Que papel o Fermento Biológico tem no pão?",
        ),
        (
            "Qual a diferença entre o café e o chá?",
            "E o segundo tem cafeína?",
            "O chá tem cafeína?",
        ),
        ("Compare o Fusca com o Gol.", "Aquele é mais antigo?", "O Fusca é mais antigo?"),
        ("Compare o Fusca com o Gol.", "Este é mais econômico?", "O Gol é mais econômico?"),
    ],
)
def test_one_of_a_pair(previous: str, follow_up: str, standalone: str) -> None:
    assert _after(previous, follow_up) == standalone


def test_an_ordinal_with_its_own_noun_is_not_a_side() -> None:
    assert "Fusca" not in _after("Compare o Fusca com o Gol.", "Quanto custava o primeiro carro da marca?")


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # "esse cargo", "esse profissional": the person, not what the question was about
        (
            "Que tarefas ficam nas mãos de quem trabalha como padeiro de hotel?",
            "E como esse profissional sabe que a massa está pronta?",
            "Como o padeiro de hotel sabe que a massa está pronta?",
        ),
        (
            "Resumindo, o que faz um engenheiro de machine learning?",
            "Por que esse cargo passou a existir? Ele cobre qual carência?",
            "Por que o engenheiro de machine learning passou a existir? "
            "O engenheiro de machine learning cobre qual carência?",
        ),
        # "ele" beside "outro profissional" is the person of the previous question, not its object
        (
            "Como o forno ajuda o padeiro?",
            "Ele lembra qual outro profissional?",
            "O padeiro lembra qual outro profissional?",
        ),
    ],
)
def test_a_role_is_the_person_named(previous: str, follow_up: str, standalone: str) -> None:
    assert _after(previous, follow_up) == standalone


def test_a_role_after_asking_for_one_is_the_person_the_answer_named() -> None:
    standalone = _after(
        "Que profissional cuida da falta de pão nos hotéis?",
        "Esse profissional trabalha de madrugada?",
        "Nos hotéis, o padeiro de plantão cobre a falta de pão. [1]",
    )
    assert standalone == "O padeiro de plantão trabalha de madrugada?"


def test_isso_beside_the_same_entity_is_the_previous_predicate() -> None:
    standalone = _after(
        "Quanto o atleta conseguiu baixar o seu tempo na maratona?", "Como ele consegue isso?"
    )
    assert standalone == "Como o atleta consegue baixar o seu tempo na maratona?"


def test_isso_done_by_another_subject_is_not_the_previous_subject() -> None:
    standalone = _after("O Fusca gasta muita gasolina?", "E o Gol também faz isso?")
    assert "faz o Fusca" not in standalone
    standalone = _after("Quanto o Fusca consegue economizar na estrada?", "E o Gol consegue isso também?")
    assert standalone == "O Gol consegue economizar na estrada também?"


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        ("Quanto a prefeitura conseguiu reduzir o trânsito?", "Como ela fez isso?",
         "Como a prefeitura conseguiu reduzir o trânsito?"),
        ("O Fusca gasta muita gasolina?", "E o Gol também faz isso?", "O Gol também gasta muita gasolina?"),
    ],
)  # fmt: skip
def test_fazer_isso_is_the_previous_verb_phrase(previous: str, follow_up: str, standalone: str) -> None:
    assert _after(previous, follow_up) == standalone


def test_fazer_isso_after_who_is_what_the_person_did() -> None:
    standalone = _after("Quem pintou a Mona Lisa?", "E em que ano ele fez isso?", "Leonardo da Vinci [1].")
    assert standalone.endswith("pintou a Mona Lisa?") and "Leonardo" in standalone


def test_which_of_the_two_compared() -> None:
    standalone = _after("Qual a diferença entre o arroz branco e o integral?", "Qual deles tem mais fibra?")
    assert standalone == "Qual tem mais fibra, o arroz branco ou o integral?"


def test_a_pronoun_after_which_one_is_the_one_answered() -> None:
    standalone = _after("Qual fruta tem mais vitamina C?", "E ela é cara?", "A acerola [1].")
    assert standalone == "A acerola é cara?"


def test_a_demonstrative_subject_with_its_verb_is_no_ellipsis() -> None:
    standalone = _after(
        "O que o nutricionista recomenda para o café da manhã?", "E esse profissional atende online?"
    )
    assert standalone == "O nutricionista atende online?"


def test_a_demonstrative_without_a_noun_is_left_alone() -> None:
    standalone = _after("O que faz um padeiro?", "Quanto ganha, em média, um padeiro desses no Brasil?")
    assert "dos no" not in standalone and "desses no Brasil" in standalone


def test_the_item_a_pick_chose() -> None:
    standalone = _after(
        "Das despesas da casa, qual tem a ver com atrasos no pagamento?",
        "Por que esse problema é visto como tão sério?",
        "Despesas da casa: Contas de luz em atraso, que geram multa. [1]",
    )
    assert standalone == "Por que o problema (contas de luz em atraso) é visto como tão sério?"


def test_a_pronoun_after_a_preposition_and_an_interrogative() -> None:
    standalone = _after("Entre quais equipes o treinador divide os jogadores?", "E o que falta a elas?")
    assert standalone == "O que falta às equipes?"


def test_a_plural_pronoun_after_asking_which_ones_is_what_the_answer_named() -> None:
    standalone = _after(
        "Entre quais times o treinador divide os jogadores?",
        "E o que falta a eles?",
        "Os jogadores se dividem entre os times titulares e os reservas. [1]",
    )
    assert standalone == "O que falta aos times titulares?"


def test_an_english_gerund_continues_a_borrowed_compound() -> None:
    (phrase,) = noun_phrases("O que faz um cientista de data mining?")
    assert phrase.core == "cientista de data mining"


def test_a_noun_for_a_name_takes_the_name_in_apposition() -> None:
    assert _after("O que é o Bluetooth?", "Quem criou esse termo?") == "Quem criou o termo Bluetooth?"


@pytest.mark.parametrize(
    "follow_up",
    ["No Brasil, ele é usado?", "Na prática, ele funciona?", "Para o Banco Central, ele é seguro?"],
)
def test_a_setting_before_the_question_is_not_its_topic(follow_up: str) -> None:
    assert "o Pix" in _after("O que é o Pix?", follow_up)


def test_a_demonstrative_before_a_verb_is_a_pronoun() -> None:
    assert _after("O que é a acerola?", "Essa tem vitamina C?") == "A acerola tem vitamina C?"


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        ("O Fusca é econômico?", "Isso também vale para o Gol?", "O Gol é econômico?"),
        ("O Fusca é econômico?", "Isso vale pro Gol também?", "O Gol é econômico?"),
        (
            "Quanto tempo leva o cozimento do arroz branco?",
            "E o mesmo se aplica ao arroz integral?",
            "Quanto tempo leva o cozimento do arroz integral?",
        ),
    ],
)
def test_the_same_for_another_subject_asks_the_previous_question_of_it(
    previous: str, follow_up: str, standalone: str
) -> None:
    assert _after(previous, follow_up) == standalone
