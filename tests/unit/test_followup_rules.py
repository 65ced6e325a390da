"""The follow-up rules on general Portuguese phenomena, over everyday domains (none of them the
bundled corpus), and how an LLM rewrite composes with them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.conversation import Turn, condense, condense_turn
from assistant.llm.base import Generation


def _after(previous: str, follow_up: str, answer: str = "Veja o texto [1].") -> str:
    return condense(follow_up, [Turn("user", previous), Turn("assistant", answer)])


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # "E o/a/os/as de X?": the modifier, with the follow-up's own preposition
        ("Qual é a capital da França?", "E a da Alemanha?", "Qual é a capital da Alemanha?"),
        ("Quais são os sintomas da gripe?", "E os da dengue?", "Quais são os sintomas da dengue?"),
        # a new thing after a definition is defined the same way
        ("O que é a fotossíntese?", "E a respiração celular?", "O que é a respiração celular?"),
        # a common noun stands beside the common noun of the same head or kind
        ("Quais são as vantagens do Docker?", "E as desvantagens?", "Quais são as desvantagens do Docker?"),
        (
            "Qual é a função dos glóbulos vermelhos?",
            "E quanto aos glóbulos brancos?",
            "Qual é a função dos glóbulos brancos?",
        ),
        (
            "Quanto tempo leva o cozimento do arroz branco?",
            "E no caso do arroz integral?",
            "Quanto tempo leva o cozimento do arroz integral?",
        ),
        # a noun with its own adjective replaces the whole kind, "de <bare noun>" included
        (
            "Na oficina, para que servem os elevadores hidráulicos de carros?",
            "E os compressores portáteis?",
            "Na oficina, para que servem os compressores portáteis?",
        ),
        # …while a bare noun is an attribute of the same kind
        ("Quanto custa o quilo de tomate?", "E a dúzia?", "Quanto custa a dúzia de tomate?"),
        # a name keeps the article it was written with
        ("Quantos habitantes tem o Brasil?", "E Portugal?", "Quantos habitantes tem Portugal?"),
        # an ellipsis with its preposition replaces what followed the same preposition
        (
            "Qual é a pena para o crime de furto no Brasil?",
            "E em Portugal?",
            "Qual é a pena para o crime de furto em Portugal?",
        ),
        ("Como se instala o Python no Windows?", "E no Linux?", "Como se instala o Python no Linux?"),
        ("Qual é o melhor adubo para tomates?", "E para alface?", "Qual é o melhor adubo para alface?"),
        # pt-PT markers of an ellipsis
        ("Qual é a população de Lisboa?", "E relativamente ao Porto?", "Qual é a população do Porto?"),
        (
            "Quanto custam as matrículas na Universidade de Coimbra?",
            "E no que toca às propinas?",
            "Quanto custam as propinas na Universidade de Coimbra?",
        ),
        (
            "O que faz um analista de sistemas?",
            "E um arquiteto de software?",
            "O que faz um arquiteto de software?",
        ),
        (
            "Quais são os benefícios da computação em nuvem?",
            "E os riscos?",
            "Quais são os riscos da computação em nuvem?",
        ),
        ("Qual é o prazo de entrega para o Norte?", "E para o Sul?", "Qual é o prazo de entrega para o Sul?"),
        ("Quais são as vantagens do Rust?", "E as do Go?", "Quais são as vantagens do Go?"),
        # a modifier with an article replaces the first such modifier
        (
            "Quais são as funções do gerente de projetos?",
            "E as do analista de negócios?",
            "Quais são as funções do analista de negócios?",
        ),
        # a name replaces the name, not the phrase holding it ("de aprender" opens a clause)
        ("Qual é a melhor forma de aprender Python?", "E Java?", "Qual é a melhor forma de aprender Java?"),
        # an ellipsis with a yes/no question of its own
        ("O que é o PostgreSQL?", "E o MongoDB, é relacional?", "O MongoDB é relacional?"),
        # a negated or swapped adjective keeps the noun
        (
            "Como funciona a criptografia assimétrica?",
            "E a simétrica?",
            "Como funciona a criptografia simétrica?",
        ),
        ("A energia solar é renovável?", "E a nuclear?", "A energia nuclear é renovável?"),
        ("Qual foi a inflação em 2020?", "E em 2021?", "Qual foi a inflação em 2021?"),
        (
            "O que é aprendizado supervisionado?",
            "E o não supervisionado?",
            "O que é aprendizado não supervisionado?",
        ),
        # "outras" + the previous question's noun
        (
            "Quais ferramentas de teste o guia recomenda?",
            "E outras ferramentas?",
            "Quais outras ferramentas de teste o guia recomenda?",
        ),
    ],
)
def test_ellipsis(previous, follow_up, standalone):
    assert _after(previous, follow_up) == standalone


@pytest.mark.parametrize(
    ("previous", "answer", "follow_up", "standalone"),
    [
        # a pronoun after "quem…?" is the person the answer named, a multi-word name included
        (
            "Quem escreveu Dom Casmurro?",
            "Machado de Assis escreveu o romance [1].",
            "Em que ano ele nasceu?",
            "Em que ano o Machado de Assis nasceu?",
        ),
        ("O que são as vacinas de mRNA?", "", "Elas são seguras?", "As vacinas de mRNA são seguras?"),
        ("Quem foram os bandeirantes?", "", "O que eles faziam?", "O que os bandeirantes faziam?"),
        # after a definition, a pronoun stands for the whole thing defined, not a name inside it
        ("O que é o teste de Turing?", "", "Quem o propôs?", "Quem propôs o teste de Turing?"),
        ("O que é o Git?", "", "Quem o criou?", "Quem criou o Git?"),
        # a clitic takes the phrase with its adjectives
        (
            "O que é a integração contínua?",
            "",
            "Como implementá-la numa equipe pequena?",
            "Como implementar a integração contínua numa equipe pequena?",
        ),
        ("O que é o aquecimento global?", "", "Isso é perigoso?", "O aquecimento global é perigoso?"),
        ("O que é o efeito estufa?", "", "Isso é perigoso?", "O efeito estufa é perigoso?"),
        # "tal" and a possessive point back like a demonstrative
        (
            "O que é a abordagem ágil?",
            "",
            "Qual é a vantagem de tal abordagem?",
            "Qual é a vantagem da abordagem ágil?",
        ),
        (
            "O que é a inflação?",
            "",
            "Qual é a sua principal causa segundo este texto?",
            "Qual é a principal causa da inflação segundo este texto?",
        ),
        (
            "A equipe usa o Jenkins?",
            "",
            "E que outras ferramentas ela usa?",
            "Que outras ferramentas a equipe usa?",
        ),
        ("O que é SQL?", "", "O que significa essa sigla?", "O que significa a sigla SQL?"),
        # a demonstrative before a verb stands alone, like "delas"
        (
            "Quais carros a loja vende?",
            "",
            "E qual desses serve para a cidade?",
            "Dos carros que a loja vende, qual serve para a cidade?",
        ),
        # "isso" after "Que <noun>…?" is what the answer named of that kind
        (
            "Que molho o livro recomenda para a massa?",
            "O livro recomenda o molho de tomate caseiro [1].",
            "E como isso se compara ao pesto?",
            "Como o molho de tomate se compara ao pesto?",
        ),
        # "isso" after a pick is what the pick was about, not the list it picked from
        (
            "Qual das contas do banco tem a ver com os juros?",
            "A conta poupança rende juros [1].",
            "E por que isso importa?",
            "Por que os juros importa?",
        ),
    ],
)
def test_references(previous, answer, follow_up, standalone):
    assert _after(previous, follow_up, answer or "Veja o texto [1].") == standalone


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        # "isso aconteceu" is the previous question's event, not one of its phrases
        (
            "Quanto o governo reduziu os impostos em 2020?",
            "Por que isso aconteceu?",
            "Por que o governo reduziu os impostos em 2020?",
        ),
        (
            "De quanto para quanto a empresa reduziu o tempo de entrega?",
            "E em que ano isso aconteceu?",
            "Em que ano a empresa reduziu o tempo de entrega?",
        ),
        # after a definition, "isso" is what was defined
        ("O que é a inflação?", "Por que isso acontece?", "Por que a inflação acontece?"),
        # a bare interrogative reuses the previous clause; a yes/no question is one
        (
            "A Revolução Francesa começou em 1789?",
            "Por quê?",
            "Por que a Revolução Francesa começou em 1789?",
        ),
        ("Quando a imprensa foi inventada?", "E onde?", "Onde a imprensa foi inventada?"),
        ("Quando foi construída a Torre Eiffel?", "Por quem?", "Por quem foi construída a Torre Eiffel?"),
        # a verb with no subject asks about the previous topic
        (
            "Como se faz o pão de fermentação natural?",
            "Quanto tempo leva?",
            "Quanto tempo leva o pão de fermentação natural?",
        ),
        ("O que é o plano Premium?", "Quanto custa?", "Quanto custa o plano Premium?"),
        ("O que é o Git?", "Para que serve?", "Para que serve o Git?"),
        (
            "O que é o imposto de renda?",
            "Quem precisa declarar?",
            "Quem precisa declarar o imposto de renda?",
        ),
        ("O que causa a cárie?", "E como evitar?", "Como evitar a cárie?"),
        ("Quais são os sintomas da dengue?", "E o tratamento?", "Qual é o tratamento da dengue?"),
        ("O que é a computação quântica?", "Em que ano surgiu?", "Em que ano surgiu a computação quântica?"),
        ("O Brasil exporta café?", "Para quais países?", "Para quais países o Brasil exporta café?"),
        (
            "Quais sistemas operacionais o texto cita?",
            "Qual é o mais seguro?",
            "Dos sistemas operacionais que o texto cita, qual é o mais seguro?",
        ),
        ("Como o cache melhora o desempenho?", "Por quê?", "Por que o cache melhora o desempenho?"),
        ("O que é phishing?", "Como se proteger disso?", "Como se proteger de phishing?"),
        ("O que é phishing?", "Tem algum exemplo?", "Dê um exemplo de phishing."),
        (
            "Quais são as etapas de um pipeline de dados?",
            "Fale sobre a segunda.",
            "Fale sobre a segunda das etapas de um pipeline de dados.",
        ),
        # one bare attribute is the previous topic's
        ("O que é o Docker?", "Quais são as vantagens?", "Quais são as vantagens do Docker?"),
        # asking for more repeats the question; an example is of its topic
        ("O que é a fotossíntese?", "Explique melhor.", "Explique melhor: o que é a fotossíntese?"),
        ("O que é a fotossíntese?", "Como assim?", "Explique melhor: o que é a fotossíntese?"),
        ("O que é um algoritmo guloso?", "Dê um exemplo.", "Dê um exemplo de algoritmo guloso."),
        # a pick by position or degree is a pick from the previous list
        (
            "Quais são as etapas do método científico?",
            "Explique a primeira.",
            "Explique a primeira das etapas do método científico.",
        ),
        (
            "Quais são as causas da Primeira Guerra Mundial?",
            "Qual é a mais importante?",
            "Qual das causas da Primeira Guerra Mundial é a mais importante?",
        ),
        ("Quais são as fases da mitose?", "E a última?", "Qual das fases da mitose é a última?"),
    ],
)
def test_clauses_and_picks(previous, follow_up, standalone):
    assert _after(previous, follow_up) == standalone


@pytest.mark.parametrize(
    ("question", "standalone"),
    [
        ("Quem foi Napoleão Bonaparte?", "Quem foi Napoleão Bonaparte?"),
        ("Quais são os dois tipos de diabetes?", "Quais são os dois tipos de diabetes?"),  # not "os dois"
        ("O Python é mesmo gratuito?", "O Python é mesmo gratuito?"),  # not "o mesmo"
        ("Qual a diferença entre mitose e meiose?", "Qual a diferença entre mitose e meiose?"),
        ("O que mudou este ano na lei do inquilinato?", "O que mudou este ano na lei do inquilinato?"),
        # a new subject after "E" is not glued to the old one
        ("E quem descobriu a penicilina?", "Quem descobriu a penicilina?"),
        ("E o que é um carro elétrico?", "O que é um carro elétrico?"),
    ],
)
def test_questions_with_their_own_subject_are_not_glued_to_the_previous_one(question, standalone):
    history = [Turn("user", "O que é a respiração celular?"), Turn("assistant", "Produção de energia [1].")]
    condensed = condense_turn(question, history)
    assert condensed.question == standalone
    assert condensed.evidence == standalone and not condensed.with_context


# --- with an LLM: its rewrite is used when it agrees with the rules ---------------------------


class FakeLLM:
    """The `LLM` protocol with one scripted reply, counting requests."""

    name = "fake"

    def __init__(self, reply: str, model: str):
        self.reply, self.model = reply, model
        self.requests: list[Generation] = []

    def stream(self, generation: Generation) -> Iterator[str]:
        self.requests.append(generation)
        yield self.reply


GOVERNMENT = [
    Turn("user", "Quanto o governo reduziu os impostos em 2020?"),
    Turn("assistant", "Dez por cento [1]."),
]


def test_an_llm_rewrite_that_agrees_with_the_clause_rule_is_used():
    llm = FakeLLM("Por que o governo reduziu os impostos em 2020?", "agrees-event")
    assert (
        condense("Por que isso aconteceu?", GOVERNMENT, llm)
        == "Por que o governo reduziu os impostos em 2020?"
    )
    assert llm.requests


@pytest.mark.parametrize(
    "reply",
    [
        "Por que o governo aconteceu?",  # bound "isso" to one phrase, dropped the event
        "Quanto o governo reduziu os impostos em 2020?",  # dropped "por que"
    ],
)
def test_an_llm_rewrite_that_misses_the_clause_gives_way_to_the_rules(reply):
    llm = FakeLLM(reply, f"disagrees-{reply}")
    assert (
        condense("Por que isso aconteceu?", GOVERNMENT, llm)
        == "Por que o governo reduziu os impostos em 2020?"
    )
    assert llm.requests


def test_an_llm_rewrite_of_a_pick_must_stay_a_pick_over_the_same_list():
    history = [
        Turn("user", "Quais são as causas da Primeira Guerra Mundial?"),
        Turn("assistant", "Várias [1]."),
    ]
    wrong = FakeLLM("Qual é a mais importante?", "pick-unresolved")
    assert condense("Qual é a mais importante?", history, wrong) == (
        "Qual das causas da Primeira Guerra Mundial é a mais importante?"
    )
    right = FakeLLM("Qual das causas da Primeira Guerra Mundial é a mais importante?", "pick-right")
    assert condense("Qual é a mais importante?", history, right) == (
        "Qual das causas da Primeira Guerra Mundial é a mais importante?"
    )


def test_a_question_with_its_own_subject_never_reaches_the_llm():
    history = [Turn("user", "O que é a inflação?"), Turn("assistant", "Aumento de preços [1].")]
    llm = FakeLLM("O Python é mesmo gratuito para combater a inflação?", "glues")
    assert condense("O Python é mesmo gratuito?", history, llm) == "O Python é mesmo gratuito?"
    assert llm.requests == []


def test_a_pronoun_before_a_plural_verb_is_resolved_and_the_chain_keeps_its_subject():
    """ "que empresas o usam": "o" before a verb in "-am" is a pronoun, not an article; resolved,
    the next follow-up's "isso" finds the subject instead of a noun of the previous question."""
    history = [
        Turn("user", "O que é o Pix?"),
        Turn("assistant", "Um meio de pagamento instantâneo [1]."),
        Turn("user", "E que lojas o aceitam no fim de semana?"),
        Turn("assistant", "Lojas de todo o país [1]."),
    ]
    assert condense("E que lojas o aceitam no fim de semana?", history[:2]) == (
        "Que lojas aceitam o Pix no fim de semana?"
    )
    assert condense("E como isso difere da TED?", history) == "Como o Pix difere da TED?"
    # a noun in "-am" without a vowel before the ending stays a noun
    assert condense("E o spam?", history[:2]) != "E spam o Pix?"
