"""LLM backend for any OpenAI-compatible server, through the official `openai` client.

vLLM, the llama.cpp server (`llama-server`, `python -m llama_cpp.server`), LM Studio, TGI
and LocalAI all serve `/v1/chat/completions` and `/v1/models`. Fonte sends the same chat
messages as to Ollama (assistant.generation), streams the reply and maps failures to
Portuguese errors that name the setting or the command that fixes them:

- nothing listening / hung      → BackendUnavailable (FONTE_OPENAI_BASE_URL, how to start one)
- 401/403                      → BackendUnavailable (FONTE_OPENAI_API_KEY)
- model not served             → ModelNotFound (the models the server does serve)

`Generation.repeat_penalty` and `Generation.options` travel as extra body fields, which
the llama.cpp server and LM Studio honour and vLLM ignores.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import openai
from openai.types.chat import ChatCompletionMessageParam

from assistant.llm.base import Generation
from fonte.errors import BackendUnavailable, ModelNotFound

NO_KEY = "sem-chave"
"""Sent when FONTE_OPENAI_API_KEY is unset: the client needs a string, local servers ignore it."""
CONNECT_TIMEOUT_S = 5.0
"""A loopback or LAN server accepts a connection in milliseconds; longer means it is not there."""
READ_TIMEOUT_S = 120.0
"""Longest silence between streamed pieces (a cold model load on a busy CPU server fits)."""
MAX_RETRIES = 1
"""One retry absorbs a replica restart or a 503 under load; more only delays the error."""
START_HINT = "`python -m llama_cpp.server --model MODELO.gguf --port 8080` ou `vllm serve MODELO`"


class OpenAILLM:
    """Chat generation against an OpenAI-compatible server (`base_url` ends in `/v1`).

    `model=None` means the first model the server lists (a llama.cpp server, or a vLLM
    started for one model, serves exactly one); `check()` finds it.
    """

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str | None,
        api_key: str | None = None,
        timeout: float = READ_TIMEOUT_S,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.base_url = base_url
        self.configured_model = model
        self.model = model or ""
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or NO_KEY,
            timeout=openai.Timeout(timeout, connect=CONNECT_TIMEOUT_S),
            max_retries=max_retries,
        )
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._client.close()

    # --- errors ------------------------------------------------------------------------

    def _unavailable(self, e: openai.APIConnectionError) -> BackendUnavailable:
        if isinstance(e, openai.APITimeoutError):
            return BackendUnavailable(
                f"O servidor OpenAI-compatível em {self.base_url} não respondeu a tempo — verifique "
                "se ele está sobrecarregado ou se FONTE_OPENAI_BASE_URL aponta para o servidor certo"
            )
        return BackendUnavailable(
            f"Nenhum servidor OpenAI-compatível respondeu em {self.base_url} — inicie um "
            f"(ex.: {START_HINT}) ou corrija FONTE_OPENAI_BASE_URL"
        )

    def _status_error(self, e: openai.APIStatusError) -> BackendUnavailable:
        if e.status_code in (401, 403):
            return BackendUnavailable(
                f"O servidor em {self.base_url} recusou a chave de API ({e.status_code}) — defina "
                "FONTE_OPENAI_API_KEY com a chave que o servidor espera"
            )
        if e.status_code == 404:
            return BackendUnavailable(
                f"{self.base_url} não fala a API OpenAI (404) — FONTE_OPENAI_BASE_URL deve terminar "
                "no prefixo da API, em geral `/v1` (ex.: http://127.0.0.1:8080/v1)"
            )
        return BackendUnavailable(
            f"O servidor em {self.base_url} respondeu com erro {e.status_code}: {e.message}"
        )

    def _not_found(self, served: list[str]) -> ModelNotFound:
        listing = ", ".join(served) if served else "nenhum"
        return ModelNotFound(
            f"O modelo '{self.model}' não está no servidor em {self.base_url} (modelos servidos: "
            f"{listing}) — defina FONTE_OPENAI_MODEL com um deles"
        )

    # --- the interface -----------------------------------------------------------------

    def served_models(self, *, timeout: float | None = None) -> list[str]:
        """Ids from `GET /models`; a `timeout` makes it a probe (no retry). Raises BackendUnavailable."""
        client = self._client
        if timeout is not None:
            client = client.with_options(timeout=timeout, max_retries=0)
        try:
            return [m.id for m in client.models.list().data]
        except openai.APIConnectionError as e:
            raise self._unavailable(e) from e
        except openai.APIStatusError as e:
            raise self._status_error(e) from e

    def check(self, *, timeout: float | None = None) -> None:
        """Raise BackendUnavailable if unreachable or refused, ModelNotFound if the model is not served.

        With no configured model, adopt the first one the server lists.
        """
        served = self.served_models(timeout=timeout)
        with self._lock:
            if self.configured_model is None:
                if not served:
                    raise self._not_found(served)
                self.model = served[0]
            elif self.configured_model not in served:
                raise self._not_found(served)

    def stream(self, generation: Generation) -> Iterator[str]:
        if not self.model:
            self.check()
        messages: list[ChatCompletionMessageParam] = []
        if generation.system:
            messages.append({"role": "system", "content": generation.system})
        messages.append({"role": "user", "content": generation.prompt})
        extra: dict[str, object] = {"repeat_penalty": generation.repeat_penalty, **generation.options}
        try:
            # Nothing is sent until the iterator is first advanced: the loop sits in the try.
            chunks = self._client.chat.completions.create(
                model=self.model,
                messages=messages,
                stream=True,
                max_tokens=generation.max_tokens,
                temperature=generation.temperature,
                stop=list(generation.stop) or None,
                seed=0,
                extra_body=extra,
            )
            for chunk in chunks:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except openai.NotFoundError as e:
            served = self._served_or_empty()
            if self.model in served:  # the model is there: the path is wrong
                raise self._status_error(e) from e
            raise self._not_found(served) from e
        except openai.APIConnectionError as e:
            raise self._unavailable(e) from e
        except openai.APIStatusError as e:
            raise self._status_error(e) from e

    def _served_or_empty(self) -> list[str]:
        try:
            return self.served_models(timeout=CONNECT_TIMEOUT_S)
        except BackendUnavailable:
            return []


def is_available(llm: OpenAILLM, timeout: float = 1.0) -> bool:
    """Quick probe for the `auto` backend: the server answers and serves the model."""
    try:
        llm.check(timeout=timeout)
    except (BackendUnavailable, ModelNotFound):
        return False
    return True
