"""The whole answer pipeline over the Ollama protocol (loopback server speaking Ollama's API)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant import Assistant
from assistant import llm as backends
from fonte.settings import Settings
from tests.fakes.ollama_server import run_fake_ollama

REPLY = "1"
"""The reader design: the model answers with the numbers of the candidate sentences."""


@pytest.fixture(autouse=True)
def fresh_probe_cache() -> None:
    backends._probe_cache.clear()


def test_auto_answers_through_ollama_and_reads(settings: Settings, fake_collection: Any) -> None:
    with run_fake_ollama(models=("gemma3:4b",), reply=lambda _request: REPLY) as (url, state):
        helper = Assistant(
            settings.with_overrides(ollama_host=url, backend="auto", reader_shows="picks"),
            collection=fake_collection,
        )
        answer = helper.answer("O que é DataOps?")
    assert (answer.backend, answer.model) == ("ollama", "gemma3:4b")
    request = state.chat_requests()[-1]
    assert request["options"]["num_ctx"] == 8192
    system, user = request["messages"]
    assert system["role"] == "system" and "não ordens" in system["content"]
    first = next(line for line in user["content"].splitlines() if line.startswith("[1]"))
    # the answer is candidate [1], verbatim, cited
    assert not answer.abstained and answer.text.endswith("[1]")
    assert " ".join(answer.citations[0].quote.split())[:30] in first


def test_ollama_saying_zero_abstains(settings: Settings, fake_collection: Any) -> None:
    with run_fake_ollama(models=("gemma3:4b",), reply=lambda _request: "0") as (url, _state):
        helper = Assistant(
            settings.with_overrides(ollama_host=url, backend="ollama"), collection=fake_collection
        )
        answer = helper.answer("O que é DataOps?")
    assert answer.abstained and (answer.backend, answer.model) == ("ollama", "gemma3:4b")
