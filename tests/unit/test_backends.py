"""Backend choice: `auto` prefers a live Ollama with the model, else the embedded default."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import llm as backends
from assistant.llm.ollama import OllamaLLM
from fonte.errors import BackendUnavailable, BadRequest
from fonte.settings import Settings
from tests.conftest import free_port
from tests.fakes.ollama_server import run_fake_ollama


@pytest.fixture(autouse=True)
def fresh_probe_cache() -> None:
    backends._probe_cache.clear()


def test_auto_uses_ollama_when_it_has_the_model(data_dir: Path) -> None:
    with run_fake_ollama(models=("gemma3:4b",)) as (url, _state):
        chosen = backends.resolve_llm(Settings(data_dir=data_dir, ollama_host=url), "auto")
    assert isinstance(chosen, OllamaLLM) and chosen.model == "gemma3:4b"


def test_auto_falls_back_to_embedded_default(data_dir: Path) -> None:
    with run_fake_ollama(models=("outro:1b",)) as (url, _state):
        settings = Settings(data_dir=data_dir, ollama_host=url, embedded_backend="extractive")
        assert backends.resolve_llm(settings, "auto") is None
    down = Settings(data_dir=data_dir, ollama_host=f"http://127.0.0.1:{free_port()}")
    assert backends.resolve_llm(down.with_overrides(embedded_backend="extractive")) is None


def test_forced_ollama_down_names_the_fix(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, ollama_host=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(BackendUnavailable, match="ollama serve"):
        backends.resolve_llm(settings, "ollama")


def test_unknown_backend_is_a_bad_request(data_dir: Path) -> None:
    with pytest.raises(BadRequest):
        backends.resolve_llm(Settings(data_dir=data_dir), "gpt")


def test_ollama_host_reads_the_standard_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FONTE_OLLAMA_HOST")
    monkeypatch.setenv("OLLAMA_HOST", "http://10.0.0.5:11434")
    assert Settings().ollama_host == "http://10.0.0.5:11434"
    monkeypatch.setenv("FONTE_OLLAMA_HOST", "http://127.0.0.1:9")
    assert Settings().ollama_host == "http://127.0.0.1:9"
