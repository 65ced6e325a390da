"""Protocol-level tests of the Ollama backend.

No Ollama server can be installed in this environment, so these tests run the real
`ollama` Python client (through `OllamaLLM`) against
`tests.fakes.ollama_server`, a loopback HTTP server that speaks Ollama's documented
API (`/api/tags`, `/api/chat` with NDJSON streaming, `/api/version`). They prove the
wire format, the options we send and the error mapping; not the quality of any model.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.llm.base import LLM, Generation
from assistant.llm.ollama import OllamaLLM, is_available
from fonte.errors import BackendUnavailable, ModelNotFound
from tests.fakes.ollama_server import DEFAULT_REPLY, FakeOllamaState, run_fake_ollama

MODEL = "gemma3:4b"


@pytest.fixture
def fake() -> Iterator[tuple[str, FakeOllamaState]]:
    with run_fake_ollama(models=(MODEL,)) as served:
        yield served


@pytest.fixture
def closed_port_url() -> str:
    """A 127.0.0.1 URL on which nothing listens (bind an ephemeral port, then free it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _llm(host: str, model: str = MODEL) -> OllamaLLM:
    return OllamaLLM(host=host, model=model, num_ctx=8192, timeout=5.0)


def test_implements_llm_protocol(fake: tuple[str, FakeOllamaState]) -> None:
    llm = _llm(fake[0])
    assert isinstance(llm, LLM)
    assert llm.name == "ollama"
    assert llm.model == MODEL


def test_stream_yields_pieces_in_order() -> None:
    pieces = ["Lisboa ", "é ", "a ", "capital", "."]

    def reply(request: dict[str, Any]) -> list[str]:
        return pieces

    with run_fake_ollama(reply=reply) as (url, _state):
        out = list(_llm(url).stream(Generation(prompt="Qual é a capital?")))
    assert out == pieces


def test_default_reply_round_trips(fake: tuple[str, FakeOllamaState]) -> None:
    url, _state = fake
    assert "".join(_llm(url).stream(Generation(prompt="oi"))) == DEFAULT_REPLY


def test_options_and_messages_reach_the_server(
    fake: tuple[str, FakeOllamaState],
) -> None:
    url, state = fake
    gen = Generation(
        prompt="Pergunta?",
        system="Responda em português.",
        stop=("</resposta>", "\n\n"),
        max_tokens=77,
        temperature=0.2,
        repeat_penalty=1.3,
        options={"top_k": 20},
    )
    list(_llm(url).stream(gen))

    (body,) = state.chat_requests()
    assert body["model"] == MODEL
    assert body["stream"] is True
    assert body["messages"] == [
        {"role": "system", "content": "Responda em português."},
        {"role": "user", "content": "Pergunta?"},
    ]
    opts = body["options"]
    assert opts["num_ctx"] == 8192
    assert opts["stop"] == ["</resposta>", "\n\n"]
    assert opts["num_predict"] == 77
    assert opts["temperature"] == pytest.approx(0.2)
    assert opts["repeat_penalty"] == pytest.approx(1.3)
    assert opts["top_k"] == 20


def test_no_system_message_when_system_is_none(
    fake: tuple[str, FakeOllamaState],
) -> None:
    url, state = fake
    list(_llm(url).stream(Generation(prompt="oi")))
    (body,) = state.chat_requests()
    assert [m["role"] for m in body["messages"]] == ["user"]


def test_stream_missing_model_raises_model_not_found(
    fake: tuple[str, FakeOllamaState],
) -> None:
    url, _state = fake
    with pytest.raises(ModelNotFound) as info:
        list(_llm(url, model="qwen3:8b").stream(Generation(prompt="oi")))
    assert "ollama pull qwen3:8b" in str(info.value)


def test_check_missing_model_raises_model_not_found(
    fake: tuple[str, FakeOllamaState],
) -> None:
    url, _state = fake
    with pytest.raises(ModelNotFound) as info:
        _llm(url, model="qwen3:8b").check()
    assert "ollama pull" in str(info.value)


def test_check_passes_and_matches_latest_tag() -> None:
    with run_fake_ollama(models=("gemma3:4b", "llama3.2:latest")) as (url, _state):
        _llm(url, model="gemma3:4b").check()
        _llm(url, model="llama3.2").check()
        _llm(url, model="llama3.2:latest").check()
        with pytest.raises(ModelNotFound):
            _llm(url, model="gemma3").check()  # gemma3:latest is not gemma3:4b


def test_server_down_stream_raises_backend_unavailable(closed_port_url: str) -> None:
    with pytest.raises(BackendUnavailable) as info:
        list(_llm(closed_port_url).stream(Generation(prompt="oi")))
    assert "ollama serve" in str(info.value)
    assert closed_port_url in str(info.value)


def test_server_down_check_raises_backend_unavailable(closed_port_url: str) -> None:
    with pytest.raises(BackendUnavailable) as info:
        _llm(closed_port_url).check()
    assert "ollama serve" in str(info.value)
    assert isinstance(info.value.__cause__, ConnectionError)


def test_is_available(fake: tuple[str, FakeOllamaState], closed_port_url: str) -> None:
    url, state = fake
    assert is_available(url, MODEL) is True
    assert is_available(url, "qwen3:8b") is False
    assert is_available(closed_port_url, MODEL) is False
    assert all(r.path == "/api/tags" for r in state.requests)


def test_version_endpoint(fake: tuple[str, FakeOllamaState]) -> None:
    import httpx

    url, _state = fake
    assert httpx.get(f"{url}/api/version").json()["version"]
