"""The one interface every LLM backend implements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Generation:
    """Parameters of one completion request."""

    prompt: str
    """Full prompt text (completion backends) or the user message (chat backends)."""
    system: str | None = None
    """Fixed instructions, the same on every request of a kind (never the question or the
    passages): llama.cpp saves their prefilled state in the data dir (prefix_store.py).
    Completion backends prepend them to the prompt."""
    stop: tuple[str, ...] = ()
    max_tokens: int = 200
    temperature: float = 0.0
    repeat_penalty: float = 1.1
    options: dict[str, object] = field(default_factory=dict)


@runtime_checkable
class LLM(Protocol):
    """A text generator that streams its output."""

    name: str
    """Backend name as shown to users: "llamacpp", "ollama"."""
    model: str
    """Model identifier as shown to users."""

    def stream(self, generation: Generation) -> Iterator[str]:
        """Yield text pieces as they are produced. Raises BackendUnavailable/ModelNotFound."""
        ...
