"""What the HTTP API tests share: a fake assistant, a TestClient on `create_app`, and a POST to
/api/ask with a widget key and an Origin. The `key` fixture lives in tests/conftest.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient

from assistant.pipeline import Final, Token
from fonte.errors import BadRequest
from fonte.settings import Settings
from fonte.types import Answer, Chunk, Citation
from ui.api import create_app
from ui.api.settings import ApiSettings

ORIGIN = "https://loja.example"
REMOTE = ("203.0.113.7", 40000)


class FakeAssistant:
    """Answers every question with one cited sentence; optionally waits for `release`."""

    def __init__(self, settings: Settings, release: threading.Event | None = None, fail: bool = False):
        self.settings = settings
        self.release = release
        self.fail = fail
        self.started = 0
        self.finished = 0

    def stream(
        self, question: str, *, history: Any = None, backend: Any = None, k: Any = None
    ) -> Iterator[Any]:
        if not question.strip():
            raise BadRequest("A pergunta está vazia — escreva o que quer saber")
        self.started += 1
        try:
            if self.release is not None:
                assert self.release.wait(20), "test never released the fake assistant"
            if self.fail:
                raise RuntimeError("segredo interno /etc/passwd")
            chunk = Chunk(
                "c1", "/docs/a.txt", "Seção", "DataOps usa DataKitchen.", "DataOps usa DataKitchen.", 0, 24
            )
            yield Token("DataOps usa DataKitchen [1].")
            yield Final(
                Answer(
                    question=question,
                    text="DataOps usa DataKitchen [1].",
                    citations=[Citation(1, chunk, "DataOps usa DataKitchen.")],
                    abstained=False,
                    backend="extractive",
                    model="fake",
                )
            )
        finally:
            self.finished += 1


def make_client(
    settings: Settings,
    assistant: Any = None,
    client: tuple[str, int] = REMOTE,
    base_url: str = "http://api.example",
    **api: Any,
) -> TestClient:
    fake = assistant or FakeAssistant(settings)
    app = create_app(settings, ApiSettings(**api), assistant_factory=lambda s: fake)
    return TestClient(app, client=client, base_url=base_url)


def ask(client: TestClient, key: str | None, origin: str | None = ORIGIN, **body: Any) -> Any:
    headers = {}
    if key is not None:
        headers["X-Fonte-Key"] = key
    if origin is not None:
        headers["Origin"] = origin
    accept = body.pop("accept", None)
    if accept:
        headers["Accept"] = accept
    return client.post("/api/ask", json={"question": "O que é DataOps?", **body}, headers=headers)
