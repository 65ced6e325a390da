"""Picks within a list, however a user phrases them, over everyday lists (none of them the
bundled corpus): the follow-up made a pick, the item chosen by position, neighbour or
property in other words, and no answer when no item has the property."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant import extractive, followup_support, kin_words, lists
from assistant.conversation import Condensed, Turn, condense
from assistant.grounding import Span
from tests.conftest import flat_idf, text_hit

FRUITS = "Quais frutas o livro cita?"
TOOLS = "Quais são as ferramentas de jardinagem do manual?"


def _after(previous: str, follow_up: str, earlier: str = "") -> str:
    history = [Turn("user", earlier), Turn("assistant", "Veja [1].")] if earlier else []
    return condense(follow_up, [*history, Turn("user", previous), Turn("assistant", "Veja [1].")])


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        (FRUITS, "Dessas, quais são vermelhas?", "Das frutas que o livro cita, quais são vermelhas?"),
        (FRUITS, "Entre elas, qual é a mais doce?", "Das frutas que o livro cita, qual é a mais doce?"),
        (FRUITS, "Alguma delas é cítrica?", "Das frutas que o livro cita, qual é cítrica?"),
        (FRUITS, "Tem alguma dessas que seja cítrica?", "Das frutas que o livro cita, qual seja cítrica?"),
        (FRUITS, "Qual dessas frutas tem mais fibra?", "Das frutas que o livro cita, qual tem mais fibra?"),
        (FRUITS, "E o primeiro item, é sobre o quê?", "Das frutas que o livro cita, qual é o primeiro?"),
        # "desses" after a feminine list: users point at "the items", whatever their gender
        (
            TOOLS,
            "Qual desses serve para cortar galhos?",
            "Qual das ferramentas de jardinagem do manual serve para cortar galhos?",
        ),
        # a bare "E qual <verbo>…?" right after a pick picks from the same list
        (
            "Das frutas que o livro cita, qual é cítrica?",
            "E qual tem mais fibra?",
            "Das frutas que o livro cita, qual tem mais fibra?",
        ),
        # a list question that names no plural phrase: the items, with that question for retrieval
        (
            "O manual dá mais de uma dica de poda. Quais são?",
            "Dessas, qual fala de árvores frutíferas?",
            "Dos itens citados, qual fala de árvores frutíferas?"
            " (O manual dá mais de uma dica de poda. Quais são?)",
        ),
    ],
)
def test_ways_of_picking_from_the_previous_list(previous: str, follow_up: str, standalone: str) -> None:
    made = _after(previous, follow_up)
    assert made == standalone
    assert lists.asks_selection(made)


def test_a_pick_after_an_unrelated_turn_takes_the_list_from_the_turn_before() -> None:
    made = _after("Qual vem logo depois da tesoura?", "E a que fica entre a pá e o rastelo?", TOOLS)
    assert made == "Qual das ferramentas de jardinagem do manual fica entre a pá e o rastelo?"


@pytest.mark.parametrize(
    "follow_up",
    [
        "E qual empresa fabrica a tesoura?",  # a noun and its verb: a question of its own
        "E o que elas fazem?",  # "o que" asks what, it picks nothing
    ],
)
def test_questions_of_their_own_are_no_picks(follow_up: str) -> None:
    assert not lists.asks_selection(_after(TOOLS, follow_up))


GARDEN = (
    "Jardim › Ferramentas\n"
    "As ferramentas de jardinagem do manual:\n"
    "* tesoura de poda, para cortar galhos finos;\n"
    "* pá, para cavar e transplantar mudas;\n"
    "* rastelo, para o recolhimento das folhas secas;\n"
    "* regador com bico fino, para a irrigação de mudas.\n"
    "Guarde tudo limpo e seco."
)
LIST = "Das ferramentas de jardinagem do manual, "


def _picked(question: str, text: str = GARDEN) -> list[str]:
    return [u.quote for u in extractive.select(question, [text_hit(text)], flat_idf)]


@pytest.mark.parametrize(
    ("asked", "item"),
    [
        ("qual é a terceira?", "rastelo, para o recolhimento das folhas secas;"),
        ("qual vem em primeiro lugar?", "tesoura de poda, para cortar galhos finos;"),
        ("qual fecha a lista?", "regador com bico fino, para a irrigação de mudas."),
        ("qual vem logo depois da pá?", "rastelo, para o recolhimento das folhas secas;"),
        ("qual fica entre a tesoura de poda e o rastelo?", "pá, para cavar e transplantar mudas;"),
        # the property in words derived from the item's: "recolher" ~ "recolhimento", "irrigar" ~
        # "irrigação", "poda" ~ "podar"
        ("qual serve para recolher folhas?", "rastelo, para o recolhimento das folhas secas;"),
        ("qual é a de irrigar?", "regador com bico fino, para a irrigação de mudas."),
        ("qual ajuda a podar?", "tesoura de poda, para cortar galhos finos;"),
    ],
)
def test_an_item_is_picked_by_position_neighbour_or_kin_words(asked: str, item: str) -> None:
    assert _picked(LIST + asked) == [item]


@pytest.mark.parametrize(
    "asked",
    [
        "qual é a mais barata?",  # no price is given: neither an item nor the list answers
        "qual é elétrica?",
        "qual é a sexta?",  # past the list's end
    ],
)
def test_no_item_has_the_property_so_nothing_answers(asked: str) -> None:
    assert _picked(LIST + asked) == []


def test_a_list_of_lines_opened_by_one_marker_is_a_list_too() -> None:
    steps = ("1. Peneire a farinha.", "2. Bata os ovos com o açúcar.", "3. Leve ao forno por 40 minutos.")
    recipe = "\n".join(["Receita › Preparo", *steps])
    assert _picked("Dos passos do preparo, qual é o segundo?", recipe) == ["Bata os ovos com o açúcar."]
    assert _picked("Dos passos do preparo, qual envolve o forno?", recipe) == [
        "Leve ao forno por 40 minutos."
    ]


@pytest.mark.parametrize(
    ("part", "item", "said"),
    [
        ("serve para versionamento", "ferramenta de versionar arquivos", "version"),
        ("faz a orquestração", "orquestra tarefas", "orquestr"),
        ("ajuda a retreinar modelos", "treinamento de modelos", "retrein"),
        ("está ligada a inteligência artificial", "Operação em IA", "inteligent"),
        ("tem a ver com a falta de pessoal", "escassez de técnicos", "falt"),
    ],
)
def test_an_item_says_a_property_in_kin_words(part: str, item: str, said: str) -> None:
    from assistant.grounding import question_terms

    assert said in kin_words.said(part, question_terms(part), item)


def test_a_pick_under_the_threshold_is_answered_by_items_saying_the_request() -> None:
    condensed = Condensed(
        "Das ferramentas de jardinagem do manual, qual serve para recolher folhas?", "", follow_up=True
    )
    asked = followup_support.request("Qual delas serve para recolher folhas?", condensed)
    assert isinstance(followup_support.gated(asked, 0.2, 0.4), followup_support.Abstain)  # not a pick
    gated = followup_support.gated(asked, 0.2, 0.4, pick=True)
    assert gated is not None and gated.pick
    units = extractive.select(condensed.question, [text_hit(GARDEN)], flat_idf)
    assert [u.quote for u in units] == ["rastelo, para o recolhimento das folhas secas;"]
    assert followup_support.supported(gated, units, flat_idf)
    # the list, or a sentence that is no item, does not answer a pick under the threshold
    whole = extractive.select("Quais ferramentas de jardinagem o manual cita?", [text_hit(GARDEN)], flat_idf)
    assert not followup_support.supported(gated, whole, flat_idf)


@pytest.mark.parametrize(
    ("follow_up", "standalone"),
    [
        # an acknowledgement before the pick, a participle after "Tem alguma"
        ("Beleza. E qual é a que fecha a lista?", "Das frutas que o livro cita, qual fecha a lista?"),
        ("Tem alguma ligada ao inverno?", "Das frutas que o livro cita, qual ligada ao inverno?"),
        # naming an item does not make a pick standalone right after the list
        ("Qual vem logo depois da banana?", "Das frutas que o livro cita, qual vem logo depois da banana?"),
    ],
)
def test_picks_that_look_standalone(follow_up: str, standalone: str) -> None:
    assert _after(FRUITS, follow_up) == standalone


def test_lines_opened_by_one_marker_continue_in_the_next_chunk() -> None:
    first = "Guia › Tipos\n@ Arábica - grãos doces e aromáticos.\n@ Robusta - mais cafeína e amargor."
    rest = "Guia › Tipos\n@ Liberica - grãos raros, de sabor defumado.\n# Nota: conserve os grãos secos."
    later = text_hit(rest, 2)
    hits = [text_hit(first), replace(later, chunk=replace(later.chunk, start=len(first)))]
    question = "Dos tipos de café do guia, qual tem sabor defumado?"
    assert [u.quote for u in extractive.select(question, hits, flat_idf)] == [
        "Liberica - grãos raros, de sabor defumado."
    ]
    assert [
        u.quote for u in extractive.select("Dos tipos de café do guia, qual é o último?", hits, flat_idf)
    ] == ["Liberica - grãos raros, de sabor defumado."]


def test_a_pick_by_position_under_the_threshold_asks_nothing_of_the_item() -> None:
    condensed = Condensed(LIST + "qual é a terceira?", "", follow_up=True)
    gated = followup_support.gated(followup_support.request("E a terceira?", condensed), 0.2, 0.4, pick=True)
    assert gated is not None
    units = extractive.select(condensed.question, [text_hit(GARDEN)], flat_idf)
    assert followup_support.supported(gated, units, flat_idf)
    # an item shown without being chosen (a sentence of the section) is no pick
    other = extractive.select("Como guardar as ferramentas?", [text_hit(GARDEN)], flat_idf)
    assert not followup_support.supported(gated, other, flat_idf)


def test_a_question_about_a_named_item_is_no_pick() -> None:
    items = ["Gardena - tesoura de poda", "Tramontina - pá de jardim"]
    about = "Das marcas citadas, qual empresa é dona da Gardena?"
    assert lists.choose(about, items, context="", idf=flat_idf, embedder=None) is None
    # a lower-case word that begins an item names no item: "visualização" picks the item
    chosen = lists.choose(
        "Das marcas citadas, qual vende pá?", items, context="", idf=flat_idf, embedder=None
    )
    assert chosen == [1]


def test_the_parts_of_one_sentence_are_a_list_to_pick_from() -> None:
    text = (
        "Bicicleta › Benefícios\n"
        "Pedalar fortalece as pernas, melhora o sono e reduz o estresse do dia a dia, em qualquer idade."
    )
    body = text.partition("\n")[2]
    parts = lists.clause_items(text, Span(text.index(body), len(text)))
    assert [text[s.start : s.end] for s in parts] == [
        "Pedalar fortalece as pernas",
        "melhora o sono",
        "reduz o estresse do dia a dia",
    ]
    assert _picked("Dos benefícios de pedalar, qual tem a ver com dormir melhor e o sono?", text) == [
        "melhora o sono"
    ]
    assert lists.clause_items("O cão e o gato dormem.", Span(0, 22)) == []  # "A e B" is one thing
