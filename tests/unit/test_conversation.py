"""Follow-up detection and the rules that rewrite a follow-up as a standalone question (LLM
condensing is in test_condense_llm.py)."""

from __future__ import annotations

import pytest

from assistant import lists
from assistant.conversation import (
    Turn,
    condense,
    condense_turn,
    is_follow_up,
)

TOOLS = [
    Turn("user", "Quais ferramentas de MLOps o documento cita?"),
    Turn("assistant", "DVC (Data Version Control), Pachyderm, Airflow, Neptune e MLflow [1]."),
]
ENGINEER = [
    Turn("user", "O que faz o Engenheiro de Machine Learning?"),
    Turn("assistant", "Ele pesquisa, constrói e projeta sistemas de IA autoexecutáveis [1]."),
]


@pytest.mark.parametrize(
    "question",
    [
        "E qual delas serve para versionar dados?",
        "E o de DataOps?",
        "E o oposto disso?",
        "Por quê?",
        "Com que objetivo?",
        "Qual dos dois tem o perfil mais amplo?",
        "Nessa comparação, qual é a matéria-prima?",
        "E quanto custa implantá-lo numa empresa?",
    ],
)
def test_follow_ups_are_detected(question):
    assert is_follow_up(question, TOOLS)


@pytest.mark.parametrize(
    "question", ["O que é DataOps?", "Quais ferramentas de DataOps aparecem no documento?"]
)
def test_standalone_questions_are_not_follow_ups(question):
    assert not is_follow_up(question, TOOLS)


def test_rules_rewrite_the_follow_up_without_an_llm():
    assert condense("E o de DataOps?", ENGINEER) == "O que faz o Engenheiro de DataOps?"


def test_unresolvable_follow_ups_borrow_context_but_not_its_evidence():
    coffee = [Turn("user", "Como se descalcifica a cafeteira?"), Turn("assistant", "Use vinagre [1].")]
    condensed = condense_turn("E quando é preciso?", coffee)
    assert condensed.question == "E quando é preciso? (Como se descalcifica a cafeteira?)"
    assert condensed.evidence == "E quando é preciso? (cafeteira)"  # not "descalcifica"


# --- the rules, on another domain (a coffee-machine manual) -------------------------------


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # ellipsis: the modifier of the previous question's noun phrase is replaced
        (
            "Qual a temperatura da água do modo de café coado?",
            "E o de espresso?",
            "Qual a temperatura da água do modo de espresso?",
        ),
        # ellipsis: the previous question's subject is replaced
        (
            "O moedor Mk2 é compatível com a linha Barista ou com a linha Cápsula?",
            "E o Mk3?",
            "O Mk3 é compatível com a linha Barista ou com a linha Cápsula?",
        ),
        (
            "Quanto tempo leva o café coado?",
            "E no caso do expresso duplo?",
            "Quanto tempo leva o expresso duplo?",
        ),
        ("Qual é a garantia do Mk2?", "E do Mk3?", "Qual é a garantia do Mk3?"),
        # after a definition, an ellipsis asks about an attribute of what was defined
        ("O que é o Cold Brew?", "E as desvantagens?", "Quais são as desvantagens do Cold Brew?"),
        ("O que é Cold Brew?", "E Nitro Brew?", "O que é Nitro Brew?"),
        # pronouns agree in gender and number with what they stand for
        ("O que é a bandeja de gotejamento?", "Como limpá-la?", "Como limpar a bandeja de gotejamento?"),
        (
            "Onde fica o reservatório de água da cafeteira?",
            "E qual a capacidade dele?",
            "Qual a capacidade do reservatório de água da cafeteira?",
        ),
        (
            "Com o modo eco as cafeteiras gastam menos energia?",
            "E quanto elas consomem em espera?",
            "Quanto as cafeteiras consomem em espera?",
        ),
        (
            "O que é descalcificação?",
            "E com que frequência fazer isso?",
            "Com que frequência fazer descalcificação?",
        ),
        (
            "Como funciona o modo econômico?",
            "E quem é responsável por isso?",
            "Quem é responsável pelo modo econômico?",
        ),
        # a bare "why" completes the previous question's clause
        (
            "O que o manual recomenda descalcificar?",
            "Por quê?",
            "Por que o manual recomenda descalcificar?",
        ),
        # "qual dos dois" names both sides
        (
            "A cafeteira Alfa e a cafeteira Beta usam cápsulas?",
            "Qual das duas é mais silenciosa?",
            "Qual é mais silenciosa, a cafeteira Alfa ou a cafeteira Beta?",
        ),
        # "qual delas"/"entre elas" over two names, not a list
        ("O que são a Alfa e a Beta?", "Qual delas é mais barata?", "Qual é mais barata, a Alfa ou a Beta?"),
        (
            "O que são a Alfa e a Beta?",
            "E qual a diferença entre elas?",
            "Qual a diferença entre a Alfa e a Beta?",
        ),
        # an ellipsis with its own question
        ("A Mk2 tem moedor?", "E a Mk3, quanto custa?", "Quanto custa a Mk3?"),
        # "diferença para X" names what X is compared with
        (
            "O que é o Cold Brew?",
            "E qual a diferença para o café coado?",
            "Qual a diferença entre Cold Brew e café coado?",
        ),
        # "o oposto disso" asks about the opposite, named when the adjective has a common antonym
        ("O que é o modo Quente?", "E o oposto disso?", "O que é o oposto do modo Quente (modo Frio)?"),
    ],
)
def test_rules_write_the_standalone_question(previous, follow_up, standalone):
    history = [Turn("user", previous), Turn("assistant", "Veja o manual [1].")]
    assert condense(follow_up, history) == standalone


