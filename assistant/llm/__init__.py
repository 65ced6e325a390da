"""LLM backends behind one streaming interface; `resolve_llm` picks one from settings.

`auto` prefers, in order: the OpenAI-compatible server at FONTE_OPENAI_BASE_URL (only when
that is set), an Ollama server that has the model, then the embedded default. Servers are
probed with a short timeout and the result is kept for `_PROBE_TTL_S`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.llm.base import LLM, SENTENCE_SELECTION, Generation
from fonte.errors import BadRequest
from fonte.settings import Settings

if TYPE_CHECKING:
    from assistant.llm.openai import OpenAILLM

BACKENDS = ("auto", "llamacpp", "ollama", "openai", "extractive")
_PROBE_TTL_S = 30.0
"""How long a probe result holds: a server started meanwhile is picked up within 30 s."""
_PROBE_TIMEOUT_S = 0.5
"""A server on loopback or the LAN answers `GET /models` well within this."""
_probe_cache: dict[tuple[str, ...], tuple[float, bool]] = {}


@dataclass(frozen=True)
class BackendChoice:
    """The backend a request resolves to and the model it names, found without loading it."""

    requested: str
    name: str
    model: str


def _validated(settings: Settings, backend: str | None) -> str:
    requested = backend or settings.backend
    if requested not in BACKENDS:
        raise BadRequest(f"Backend desconhecido: '{requested}' — use {', '.join(BACKENDS)}")
    return requested


def _auto(settings: Settings) -> str:
    if settings.openai_base_url and openai_ready(settings):
        return "openai"
    return "ollama" if ollama_ready(settings) else settings.embedded_backend


def choose_backend(settings: Settings, backend: str | None = None) -> BackendChoice:
    """What `backend` (default: settings.backend) resolves to now; BadRequest if unknown."""
    from assistant.llm.carried import CARRIED_MODELS

    requested = _validated(settings, backend)
    name = _auto(settings) if requested == "auto" else requested
    if name == "extractive":
        return BackendChoice(requested, "extractive", SENTENCE_SELECTION)
    if name == "ollama":
        return BackendChoice(requested, "ollama", settings.ollama_model)
    if name == "openai":
        served = _openai(settings).model if settings.openai_base_url and openai_ready(settings) else ""
        return BackendChoice(requested, "openai", settings.openai_model or served or "modelo do servidor")
    model = settings.llamacpp_model or Path(CARRIED_MODELS[settings.reader_model].file)
    return BackendChoice(requested, "llamacpp", model.stem)


def resolve_llm(settings: Settings, backend: str | None = None) -> LLM | None:
    """The LLM for `backend` (default: settings.backend); None means extractive answers."""
    requested = _validated(settings, backend)
    name = _auto(settings) if requested == "auto" else requested
    if name == "extractive":
        return None
    if name == "openai":
        if not settings.openai_base_url:
            raise BadRequest(
                "O backend openai precisa de FONTE_OPENAI_BASE_URL — a raiz da API do servidor, "
                "ex.: http://127.0.0.1:8080/v1"
            )
        llm = _openai(settings)
        if not openai_ready(settings):
            llm.check()  # the precise error: server down, key refused, model not served
            _probe_cache[_openai_key(settings)] = (time.monotonic(), True)
        return llm
    if name == "ollama":
        from assistant.llm.ollama import OllamaLLM

        ollama = OllamaLLM(
            host=settings.ollama_host, model=settings.ollama_model, num_ctx=settings.ollama_num_ctx
        )
        if requested == "ollama":
            ollama.check()
        return ollama
    from assistant.llm.carried import CARRIED_MODELS, carried_gguf
    from assistant.llm.llamacpp import get_llamacpp

    prefixes = settings.llama_prefix_dir
    if settings.llamacpp_model:  # a GGUF of the user's: chat if it carries a chat template
        return get_llamacpp(settings.llamacpp_model, settings.llamacpp_threads, None, prefixes)
    model_path = carried_gguf(settings.data_dir, settings.reader_model)
    chat = CARRIED_MODELS[settings.reader_model].chat
    return get_llamacpp(model_path, settings.llamacpp_threads, chat, prefixes)


def _probed(key: tuple[str, ...], probe: Callable[[], bool]) -> bool:
    checked_at, ready = _probe_cache.get(key, (0.0, False))
    if time.monotonic() - checked_at > _PROBE_TTL_S:
        ready = probe()
        _probe_cache[key] = (time.monotonic(), ready)
    return ready


def ollama_ready(settings: Settings) -> bool:
    """Probe Ollama at most every 30 s: `auto` prefers it whenever it answers with the model."""
    from assistant.llm.ollama import is_available

    return _probed(
        ("ollama", settings.ollama_host, settings.ollama_model),
        lambda: is_available(settings.ollama_host, settings.ollama_model, timeout=_PROBE_TIMEOUT_S),
    )


def openai_ready(settings: Settings) -> bool:
    """Probe FONTE_OPENAI_BASE_URL at most every 30 s; False when it is unset."""
    from assistant.llm.openai import is_available

    if not settings.openai_base_url:
        return False
    return _probed(_openai_key(settings), lambda: is_available(_openai(settings), _PROBE_TIMEOUT_S))


def _openai_key(settings: Settings) -> tuple[str, ...]:
    return ("openai", settings.openai_base_url or "", settings.openai_model or "", _api_key(settings))


def _api_key(settings: Settings) -> str:
    return settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""


def _openai(settings: Settings) -> OpenAILLM:
    return _get_openai(settings.openai_base_url or "", settings.openai_model, _api_key(settings))


@functools.lru_cache(maxsize=4)
def _get_openai(base_url: str, model: str | None, api_key: str) -> OpenAILLM:
    """One client per server: its connection pool is reused across answers."""
    from assistant.llm.openai import OpenAILLM

    return OpenAILLM(base_url=base_url, model=model, api_key=api_key or None)


__all__ = [
    "BACKENDS",
    "LLM",
    "BackendChoice",
    "Generation",
    "choose_backend",
    "ollama_ready",
    "openai_ready",
    "resolve_llm",
]
