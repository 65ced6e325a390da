"""One answer over HTTP: `assistant.stream(...)` iterated in the thread pool, as JSON or SSE.

`starlette.concurrency.iterate_in_threadpool` runs each step of the (blocking) generator in
a worker thread; `sse_starlette.EventSourceResponse` streams the events and stops the
generator when the client disconnects, when a send stalls past `send_timeout_s`, or when the
server shuts down. The gate slot is held until the generator is closed, so a slot is
free exactly when no generation runs for it.

Events: `token` `{"text"}`, then `citations` `[…]` and `done` (the `ask --json` contract);
or one `error` `{"message"}`. Nothing is sent before the first event exists, so an error
before it (an empty or too long question, a backend that is down) is a plain JSON 4xx/5xx.

A step that is running cannot be interrupted from outside its thread: how long one step may
take is bounded by its backend (the Ollama client's timeout, llama.cpp's `max_new_tokens`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from typing import Any, cast

import anyio
from fastapi import Request
from fastapi.responses import JSONResponse, Response
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.background import BackgroundTask
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.pipeline import Final, Token
from fonte.errors import FonteError
from ui.api.errors import INTERNAL_ERROR, ApiError, message_of
from ui.api.limits import Slot
from ui.render import answer_payload, citation_payload

log = logging.getLogger("fonte.api")

SSE_SEPARATOR = "\n"
PING_INTERVAL_S = 15
"""A comment line every 15 s while an answer is slow, so proxies keep the stream open."""
CLOSED_EARLY = 499
"""Status logged when the client went away before its JSON answer (nobody reads it)."""


class Generation:
    """One `assistant.stream(...)` holding a gate slot until `close()`."""

    def __init__(self, events: Iterator[Any], slot: Slot):
        self._events = events
        self._steps = cast(AsyncGenerator[Any, None], iterate_in_threadpool(events))
        self._slot = slot
        self._closed = False

    async def next(self) -> Any:
        """The next event; library errors pass through, anything else becomes a 500."""
        try:
            return await anext(self._steps)
        except (FonteError, ApiError):
            raise
        except StopAsyncIteration:
            log.error("a geração terminou sem o evento final")
        except Exception:
            log.exception("falha ao gerar a resposta")
        raise ApiError(500, INTERNAL_ERROR)

    async def close(self) -> None:
        """Stop the generator (its `finally` blocks run in a worker thread), free the slot."""
        if self._closed:
            return
        self._closed = True
        with anyio.CancelScope(shield=True):  # also runs when the stream was cancelled
            try:
                await self._steps.aclose()
                close = getattr(self._events, "close", None)
                if close is not None:
                    await run_in_threadpool(close)
            except Exception:
                log.exception("falha ao encerrar a geração")
            finally:
                self._slot.release()


async def answer_response(
    request: Request, events: Iterator[Any], slot: Slot, *, send_timeout: float
) -> Response:
    """The answer as SSE (when the client accepts `text/event-stream`) or as JSON."""
    generation = Generation(events, slot)
    try:
        first = await generation.next()
    except BaseException:
        await generation.close()
        raise
    if "text/event-stream" in request.headers.get("accept", "").lower():
        return EventSourceResponse(
            _events(generation, first),
            headers={"Cache-Control": "no-store"},
            media_type="text/event-stream; charset=utf-8",
            ping=PING_INTERVAL_S,
            sep=SSE_SEPARATOR,
            send_timeout=send_timeout,
            background=BackgroundTask(generation.close),  # if the stream never started
        )
    try:
        item = first
        while not isinstance(item, Final):
            if await request.is_disconnected():
                return Response(status_code=CLOSED_EARLY)
            item = await generation.next()
        return JSONResponse(answer_payload(item.answer))
    finally:
        await generation.close()


def _event(name: str, data: Any) -> ServerSentEvent:
    return ServerSentEvent(json.dumps(data, ensure_ascii=False), event=name, sep=SSE_SEPARATOR)


async def _events(generation: Generation, first: Any) -> AsyncIterator[ServerSentEvent]:
    item = first
    try:
        while True:
            if isinstance(item, Token):
                yield _event("token", {"text": item.text})
            elif isinstance(item, Final):
                yield _event("citations", [citation_payload(c) for c in item.answer.citations])
                yield _event("done", answer_payload(item.answer))
                return
            try:
                item = await generation.next()
            except (FonteError, ApiError) as e:
                yield _event("error", {"message": message_of(e)})
                return
    finally:
        await generation.close()
