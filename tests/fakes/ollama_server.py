"""A loopback stand-in for `ollama serve`, speaking the documented HTTP API.

Endpoints (https://docs.ollama.com/api, ollama/ollama docs/api.md):

- `GET /api/version` → `{"version": ...}`
- `GET /api/tags`    → `{"models": [{name, model, modified_at, size, digest, details}]}`
- `POST /api/chat`   → 404 `{"error": ...}` for an unknown model; with `"stream": true`
  (the default) NDJSON chunks `{model, created_at, message, done: false}` ending in a
  `done: true` chunk with `done_reason` and timing counters; otherwise one JSON object.

Every request is recorded in `FakeOllamaState.requests` so tests can assert on what
the client sent (options such as num_ctx, stop, num_predict).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_REPLY = "A capital de Portugal é Lisboa, segundo a fonte [1]."


@dataclass(frozen=True)
class WithLogprobs:
    """A reply with the log probabilities of its first output step's likeliest tokens, sent
    as Ollama 0.12.11+ does when the request asks `logprobs` (non-streamed replies)."""

    text: str
    top_first: dict[str, float]
    """token → log probability at the first output step."""


Reply = Callable[[dict[str, Any]], "str | Sequence[str] | WithLogprobs"]
"""Receives the request JSON; returns the whole text (split into word pieces), the pieces, or
the text with its first step's log probabilities."""


def default_reply(request: dict[str, Any]) -> str:
    return DEFAULT_REPLY


def _pieces(reply: str | Sequence[str]) -> list[str]:
    if isinstance(reply, str):
        return re.findall(r"\S+\s*|\s+", reply)
    return list(reply)


def _tagged(name: str) -> str:
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: dict[str, Any] | None


@dataclass
class FakeOllamaState:
    models: tuple[str, ...]
    reply: Reply
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, request: RecordedRequest) -> None:
        with self.lock:
            self.requests.append(request)

    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of every `POST /api/chat` received, oldest first."""
        with self.lock:
            return [r.body or {} for r in self.requests if r.path == "/api/chat"]

    def has_model(self, name: str) -> bool:
        return any(_tagged(m) == _tagged(name) for m in self.models)


def _model_entry(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "model": name,
        "modified_at": "2025-10-03T23:34:03.409490317-07:00",
        "size": 3338801804,
        "digest": "a2af6cc3eb7fa8be8504abaf9b04e88f17a119ec3f04a3addf55f92841195f5a",
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": "gemma3",
            "families": ["gemma3"],
            "parameter_size": "4.3B",
            "quantization_level": "Q4_K_M",
        },
    }


def _make_handler(state: FakeOllamaState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive + chunked streaming, like Ollama
        server_version = "FakeOllama/0.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest output clean

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _read_json(self) -> dict[str, Any] | None:
            length = int(self.headers.get("Content-Length") or 0)
            if not length:
                return None
            body = json.loads(self.rfile.read(length) or b"null")
            return body if isinstance(body, dict) else None

        def do_GET(self) -> None:
            state.record(RecordedRequest("GET", self.path, None))
            if self.path == "/api/version":
                self._send_json(200, {"version": "0.12.6"})
            elif self.path == "/api/tags":
                self._send_json(200, {"models": [_model_entry(m) for m in state.models]})
            elif self.path == "/":
                self._send_json(200, {"status": "Ollama is running"})
            else:
                self._send_json(404, {"error": "404 page not found"})

        def do_POST(self) -> None:
            body = self._read_json()
            state.record(RecordedRequest("POST", self.path, body))
            if self.path != "/api/chat":
                self._send_json(404, {"error": "404 page not found"})
                return
            if body is None:
                self._send_json(400, {"error": "invalid request body"})
                return
            model = str(body.get("model", ""))
            if not state.has_model(model):
                self._send_json(404, {"error": f"model '{model}' not found"})
                return
            replied = state.reply(body)
            logged = replied if isinstance(replied, WithLogprobs) else None
            pieces = _pieces(logged.text if logged else replied)  # type: ignore[arg-type]
            final = {
                "model": model,
                "created_at": _now(),
                "done": True,
                "done_reason": "stop",
                "total_duration": 4_883_583_458,
                "load_duration": 1_334_875,
                "prompt_eval_count": 26,
                "prompt_eval_duration": 342_546_000,
                "eval_count": len(pieces),
                "eval_duration": 4_535_599_000,
            }
            if body.get("stream", True) is False:
                message = {"role": "assistant", "content": "".join(pieces)}
                if logged is not None and body.get("logprobs") and pieces:
                    top = [{"token": t, "logprob": lp} for t, lp in logged.top_first.items()]
                    first = {"token": pieces[0], "logprob": logged.top_first.get(pieces[0].strip(), 0.0)}
                    final["logprobs"] = [{**first, "top_logprobs": top[: int(body.get("top_logprobs") or 0)]}]
                self._send_json(200, {**final, "message": message})
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in pieces:
                self._chunk(
                    {
                        "model": model,
                        "created_at": _now(),
                        "message": {"role": "assistant", "content": piece},
                        "done": False,
                    }
                )
            self._chunk({**final, "message": {"role": "assistant", "content": ""}})
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _chunk(self, payload: dict[str, Any]) -> None:
            line = json.dumps(payload, ensure_ascii=False).encode() + b"\n"
            self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
            self.wfile.flush()

    return Handler


@contextmanager
def run_fake_ollama(
    models: Sequence[str] = ("gemma3:4b",),
    reply: Reply = default_reply,
) -> Iterator[tuple[str, FakeOllamaState]]:
    """Serve the fake on 127.0.0.1 (ephemeral port); yields `(base_url, state)`."""
    state = FakeOllamaState(models=tuple(models), reply=reply)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="fake-ollama",
        daemon=True,
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
