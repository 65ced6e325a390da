"""LLM backends behind one streaming interface; `resolve_llm` picks one from settings."""

from __future__ import annotations

import time

from assistant.llm.base import LLM, Generation
from fonte.errors import BadRequest
from fonte.settings import Settings

BACKENDS = ("auto", "llamacpp", "ollama", "extractive")
_PROBE_TTL_S = 30.0
_probe_cache: dict[tuple[str, str], tuple[float, bool]] = {}


def resolve_llm(settings: Settings, backend: str | None = None) -> LLM | None:
    """The LLM for `backend` (default: settings.backend); None means extractive answers."""
    name = backend or settings.backend
    if name not in BACKENDS:
        raise BadRequest(f"Backend desconhecido: '{name}' — use {', '.join(BACKENDS)}")
    if name == "auto" and not _ollama_ready(settings):
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
    from assistant.llm.llamacpp import carried_gguf, get_llamacpp

    model_path = settings.llamacpp_model or carried_gguf(settings.data_dir)
    return get_llamacpp(model_path, settings.llamacpp_threads)


def _ollama_ready(settings: Settings) -> bool:
    """Probe Ollama at most every 30 s: `auto` prefers it whenever it answers with the model."""
    from assistant.llm.ollama import is_available

    key = (settings.ollama_host, settings.ollama_model)
    checked_at, ready = _probe_cache.get(key, (0.0, False))
    if time.monotonic() - checked_at > _PROBE_TTL_S:
        ready = is_available(settings.ollama_host, settings.ollama_model, timeout=0.5)
        _probe_cache[key] = (time.monotonic(), ready)
    return ready


__all__ = ["BACKENDS", "LLM", "Generation", "resolve_llm"]
