"""LLM backend that talks to an Ollama server through the official `ollama` client."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import ollama

from assistant.llm.base import Generation, Scored
from fonte.errors import BackendUnavailable, ModelNotFound

# What a dead, unreachable or hung server looks like: the ollama client turns
# httpx.ConnectError into the builtin ConnectionError on plain requests, but lets
# raw httpx errors (connect errors on streams, timeouts, dropped connections) through.
_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    httpx.TransportError,
)


TOP_LOGPROBS = 20
"""Alternatives asked for at each output step (Ollama's maximum): enough to hold every digit."""


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

    def _request(self, generation: Generation) -> tuple[list[dict[str, str]], dict[str, Any]]:
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
        return messages, options

    def _server_error(self, e: ollama.ResponseError) -> BackendUnavailable | ModelNotFound:
        if e.status_code == 404 or "not found" in str(e.error).lower():
            return self._not_found()
        return BackendUnavailable(f"Ollama em {self.host} respondeu com erro: {e.error}")

    def stream(self, generation: Generation) -> Iterator[str]:
        messages, options = self._request(generation)
        try:
            # The request is only sent when the iterator is first advanced, so the
            # whole loop sits inside the try.
            for part in self._client.chat(self.model, messages=messages, stream=True, options=options):
                if part.message.content:
                    yield part.message.content
        except _CONNECTION_ERRORS as e:
            raise self._unavailable() from e
        except ollama.ResponseError as e:
            raise self._server_error(e) from e

    def scored(self, generation: Generation, first: Sequence[str]) -> Scored:
        """The whole reply and the odds of each of `first` as its first token, from the
        server's `top_logprobs` (Ollama 0.12.11 and later). An older server sends none:
        the odds are then empty and the reader goes by the reply alone."""
        messages, options = self._request(generation)
        try:
            response = self._client.chat(
                self.model, messages=messages, stream=False, options=options,
                logprobs=True, top_logprobs=TOP_LOGPROBS,
            )  # fmt: skip
        except _CONNECTION_ERRORS as e:
            raise self._unavailable() from e
        except ollama.ResponseError as e:
            raise self._server_error(e) from e
        text = response.message.content or ""
        steps = response.logprobs or []
        top = {t.token.strip(): t.logprob for t in (steps[0].top_logprobs or [])} if steps else {}
        odds = {option: math.exp(top[option]) for option in first if option in top}
        total = sum(odds.values())
        if total <= 0:
            return Scored(text=text, first={})
        return Scored(text=text, first={option: odds.get(option, 0.0) / total for option in first})


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
