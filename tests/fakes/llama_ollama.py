"""An Ollama-protocol reply backed by a REAL model: llama.cpp answering `/api/chat`.

Plug it into the protocol fake (`run_fake_ollama(reply=llama_reply(llm))`) so Fonte's
Ollama path meets real model output: the request's messages go through the GGUF's chat
template and its `options` (num_predict, temperature, stop, repeat_penalty) are honoured.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from assistant.llm.base import Generation
from assistant.llm.llamacpp import LlamaCppLLM
from assistant.reader import DIGITS
from tests.fakes.ollama_server import WithLogprobs


def llama_reply(llm: LlamaCppLLM) -> Callable[[dict[str, Any]], list[str] | WithLogprobs]:
    """A `Reply` for run_fake_ollama that generates with `llm` (a chat model)."""

    def reply(request: dict[str, Any]) -> list[str] | WithLogprobs:
        messages = request.get("messages") or []
        system = next((m["content"] for m in messages if m.get("role") == "system"), None)
        user = next(m["content"] for m in reversed(messages) if m.get("role") == "user")
        options = request.get("options") or {}
        generation = Generation(
            prompt=user,
            system=system,
            stop=tuple(options.get("stop") or ()),
            max_tokens=int(options.get("num_predict", 200)),
            temperature=float(options.get("temperature", 0.0)),
            repeat_penalty=float(options.get("repeat_penalty", 1.1)),
        )
        if request.get("logprobs"):
            # the real model's first-step odds over the ten digits, the only alternatives the
            # reader reads (a real server would list its top tokens, whatever they are)
            scored = llm.scored(generation, DIGITS)
            return WithLogprobs(scored.text, {d: math.log(p) for d, p in scored.first.items() if p > 0})
        return list(llm.stream(generation))

    return reply