def test_selection_names_the_list_in_the_form_the_answer_step_detects():
    history = [Turn("user", "Quais bebidas a cafeteira prepara?"), Turn("assistant", "Espresso; Latte [1].")]
    standalone = condense("E qual delas leva leite?", history)
    assert standalone == "Das bebidas que a cafeteira prepara, qual leva leite?"
    assert lists.asks_selection(standalone)
    listed = [Turn("user", "Quais são os acessórios da Mk2?"), Turn("assistant", "Jarra; Filtro [1].")]
    assert condense("Quais deles vão na lava-louças?", listed) == (
        "Quais dos acessórios da Mk2 vão na lava-louças?"
    )
    # "qual das duas" compares two things; it is not a pick from a list
    both = [Turn("user", "A Alfa e a Beta moem grãos?"), Turn("assistant", "Sim [1].")]
    assert not lists.asks_selection(condense("Qual das duas é mais barata?", both))


def test_a_demonstrative_takes_the_name_the_previous_answer_gave():
    history = [
        Turn("user", "Qual modelo de cafeteira tem moedor embutido?"),
        Turn("assistant", "A Barista Pro tem moedor embutido [1]."),
    ]
    assert condense("Quanto custa esse modelo?", history) == "Quanto custa o modelo da Barista Pro?"
    unanswered = [
        Turn("user", "Que peça o manual manda trocar a cada seis meses?"),
        Turn("assistant", "Não encontrei essa informação nos documentos."),
    ]
    assert condense("Essa peça vem na caixa?", unanswered) == (
        "A peça que o manual manda trocar a cada seis meses vem na caixa?"
    )
    # the borrowed clause helps retrieval; the evidence is the follow-up and the subject only
    borrowed = [Turn("user", "Que peça o manual manda trocar na cafeteira Mk2?"), unanswered[1]]
    condensed = condense_turn("Essa peça vem na caixa?", borrowed)
    assert condensed.question == "A peça que o manual manda trocar na cafeteira Mk2 vem na caixa?"
    assert condensed.evidence == "Essa peça vem na caixa? (cafeteira Mk2)"


def test_a_pronoun_after_who_or_which_stands_for_the_answer():
    which = [
        Turn("user", "Qual cafeteira o manual recomenda?"),
        Turn("assistant", "A Mk2 é a recomendada [1]."),
    ]
    assert condense("Ela tem garantia?", which) == "A Mk2 tem garantia?"
    who = [Turn("user", "Quem faz a manutenção?"), Turn("assistant", "A Assistência Técnica Sul [1].")]
    assert condense("E quanto ela cobra?", who) == "Quanto a Assistência Técnica Sul cobra?"
    # a capital opening a sentence of the answer is no name
    long = [
        Turn("user", "Quem fabrica a Mk2?"),
        Turn("assistant", "Bem embalada, chega logo [1]. Feita pela Cafés Sul [2]."),
    ]
    assert condense("E onde ela fica?", long) == "Onde a Cafés Sul fica?"


