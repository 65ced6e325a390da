"""The one interface every LLM backend implements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

SENTENCE_SELECTION = "sentence-selection"
"""The model label of answers whose sentences Fonte chose itself (the extractive path)."""


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


@dataclass(frozen=True)
class Scored:
    """A greedy completion and how likely each asked first token was."""

    text: str
    first: dict[str, float]
    """Probability of each asked first token at the first output step, renormalised over them."""


@runtime_checkable
class ScoringLLM(LLM, Protocol):
    """An LLM that also tells the odds of its first output token (llama.cpp in-process).

    The reader reads its "0" (no passage answers) as a probability instead of a yes/no, so
    abstention is a calibrated threshold in code (Settings.reader_none_odds)."""

    def scored(self, generation: Generation, first: Sequence[str]) -> Scored:
        """The greedy output of `generation` and the odds of each of `first` (single tokens)."""
        ...
