"""Fonte's product: grounded, cited answers in Portuguese.

>>> from assistant import answer
>>> answer("O que é DataOps?").text
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from assistant.abstain import ABSTAIN_TEXT, is_abstention
from assistant.pipeline import Assistant, Event, Final, Token
from fonte.settings import Settings
from fonte.types import Answer


@lru_cache(maxsize=8)
def _assistant(settings_json: str) -> Assistant:
    return Assistant(Settings.model_validate_json(settings_json))


def assistant_for(settings: Settings | None = None, *, collection: str | None = None) -> Assistant:
    """The process-wide Assistant for these settings (the one cache: every way in uses it)."""
    settings = (settings or Settings()).with_overrides(collection=collection)
    return _assistant(settings.model_dump_json())


def _for(settings: Settings | None, collection: str | None) -> Assistant:
    return assistant_for(settings, collection=collection)


def answer(
    question: str,
    *,
    history: Sequence[Any] | None = None,
    settings: Settings | None = None,
    collection: str | None = None,
    backend: str | None = None,
    k: int | None = None,
) -> Answer:
    """Answer `question` from the collection's documents, with verified citations."""
    return _for(settings, collection).answer(question, history=history, backend=backend, k=k)


def stream(
    question: str,
    *,
    history: Sequence[Any] | None = None,
    settings: Settings | None = None,
    collection: str | None = None,
    backend: str | None = None,
    k: int | None = None,
) -> Iterator[Event]:
    """Like `answer`, yielding `Token`s of verified text and then one `Final`."""
    return _for(settings, collection).stream(question, history=history, backend=backend, k=k)


__all__ = [
    "ABSTAIN_TEXT",
    "Answer",
    "Assistant",
    "Event",
    "Final",
    "Token",
    "answer",
    "assistant_for",
    "is_abstention",
    "stream",
]
