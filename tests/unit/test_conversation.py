"""Follow-up detection, LLM condensing with its checks and cache, and the rules fallback."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from assistant.conversation import Turn, condense, condense_generation, is_follow_up, usable_rewrite
from assistant.llm.base import Generation
from fonte.errors import BackendUnavailable
from tests.conftest import CORPUS, REPO

TOOLS = [
    Turn("user", "Quais ferramentas de MLOps o documento cita?"),
    Turn("assistant", "DVC (Data Version Control), Pachyderm, Airflow, Neptune e MLflow [1]."),
]
ENGINEER = [
    Turn("user", "O que faz o Engenheiro de Machine Learning?"),
    Turn("assistant", "Ele pesquisa, constrói e projeta sistemas de IA autoexecutáveis [1]."),
]


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


def test_nothing_is_a_follow_up_without_a_previous_question():
    assert not is_follow_up("E o de DataOps?", [])
    assert condense("E o de DataOps?", [], ScriptedLLM("O que faz o Engenheiro de DataOps?")) == (
        "E o de DataOps?"
    )


def test_rules_borrow_the_previous_question_without_an_llm():
    assert condense("E o de DataOps?", ENGINEER) == (
        "E o de DataOps? (O que faz o Engenheiro de Machine Learning?)"
    )


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
        "E qual delas serve para versionar dados? (Quais ferramentas de MLOps o documento cita?)"
    )


def test_a_failing_llm_falls_back_and_is_not_cached():
    down = ScriptedLLM("", model="flaky", fail=True)
    question = "E qual delas serve para versionar dados?"
    assert condense(question, TOOLS, down).endswith("(Quais ferramentas de MLOps o documento cita?)")
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


def _folded(text: str) -> str:
    from eval.judge import fold

    return fold(" ".join(text.split()))


@pytest.mark.parametrize(
    ("name", "min_rows", "facts_in_quotes"),
    # conversations.jsonl quotes a list's title and names its items as key facts, so there a
    # key fact need only be in the corpus; the held-out set quotes every key fact it checks
    [("conversations", 30, False), ("conversations_heldout", 20, True)],
)
def test_conversation_set_is_verbatim_and_covers_the_kinds_of_follow_up(name, min_rows, facts_in_quotes):
    rows = [json.loads(line) for line in (REPO / f"eval/sets/{name}.jsonl").read_text().splitlines()]
    corpus = CORPUS.read_text(encoding="utf-8")
    assert len(rows) >= min_rows
    categories = {turn["category"] for row in rows for turn in row["turns"][1:]}
    assert {"ellipsis", "pronoun", "comparison", "selection", "unanswerable"} <= categories
    for row in rows:
        assert len(row["turns"]) >= 2, row["id"]
        for turn in row["turns"]:
            assert all(quote in corpus for quote in turn["gold_quotes"]), row["id"]
            assert turn["expect_abstain"] == (not turn["gold_quotes"]), row["id"]
            sources = turn["gold_quotes"] if facts_in_quotes else [corpus]
            for fact in turn["key_facts"]:
                assert any(_folded(fact) in _folded(text) for text in sources), (row["id"], fact)


def test_held_out_set_is_new_and_its_selections_name_what_must_stay_out():
    def questions(name: str) -> set[str]:
        lines = (REPO / f"eval/sets/{name}.jsonl").read_text().splitlines()
        return {turn["question"] for line in lines for turn in json.loads(line)["turns"]}

    assert not questions("conversations") & questions("conversations_heldout")
    from eval.conversations import load_conversations

    turns = [turn for c in load_conversations("conversations_heldout") for turn in c.turns[1:]]
    assert len(turns) >= 26
    assert all(t.absent_facts for t in turns if t.item.category == "selection")
    assert sum(t.item.expect_abstain for t in turns) >= 6


def test_turn_right_rejects_the_whole_list_for_a_selection_question():
    from eval.conversations import load_conversations, turn_right

    first = load_conversations()[0]
    selection = first.turns[1]
    row = {"abstained": False, "cites_gold": True, "key_fact_recall": 1.0,
           "answer": "DVC (Data Version Control) [1] Pachyderm [1] Neptune [1]"}  # fmt: skip
    assert not turn_right(selection, row)
    assert turn_right(selection, {**row, "answer": "DVC (Data Version Control) [1]"})
    assert not turn_right(selection, {**row, "abstained": True})


def test_every_set_named_conversations_runs_turn_by_turn(monkeypatch, settings):
    from eval import conversations, runner
    from fonte.errors import BadRequest

    monkeypatch.setattr(conversations, "run", lambda settings, **options: options)
    assert runner.run(settings, set_name="conversations_heldout")["set_name"] == "conversations_heldout"
    with pytest.raises(BadRequest, match="conjunto de conversas"):
        runner.load_set("conversations_heldout")
