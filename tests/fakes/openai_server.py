"""A loopback stand-in for an OpenAI-compatible server (vLLM, llama.cpp server, LM Studio).

Endpoints, as in the OpenAI API reference and those servers:

- `GET /v1/models` → `{"object": "list", "data": [{id, object: "model", created, owned_by}]}`
- `POST /v1/chat/completions` → 404 `{"error": {...}}` for a model it does not serve; with
  `"stream": true` server-sent events `data: {chat.completion.chunk}` ending in
  `data: [DONE]`; otherwise one `chat.completion` object.
- With `api_key` set, any request without `Authorization: Bearer <api_key>` gets 401.

Every request is recorded in `FakeOpenAIState.requests` so tests can assert on the body.
Only for error-path and wire-format tests; the real test runs `python -m llama_cpp.server`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_REPLY = "A capital de Portugal é Lisboa, segundo a fonte [1]."

Reply = Callable[[dict[str, Any]], str | Sequence[str]]
"""Receives the request JSON; returns the whole text (split into word pieces) or the pieces."""


def default_reply(request: dict[str, Any]) -> str:
    return DEFAULT_REPLY


@dataclass
class FakeOpenAIState:
    models: tuple[str, ...]
    reply: Reply
    api_key: str | None = None
    requests: list[tuple[str, str, dict[str, Any] | None, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of every `POST /v1/chat/completions` received, oldest first."""
        with self.lock:
            return [body or {} for method, path, body, _ in self.requests if path == "/v1/chat/completions"]

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, path, _, _ in self.requests]


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}


def _make_handler(state: FakeOpenAIState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeOpenAI/0.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest output clean

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self, body: dict[str, Any] | None) -> bool:
            headers = {name.lower(): value for name, value in self.headers.items()}
            with state.lock:
                state.requests.append((self.command, self.path, body, headers))
            if state.api_key is None or self.headers.get("Authorization") == f"Bearer {state.api_key}":
                return True
            self._send_json(401, _error("Incorrect API key provided.", "invalid_api_key"))
            return False

        def do_GET(self) -> None:
            if not self._authorized(None):
                return
            if self.path != "/v1/models":
                self._send_json(404, _error(f"Unknown path {self.path}", "not_found"))
                return
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in state.models]
            self._send_json(200, {"object": "list", "data": data})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            if not self._authorized(body):
                return
            if self.path != "/v1/chat/completions":
                self._send_json(404, _error(f"Unknown path {self.path}", "not_found"))
                return
            model = str(body.get("model", ""))
            if model not in state.models:
                self._send_json(404, _error(f"The model `{model}` does not exist.", "model_not_found"))
                return
            reply = state.reply(body)
            pieces = re.findall(r"\S+\s*|\s+", reply) if isinstance(reply, str) else list(reply)
            base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": model}
            if not body.get("stream"):
                message = {"role": "assistant", "content": "".join(pieces)}
                choice = {"index": 0, "message": message, "finish_reason": "stop"}
                self._send_json(200, {**base, "object": "chat.completion", "choices": [choice]})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            deltas = [{"role": "assistant", "content": ""}] + [{"content": p} for p in pieces]
            for delta in deltas:
                self._event({**base, "object": "chat.completion.chunk",
                             "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})  # fmt: skip
            self._event({**base, "object": "chat.completion.chunk",
                         "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})  # fmt: skip
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def _event(self, payload: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
            self.wfile.flush()

    return Handler


@contextmanager
def run_fake_openai(
    models: Sequence[str] = ("fake-model",),
    reply: Reply = default_reply,
    api_key: str | None = None,
) -> Iterator[tuple[str, FakeOpenAIState]]:
    """Serve the fake on 127.0.0.1 (ephemeral port); yields `(base_url ending in /v1, state)`."""
    state = FakeOpenAIState(models=tuple(models), reply=reply, api_key=api_key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/v1", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
