"""The reader on the REAL carried instruct model, in-process and behind Ollama's protocol.

Slow: assembles the default reader, Qwen2.5-Coder-1.5B-Instruct (1.1 GB), from its chunk
packages once per session and runs short chat completions on the CPU.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant, reader
from assistant import llm as backends
from assistant.llm.base import SENTENCE_SELECTION, Generation
from assistant.llm.carried import CARRIED_MODELS
from assistant.llm.llamacpp import LlamaCppLLM, get_llamacpp
from fonte.settings import Settings
from tests.fakes.llama_ollama import llama_reply
from tests.fakes.ollama_server import run_fake_ollama

pytestmark = pytest.mark.slow
READER = Settings().reader_model  # the pinned, default reader


@pytest.fixture(scope="session")
def reader_llm(reader_model_path: Path) -> LlamaCppLLM:
    return get_llamacpp(reader_model_path, 2, CARRIED_MODELS[READER].chat)


def test_carried_instruct_model_is_assembled_and_chats(reader_llm: LlamaCppLLM) -> None:
    assert reader_llm.chat and reader_llm.model_path.stat().st_size == CARRIED_MODELS[READER].size
    assert reader_llm.model_path.name == CARRIED_MODELS[READER].file


def test_reader_on_the_real_model(
    settings: Settings, fake_collection: Any, reader_llm: LlamaCppLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("assistant.pipeline.resolve_llm", lambda _s, _b=None: reader_llm)
    answer = Assistant(settings, collection=fake_collection).answer("O que significa a sigla DVC?")
    assert not answer.abstained, answer.text
    assert "Data Version Control" in answer.text
    assert all(c.quote in c.chunk.text for c in answer.citations)
    assert answer.model == f"{reader_llm.model} · {SENTENCE_SELECTION}"


def test_ollama_path_meets_real_model_output(
    settings: Settings, fake_collection: Any, reader_llm: LlamaCppLLM
) -> None:
    backends._probe_cache.clear()
    with run_fake_ollama(models=("qwen2.5-coder:1.5b",), reply=llama_reply(reader_llm)) as (url, state):
        helper = Assistant(
            settings.with_overrides(ollama_host=url, ollama_model="qwen2.5-coder:1.5b", backend="ollama"),
            collection=fake_collection,
        )
        answer = helper.answer("Quais ferramentas de DataOps o documento cita?")
    assert (answer.backend, answer.model) == ("ollama", f"qwen2.5-coder:1.5b · {SENTENCE_SELECTION}")
    assert not answer.abstained, answer.text
    assert "DataKitchen" in answer.text
    assert all(c.quote in c.chunk.text for c in answer.citations)
    assert state.chat_requests()[-1]["options"]["num_predict"] <= 12
    assert state.chat_requests()[-1]["logprobs"] is True  # the reader reads the odds of "0"


def test_odds_are_the_first_step_of_the_real_generation(reader_llm: LlamaCppLLM) -> None:
    generation = Generation(
        prompt="Quanto é 3 + 4?", system="Responda só com um dígito de 0 a 9.", max_tokens=2,
        stop=("\n",), repeat_penalty=1.0,
    )  # fmt: skip
    scored = reader_llm.scored(generation, reader.DIGITS)
    assert scored.text.strip().startswith("7")
    assert max(scored.first, key=lambda d: scored.first[d]) == "7"
    assert sum(scored.first.values()) == pytest.approx(1.0)


def test_reader_odds_on_a_real_answer(
    settings: Settings, fake_collection: Any, reader_llm: LlamaCppLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("assistant.pipeline.resolve_llm", lambda _s, _b=None: reader_llm)
    seen: list[reader.Reading] = []
    read = reader.read
    monkeypatch.setattr(reader, "read", lambda *a: seen.append(read(*a)) or seen[-1])
    answer = Assistant(settings, collection=fake_collection).answer("O que significa a sigla DVC?")
    assert not answer.abstained and "Data Version Control" in answer.text
    none_odds = seen[0].none_odds
    assert none_odds is not None and none_odds < settings.reader_none_odds
