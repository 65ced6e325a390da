"""LLM backends behind one streaming interface; `resolve_llm` picks one from settings."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from assistant.llm.base import LLM, Generation
from fonte.errors import BadRequest
from fonte.settings import Settings

BACKENDS = ("auto", "llamacpp", "ollama", "extractive")
_PROBE_TTL_S = 30.0
_probe_cache: dict[tuple[str, str], tuple[float, bool]] = {}


@dataclass(frozen=True)
class BackendChoice:
    """The backend a request resolves to and the model it names, found without loading it."""

    requested: str
    name: str
    model: str


def choose_backend(settings: Settings, backend: str | None = None) -> BackendChoice:
    """What `backend` (default: settings.backend) resolves to now; BadRequest if unknown."""
    from assistant.llm.llamacpp import CARRIED_MODELS

    requested = backend or settings.backend
    if requested not in BACKENDS:
        raise BadRequest(f"Backend desconhecido: '{requested}' — use {', '.join(BACKENDS)}")
    name = requested
    if name == "auto":
        name = "ollama" if ollama_ready(settings) else settings.embedded_backend
    if name == "extractive":
        return BackendChoice(requested, "extractive", "sentence-selection")
    if name == "ollama":
        return BackendChoice(requested, "ollama", settings.ollama_model)
    model = settings.llamacpp_model or Path(CARRIED_MODELS[settings.reader_model].file)
    return BackendChoice(requested, "llamacpp", model.stem)


def resolve_llm(settings: Settings, backend: str | None = None) -> LLM | None:
    """The LLM for `backend` (default: settings.backend); None means extractive answers."""
    name = backend or settings.backend
    if name not in BACKENDS:
        raise BadRequest(f"Backend desconhecido: '{name}' — use {', '.join(BACKENDS)}")
    if name == "auto" and not ollama_ready(settings):
        name = settings.embedded_backend
    if name == "extractive":
        return None
    if name in ("ollama", "auto"):
        from assistant.llm.ollama import OllamaLLM

        llm = OllamaLLM(
            host=settings.ollama_host, model=settings.ollama_model, num_ctx=settings.ollama_num_ctx
        )
        if name == "ollama":
            llm.check()
        return llm
    from assistant.llm.llamacpp import CARRIED_MODELS, carried_gguf, get_llamacpp

    if settings.llamacpp_model:  # a GGUF of the user's: chat if it carries a chat template
        return get_llamacpp(settings.llamacpp_model, settings.llamacpp_threads)
    model_path = carried_gguf(settings.data_dir, settings.reader_model)
    return get_llamacpp(model_path, settings.llamacpp_threads, CARRIED_MODELS[settings.reader_model].chat)


def ollama_ready(settings: Settings) -> bool:
    """Probe Ollama at most every 30 s: `auto` prefers it whenever it answers with the model."""
    from assistant.llm.ollama import is_available

    key = (settings.ollama_host, settings.ollama_model)
    checked_at, ready = _probe_cache.get(key, (0.0, False))
    if time.monotonic() - checked_at > _PROBE_TTL_S:
        ready = is_available(settings.ollama_host, settings.ollama_model, timeout=0.5)
        _probe_cache[key] = (time.monotonic(), ready)
    return ready


__all__ = ["BACKENDS", "LLM", "BackendChoice", "Generation", "choose_backend", "ollama_ready", "resolve_llm"]
