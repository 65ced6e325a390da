"""LLM backend that talks to an Ollama server through the official `ollama` client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import ollama

from assistant.llm.base import Generation
from fonte.errors import BackendUnavailable, ModelNotFound

# What a dead, unreachable or hung server looks like: the ollama client turns
# httpx.ConnectError into the builtin ConnectionError on plain requests, but lets
# raw httpx errors (connect errors on streams, timeouts, dropped connections) through.
_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    httpx.TransportError,
)


def _with_tag(name: str) -> str:
    """`gemma3` → `gemma3:latest`; names that already carry a tag are unchanged."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


class OllamaLLM:
    """Chat generation against `ollama serve` (default http://localhost:11434)."""

    name = "ollama"

    def __init__(self, *, host: str, model: str, num_ctx: int, timeout: float = 120.0) -> None:
        self.host = host
        self.model = model
        self.num_ctx = num_ctx
        self._client = ollama.Client(host=host, timeout=timeout)

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._client.close()

    def _unavailable(self) -> BackendUnavailable:
        return BackendUnavailable(
            f"Ollama não respondeu em {self.host} — rode `ollama serve` "
            "(ou defina FONTE_OLLAMA_HOST/OLLAMA_HOST)"
        )

    def _not_found(self) -> ModelNotFound:
        return ModelNotFound(
            f"O modelo {self.model} não está no Ollama em {self.host} — rode `ollama pull {self.model}`"
        )

    def check(self) -> None:
        """Raise BackendUnavailable if the server is unreachable, ModelNotFound if it lacks the model."""
        try:
            listing = self._client.list()
        except _CONNECTION_ERRORS as e:
            raise self._unavailable() from e
        except ollama.ResponseError as e:
            raise BackendUnavailable(
                f"Ollama em {self.host} respondeu com erro ao listar modelos: {e.error}"
            ) from e
        wanted = _with_tag(self.model)
        if not any(m.model and _with_tag(m.model) == wanted for m in listing.models):
            raise self._not_found()

    def stream(self, generation: Generation) -> Iterator[str]:
        messages: list[dict[str, str]] = []
        if generation.system:
            messages.append({"role": "system", "content": generation.system})
        messages.append({"role": "user", "content": generation.prompt})
        options: dict[str, Any] = {
            "num_ctx": self.num_ctx,
            "temperature": generation.temperature,
            "num_predict": generation.max_tokens,
            "stop": list(generation.stop),
            "repeat_penalty": generation.repeat_penalty,
            **generation.options,
        }
        try:
            # The request is only sent when the iterator is first advanced, so the
            # whole loop sits inside the try.
            for part in self._client.chat(self.model, messages=messages, stream=True, options=options):
                if part.message.content:
                    yield part.message.content
        except _CONNECTION_ERRORS as e:
            raise self._unavailable() from e
        except ollama.ResponseError as e:
            if e.status_code == 404 or "not found" in str(e.error).lower():
                raise self._not_found() from e
            raise BackendUnavailable(f"Ollama em {self.host} respondeu com erro: {e.error}") from e


def is_available(host: str, model: str, timeout: float = 1.0) -> bool:
    """Quick probe for the "auto" backend: the server answers and has `model`."""
    llm = OllamaLLM(host=host, model=model, num_ctx=0, timeout=timeout)
    try:
        llm.check()
    except (BackendUnavailable, ModelNotFound):
        return False
    finally:
        llm.close()
    return True
