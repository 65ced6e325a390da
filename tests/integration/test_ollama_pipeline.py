"""The whole answer pipeline over the Ollama protocol (loopback server speaking Ollama's API)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant import Assistant
from assistant import llm as backends
from fonte.settings import Settings
from tests.fakes.ollama_server import run_fake_ollama

REPLY = (
    "DataOps é uma metodologia ágil e orientada a processos para desenvolver e entregar análises [1]. "
    "Foi criado pela NASA em 1990 [2]."
)


@pytest.fixture(autouse=True)
def fresh_probe_cache() -> None:
    backends._probe_cache.clear()


def test_auto_answers_through_ollama_and_verifies(settings: Settings, fake_collection: Any) -> None:
    with run_fake_ollama(models=("gemma3:4b",), reply=lambda _request: REPLY) as (url, state):
        helper = Assistant(
            settings.with_overrides(ollama_host=url, backend="auto"), collection=fake_collection
        )
        answer = helper.answer("O que é DataOps?")
    assert (answer.backend, answer.model) == ("ollama", "gemma3:4b")
    assert "metodologia ágil" in answer.text
    assert "NASA" not in answer.text and "1990" not in answer.text
    request = state.chat_requests()[-1]
    assert request["options"]["num_ctx"] == 8192
    system = request["messages"][0]
    assert system["role"] == "system" and "DADOS" in system["content"]
    assert "[1]" in request["messages"][1]["content"]
