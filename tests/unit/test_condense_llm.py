"""LLM condensing of follow-ups: the rewrite is used and cached, checked, and gives way to the
rules when it is unusable, fails, or disagrees with them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.conversation import (
    Turn,
    condense,
    condense_generation,
    condense_turn,
    is_follow_up,
    usable_rewrite,
)
from assistant.llm.base import Generation
from fonte.errors import BackendUnavailable
from tests.unit.test_conversation import ENGINEER, TOOLS


class ScriptedLLM:
    """Answers every request with one fixed text, counting calls (or fails, if told to)."""

    name = "fake"

    def __init__(self, reply: str, *, model: str = "scripted", fail: bool = False):
        self.reply, self.model, self.fail = reply, model, fail
        self.requests: list[Generation] = []

    def stream(self, generation: Generation) -> Iterator[str]:
        self.requests.append(generation)
        if self.fail:
            raise BackendUnavailable("servidor fora do ar")
        yield from self.reply.split(" ")[:1]
        for word in self.reply.split(" ")[1:]:
            yield " " + word


def test_llm_rewrite_is_used_and_cached():
    llm = ScriptedLLM("O que faz o Engenheiro de DataOps?", model="cache-test")
    for _ in range(3):
        assert condense("E o de DataOps?", ENGINEER, llm) == "O que faz o Engenheiro de DataOps?"
    assert len(llm.requests) == 1
    # a new backend object for the same model (backends are built per request) hits the cache too
    again = ScriptedLLM("não deveria ser chamado", model="cache-test")
    assert condense("E o de DataOps?", ENGINEER, again) == "O que faz o Engenheiro de DataOps?"
    assert again.requests == []


def test_standalone_questions_never_call_the_llm():
    llm = ScriptedLLM("Qualquer coisa?")
    assert condense("O que é DataOps?", ENGINEER, llm) == "O que é DataOps?"
    assert llm.requests == []


@pytest.mark.parametrize(
    "reply",
    [
        "DVC.",  # an answer, not a question
        "Qual ferramenta serve?",  # dropped what the follow-up asks about (versionar, dados)
        "Qual das ferramentas do Kubeflow serve para versionar dados?",  # a name from nowhere
        "Qual ferramenta do técnico de redes serve para versionar dados?",  # copied from the examples
        "",
    ],
)
def test_unusable_rewrites_fall_back_to_the_rules(reply):
    llm = ScriptedLLM(reply, model=f"bad-{reply}")
    assert condense("E qual delas serve para versionar dados?", TOOLS, llm) == (
        "Das ferramentas de MLOps que o documento cita, qual serve para versionar dados?"
    )


def test_a_failing_llm_falls_back_and_is_not_cached():
    down = ScriptedLLM("", model="flaky", fail=True)
    question = "E qual delas serve para versionar dados?"
    assert condense(question, TOOLS, down).startswith("Das ferramentas de MLOps")
    up = ScriptedLLM("Qual das ferramentas de MLOps citadas serve para versionar dados?", model="flaky")
    assert (
        condense(question, TOOLS, up) == "Qual das ferramentas de MLOps citadas serve para versionar dados?"
    )


def test_usable_rewrite_accepts_names_from_the_history():
    context = " ".join(t.content for t in TOOLS)
    assert usable_rewrite(
        "Qual das ferramentas, DVC ou MLflow, versiona dados?", "E qual delas versiona dados?", context
    )


def test_condense_request_is_short_and_shows_the_conversation():
    generation = condense_generation(
        (("user", "O que é Big Data?"), ("assistant", "Grande volume.")), "E o oposto disso?"
    )
    assert generation.max_tokens <= 64 and generation.stop == ("\n",)
    assert generation.prompt.rstrip().endswith("Última pergunta: E o oposto disso?\nPergunta reescrita:")
    assert "Usuário: O que é Big Data?" in generation.prompt


# failure modes seen in the carried Qwen2.5-Coder-1.5B's rewrites, on coffee-machine history
@pytest.mark.parametrize(
    ("history", "follow_up", "reply", "kept"),
    [
        # dropped the question word: "Por quê?" became another question
        (
            [("O que o manual recomenda descalcificar?", "O reservatório [1].")],
            "Por quê?",
            "Qual é a função do reservatório?",
            "Por que o manual recomenda descalcificar?",
        ),
        # left "os dois" unresolved
        (
            [("A Alfa e a Beta moem grãos?", "Sim [1].")],
            "Qual das duas é mais silenciosa?",
            "Qual das duas é mais silenciosa?",
            "Qual é mais silenciosa, a Alfa ou a Beta?",
        ),
        # picked the wrong list ("equipes" for "desafios")
        (
            [("Quais defeitos a garantia cobre?", "Vazamentos; falhas no motor [1].")],
            "E qual deles é o mais comum?",
            "Qual das peças citadas (motor) é o mais comum?",
            "Dos defeitos que a garantia cobre, qual é o mais comum?",
        ),
        # turned a plain question into a pick from a list
        (
            [("Qual é o objetivo da Mk2?", "Preparar espresso [1].")],
            "E a que os donos dela a comparam?",
            "Qual das donas da Mk2 compara?",
            "A que os donos da Mk2 comparam a Mk2?",
        ),
    ],
)
def test_llm_rewrites_that_disagree_with_the_rules_give_way(history, follow_up, reply, kept):
    turns = [
        Turn(role, text) for user, answer in history for role, text in (("user", user), ("assistant", answer))
    ]
    llm = ScriptedLLM(reply, model=f"disagrees-{follow_up}")
    assert condense(follow_up, turns, llm) == kept
    assert llm.requests  # the LLM was asked first


def test_an_llm_rewrite_must_bring_context_when_no_rule_applies():
    history = [
        Turn("user", "Na analogia da cozinha, o que a cafeteira faz?"),
        Turn("assistant", "Aquece [1]."),
    ]
    question = "E quando é bem feito?"
    assert condense_turn(question, history).with_context  # no rule for this one
    llm = ScriptedLLM("Quando é bem feito?", model="no-context")
    assert condense(question, history, llm) == f"{question} ({history[0].content})"
    helpful = ScriptedLLM("Quando o trabalho da cafeteira é bem feito?", model="context")
    assert condense(question, history, helpful) == "Quando o trabalho da cafeteira é bem feito?"


def test_a_rewrite_copying_the_worked_examples_is_refused():
    context = "Quais ferramentas o DataOps usa? DataKitchen; Genie."
    assert not usable_rewrite(
        "Qual das ferramentas citadas no livro também é de MLOps?", "Qual delas também é de MLOps?", context
    )
    assert usable_rewrite(
        "Qual das ferramentas citadas também é de MLOps?", "Qual delas também é de MLOps?", context
    )


def test_nothing_is_a_follow_up_without_a_previous_question():
    assert not is_follow_up("E o de DataOps?", [])
    assert condense("E o de DataOps?", [], ScriptedLLM("O que faz o Engenheiro de DataOps?")) == (
        "E o de DataOps?"
    )