def test_rules_compare_across_turns_and_step_through_ordinals():
    history = [Turn("user", "O que é o Cold Brew?"), Turn("assistant", "Café extraído a frio [1]."),
               Turn("user", "E o Nitro?"), Turn("assistant", "Cold Brew com nitrogênio [2].")]  # fmt: skip
    assert condense("Qual dos dois é mais doce?", history) == "Qual é mais doce, o Cold Brew ou o Nitro?"
    steps = [Turn("user", "Quais são os passos da limpeza?"), Turn("assistant", "Esvaziar; enxaguar [1]."),
             Turn("user", "Explique o primeiro deles."), Turn("assistant", "Esvazie [1].")]  # fmt: skip
    assert condense("E o último?", steps) == "Explique o último dos passos da limpeza."


def test_rules_follow_a_chain_of_follow_ups():
    history = [
        Turn("user", "Qual é a garantia do Mk2?"),
        Turn("assistant", "Dois anos [1]."),
        Turn("user", "E do Mk3?"),
        Turn("assistant", "Um ano [1]."),
    ]
    assert condense("E o que ela cobre?", history) == "O que a garantia do Mk3 cobre?"


@pytest.mark.parametrize(
    "question", ["Como trocar o filtro?", "Qual é a voltagem da Mk2?", "Quais modelos este manual cobre?"]
)
def test_standalone_questions_pass_through_the_rules_unchanged(question):
    history = [Turn("user", "Qual é a garantia do Mk2?"), Turn("assistant", "Dois anos [1].")]
    assert condense_turn(question, history).question == question


def test_unanswerable_follow_ups_keep_low_evidence(settings, fake_collection):
    """The previous question's words must not make a follow-up the documents cannot answer
    look answered: only the resolved subject is added."""
    from assistant import Assistant

    helper = Assistant(settings, collection=fake_collection)
    history = [Turn("user", "O que é MLOps?"), Turn("assistant", "Um conjunto de práticas [1].")]

    def evidence(question: str) -> float:
        condensed = condense_turn(question, history)
        return helper.evidence(condensed.evidence, fake_collection.search(condensed.question, k=5))

    inflated = "Quais linguagens de programação ele exige, e o que é MLOps?"
    unanswerable = evidence("Quais linguagens de programação ele exige?")
    assert unanswerable < settings.abstain_threshold
    assert unanswerable <= helper.evidence(inflated, fake_collection.search(inflated, k=5))
    # the hash embedder gives no dense signal, so compare: the answerable one has the evidence
    assert evidence("E quem normalmente é responsável por isso?") > 3 * unanswerable


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Quanto custa a cafeteira Mk3?", True),
        ("Qual é o preço do filtro?", True),
        ("Quantas cápsulas cabem no compartimento?", True),
        ("Em que ano a Mk2 foi lançada?", True),
        ("Qual o ano em que a Mk2 foi lançada?", True),
        ("Qual delas custa menos?", True),
        ("De quanto para quanto caiu o tempo de preparo?", False),  # answered in words too
        ("Quanto a Mk3 melhorou o sabor?", False),
        ("O que é descalcificação?", False),
    ],
)
def test_questions_asking_for_a_quantity(question, asks):
    from assistant.answer_type import asks_quantity, states_quantity

    assert asks_quantity(question) == asks
    assert states_quantity("O filtro custa R$ 30.") and states_quantity("Cabem doze cápsulas.")
    assert not states_quantity("Uma cafeteira prepara café muitas vezes por dia.")


def test_a_price_follow_up_abstains_on_passages_without_numbers(settings, fake_collection):
    from assistant import Assistant

    helper = Assistant(settings, collection=fake_collection)
    history = [{"role": "user", "content": "O que o DataOps fornece?"}, {"role": "assistant", "content": "…"}]
    answer = helper.answer("E quanto custa implantá-lo numa empresa?", history=history)
    assert answer.standalone_question == "Quanto custa implantar o DataOps numa empresa?"
    assert answer.abstained
    hits = fake_collection.search(answer.standalone_question, k=5)
    assert helper.evidence(answer.standalone_question, hits) == 0.0
    assert helper.evidence("Como implantar o DataOps numa empresa?", hits) > 0.0


def test_condensed_turn_says_whether_it_was_a_follow_up() -> None:
    """The pipeline reads a follow-up's request from `Condensed.follow_up`, not by asking again."""
    from assistant.conversation import condense_turn

    history = [Turn("user", "Quanto custa o seguro do carro?"), Turn("assistant", "Depende do modelo.")]
    assert condense_turn("E o da moto?", history).follow_up
    assert not condense_turn("Quanto custa o seguro da moto?", history).follow_up
    assert not condense_turn("E o da moto?", []).follow_up
