"""The `openai` backend against a loopback fake: wire format, error messages, `auto` choice.

The real server test (python -m llama_cpp.server) is tests/integration/test_openai_llamacpp_server.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant import llm as backends
from assistant.llm.base import LLM, Generation
from assistant.llm.openai import OpenAILLM
from fonte.errors import BackendUnavailable, BadRequest, ModelNotFound
from fonte.settings import Settings
from tests.conftest import free_port
from tests.fakes.openai_server import DEFAULT_REPLY, run_fake_openai

MODEL = "qwen2.5-1.5b-instruct"


@pytest.fixture(autouse=True)
def fresh_probe_cache() -> None:
    backends._probe_cache.clear()
    backends._get_openai.cache_clear()


def _down_url() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"


def _llm(url: str, model: str | None = MODEL, api_key: str | None = None) -> OpenAILLM:
    return OpenAILLM(base_url=url, model=model, api_key=api_key, timeout=5.0, max_retries=0)


def test_streams_pieces_and_sends_the_generation() -> None:
    pieces = ["Lisboa ", "é ", "a ", "capital", "."]
    with run_fake_openai(models=(MODEL,), reply=lambda _body: pieces) as (url, state):
        llm = _llm(url)
        gen = Generation(
            prompt="Pergunta?", system="Regras.", stop=("\n\n",), max_tokens=77, temperature=0.0,
            repeat_penalty=1.05, options={"top_k": 1},
        )  # fmt: skip
        assert list(llm.stream(gen)) == pieces
    assert isinstance(llm, LLM) and (llm.name, llm.model) == ("openai", MODEL)
    (body,) = state.chat_requests()
    assert body["model"] == MODEL and body["stream"] is True
    assert body["messages"] == [
        {"role": "system", "content": "Regras."},
        {"role": "user", "content": "Pergunta?"},
    ]
    assert (body["max_tokens"], body["temperature"], body["stop"]) == (77, 0.0, ["\n\n"])
    assert (body["repeat_penalty"], body["top_k"]) == (1.05, 1)


def test_unset_model_adopts_the_first_served_one() -> None:
    with run_fake_openai(models=("served-a", "served-b")) as (url, state):
        llm = _llm(url, model=None)
        assert "".join(llm.stream(Generation(prompt="oi"))) == DEFAULT_REPLY
    assert llm.model == "served-a"
    assert state.chat_requests()[0]["model"] == "served-a"


def test_server_down_names_the_setting_and_how_to_start_one() -> None:
    url = _down_url()
    for call in (lambda: _llm(url).check(), lambda: list(_llm(url).stream(Generation(prompt="oi")))):
        with pytest.raises(BackendUnavailable) as info:
            call()
        message = str(info.value)
        assert url in message and "FONTE_OPENAI_BASE_URL" in message
        assert "python -m llama_cpp.server" in message and "vllm serve" in message


def test_unknown_model_lists_the_served_models() -> None:
    with run_fake_openai(models=("gemma-3-270m", "outro")) as (url, _state):
        with pytest.raises(ModelNotFound) as checked:
            _llm(url, model="gpt-4o").check()
        with pytest.raises(ModelNotFound) as streamed:
            list(_llm(url, model="gpt-4o").stream(Generation(prompt="oi")))
    for info in (checked, streamed):
        message = str(info.value)
        assert "'gpt-4o'" in message and "gemma-3-270m, outro" in message
        assert "FONTE_OPENAI_MODEL" in message


def test_refused_key_names_fonte_openai_api_key() -> None:
    with run_fake_openai(models=(MODEL,), api_key="segredo") as (url, state):
        for key in (None, "errada"):
            with pytest.raises(BackendUnavailable, match="FONTE_OPENAI_API_KEY") as info:
                list(_llm(url, api_key=key).stream(Generation(prompt="oi")))
            assert "401" in str(info.value)
        assert "".join(_llm(url, api_key="segredo").stream(Generation(prompt="oi"))) == DEFAULT_REPLY
        assert state.requests[-1][3]["authorization"] == "Bearer segredo"


def test_base_url_without_the_api_prefix_says_so() -> None:
    with run_fake_openai(models=(MODEL,)) as (url, _state), pytest.raises(BackendUnavailable, match="/v1"):
        _llm(url.removesuffix("/v1")).check()


def test_settings_read_fonte_openai_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FONTE_OPENAI_BASE_URL", "http://10.0.0.7:8000/v1")
    monkeypatch.setenv("FONTE_OPENAI_MODEL", "Qwen/Qwen2.5-1.5B-Instruct")
    monkeypatch.setenv("FONTE_OPENAI_API_KEY", "segredo")
    settings = Settings(backend="openai")
    assert settings.openai_base_url == "http://10.0.0.7:8000/v1"
    assert settings.openai_model == "Qwen/Qwen2.5-1.5B-Instruct"
    assert settings.openai_api_key is not None and "segredo" not in repr(settings)


def test_auto_prefers_the_openai_server_and_says_so(data_dir: Path) -> None:
    with run_fake_openai(models=(MODEL,)) as (url, _state):
        settings = Settings(data_dir=data_dir, openai_base_url=url, embedded_backend="extractive")
        assert backends.choose_backend(settings, "auto") == backends.BackendChoice("auto", "openai", MODEL)
        chosen = backends.resolve_llm(settings, "auto")
    assert isinstance(chosen, OpenAILLM) and chosen.model == MODEL


def test_status_reports_the_openai_server(data_dir: Path) -> None:
    from assistant.status import backend_status
    from ui.render import backend_summary

    with run_fake_openai(models=(MODEL,)) as (url, _state):
        status = backend_status(Settings(data_dir=data_dir, openai_base_url=url), "auto")
    assert (status.backend, status.model) == ("openai", MODEL)
    assert backend_summary(status) == f"openai · {MODEL}"


def test_auto_names_the_served_model_when_none_is_configured(data_dir: Path) -> None:
    with run_fake_openai(models=("unico",)) as (url, _state):
        settings = Settings(data_dir=data_dir, openai_base_url=url)
        assert backends.choose_backend(settings).model == "unico"


def test_auto_without_the_setting_or_with_the_server_down_is_unchanged(data_dir: Path) -> None:
    plain = Settings(data_dir=data_dir, embedded_backend="extractive")
    assert backends.choose_backend(plain).name == "extractive"
    assert not backends.openai_ready(plain)
    down = plain.with_overrides(openai_base_url=_down_url())
    assert backends.choose_backend(down).name == "extractive"
    assert backends.resolve_llm(down) is None


def test_forced_openai_errors(data_dir: Path) -> None:
    with pytest.raises(BadRequest, match="FONTE_OPENAI_BASE_URL"):
        backends.resolve_llm(Settings(data_dir=data_dir), "openai")
    with pytest.raises(BackendUnavailable, match="FONTE_OPENAI_BASE_URL"):
        backends.resolve_llm(Settings(data_dir=data_dir, openai_base_url=_down_url()), "openai")
    with run_fake_openai(models=("outro",)) as (url, _state):
        settings = Settings(data_dir=data_dir, openai_base_url=url, openai_model=MODEL)
        with pytest.raises(ModelNotFound, match="outro"):
            backends.resolve_llm(settings, "openai")


REPLY = "1"
"""Chat backends read (assistant.reader): the model answers with candidate numbers."""


def test_pipeline_uses_the_chat_prompt_and_verifies(settings: Settings, fake_collection: Any) -> None:
    with run_fake_openai(models=(MODEL,), reply=lambda _body: REPLY) as (url, state):
        helper = Assistant(
            settings.with_overrides(openai_base_url=url, backend="openai"), collection=fake_collection
        )
        answer = helper.answer("O que é DataOps?")
    # the model judged that the passages answer; sentence selection chose the text
    assert (answer.backend, answer.model) == ("openai", f"{MODEL} · sentence-selection")
    assert answer.citations and all(c.quote in c.chunk.text for c in answer.citations)
    system, user = state.chat_requests()[-1]["messages"]
    assert system["role"] == "system" and "não ordens" in system["content"]
    assert "[1]" in user["content"] and "Pergunta: O que é DataOps?" in user["content"]
