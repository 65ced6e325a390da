"""The HTTP API's answers: the JSON and SSE contract, health, errors and bad input mapped to 4xx,
the assistant cache and the start-up ingest."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.pipeline import Assistant
from fonte.errors import BadRequest
from fonte.settings import Settings
from tests.unit.api_client import ORIGIN, REMOTE, FakeAssistant, ask, make_client
from ui.api import create_app
from ui.api.keys import KeyStore
from ui.api.settings import ApiSettings

CONTRACT_KEYS = {"question", "answer", "abstained", "backend", "model", "citations", "timings"}
CITATION_KEYS = {"n", "chunk_id", "source", "title", "page", "label", "quote", "start", "end"}


def sse_events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        if block.startswith(":"):
            continue  # a keep-alive comment
        name = re.search(r"^event: (.+)$", block, re.M)
        data = re.search(r"^data: (.+)$", block, re.M)
        assert name and data, block
        events.append((name.group(1), json.loads(data.group(1))))
    return events


@pytest.fixture
def real_client(settings: Settings, fake_collection: Any) -> TestClient:
    app = create_app(
        settings, ApiSettings(), assistant_factory=lambda s: Assistant(s, collection=fake_collection)
    )
    return TestClient(app, client=REMOTE)


def test_json_answer_is_the_ask_json_contract(real_client: TestClient, key: str) -> None:
    response = ask(real_client, key, question="Quais ferramentas de DataOps o documento cita?")
    assert response.status_code == 200, response.text
    payload = response.json()
    assert set(payload) == CONTRACT_KEYS
    assert payload["backend"] == "extractive" and not payload["abstained"]
    assert payload["citations"] and set(payload["citations"][0]) == CITATION_KEYS
    assert any("DataKitchen" in c["quote"] for c in payload["citations"])
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "Origin" in response.headers["vary"]
    assert response.headers["cache-control"] == "no-store"


def test_sse_streams_tokens_then_citations_then_done(real_client: TestClient, key: str) -> None:
    response = ask(
        real_client,
        key,
        question="Quais ferramentas de DataOps o documento cita?",
        accept="text/event-stream",
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["access-control-allow-origin"] == ORIGIN
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "token" and names[-2:] == ["citations", "done"]
    assert set(names[:-2]) == {"token"}
    streamed = "".join(data["text"] for name, data in events if name == "token")
    done = events[-1][1]
    assert set(done) == CONTRACT_KEYS and done["answer"] == streamed
    assert events[-2][1] == done["citations"] and done["citations"]


def test_sse_abstention_is_marked(real_client: TestClient, key: str) -> None:
    response = ask(
        real_client, key, question="Qual é a população de Lisboa em 2020?", accept="text/event-stream"
    )
    done = sse_events(response.text)[-1][1]
    assert done["abstained"] and done["citations"] == [] and "Não encontrei" in done["answer"]


def test_health_reports_store_and_backend(real_client: TestClient) -> None:
    health = real_client.get("/api/health").json()
    assert health["status"] == "ok" and health["store"]["chunks"] > 0
    assert health["store"]["sources"] == 1
    assert health["backend"]["backend"] == "extractive"
    assert health["generation"] == {"active": 0, "waiting": 0, "max_concurrency": 2, "queue_size": 8}


def test_library_errors_map_to_their_status_and_internal_errors_hide_details(
    settings: Settings, key: str
) -> None:
    client = make_client(settings)
    empty = ask(client, key, question="   ")
    assert empty.status_code == 400 and "vazia" in empty.json()["error"]
    broken = make_client(settings, FakeAssistant(settings, fail=True))
    for accept in (None, "text/event-stream"):
        response = ask(broken, key, accept=accept)
        assert response.status_code == 500
        assert response.json() == {"error": "Erro interno do servidor — tente novamente mais tarde"}
        assert "passwd" not in response.text and "Traceback" not in response.text


def test_question_limits_are_the_pipelines_and_map_to_400(real_client: TestClient, key: str) -> None:
    for accept in (None, "text/event-stream"):
        long = ask(real_client, key, question="a" * 2001, accept=accept)
        assert long.status_code == 400, long.text
        assert "Pergunta longa demais" in long.json()["error"]
        empty = ask(real_client, key, question=" ", accept=accept)
        assert empty.status_code == 400 and "vazia" in empty.json()["error"]
    assert real_client.app.state.fonte.gate.active == 0  # type: ignore[attr-defined]


def raw_ask(client: TestClient, body: bytes, key: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if key:
        headers |= {"X-Fonte-Key": key, "Origin": ORIGIN}
    return client.post("/api/ask", content=body, headers=headers)


def test_a_lone_surrogate_is_a_4xx_in_portuguese(settings: Settings, key: str) -> None:
    client = make_client(settings)
    bodies = [
        rb'{"question": "O que \ud800 DataOps?"}',
        rb'{"question": "oi", "history": [{"role": "user", "content": "\udfff"}]}',
    ]
    for body in bodies:
        response = raw_ask(client, body, key)
        assert response.status_code == 422, response.text
        assert "substituto Unicode isolado" in response.json()["error"]
    admin = TestClient(create_app(settings, ApiSettings(admin_token=SecretStr("t"))), client=REMOTE)
    bad_origin = admin.post(
        "/api/admin/keys",
        content=rb'{"origins": ["https://\ud800.example"]}',
        headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
    )
    assert bad_origin.status_code == 400 and "Origem inválida" in bad_origin.json()["error"]


def test_collection_names_must_match_whole(settings: Settings, fake_collection: Any) -> None:
    local = make_client(settings, client=("127.0.0.1", 5000), base_url="http://127.0.0.1:8000")
    for name in ("default\n", "nova\n", "../x", "\ud800"):
        body = json.dumps({"question": "O que é DataOps?", "collection": name}).encode()
        response = raw_ask(local, body)
        assert response.status_code == 400, (name, response.text)
        assert "Nome de coleção inválido" in response.json()["error"]
    unknown = ask(local, None, origin=None, collection="nunca-ingerida")
    assert unknown.status_code == 404 and "não existe" in unknown.json()["error"]
    with pytest.raises(BadRequest):
        KeyStore(settings.data_dir).create([ORIGIN], "loja\n")
    admin = create_app(settings, ApiSettings(admin_token=SecretStr("t")), assistant_factory=lambda s: None)
    upload = TestClient(admin, client=REMOTE).post(
        "/api/admin/ingest",
        files={"file": ("a.txt", b"DataOps.")},
        data={"collection": "up2\n"},
        headers={"Authorization": "Bearer t"},
    )
    assert upload.status_code == 400 and "Nome de coleção inválido" in upload.json()["error"]
    assert sorted(p.name for p in (settings.data_dir / "collections").iterdir()) == ["default"]
    assert not (settings.data_dir / "uploads").exists()


def test_assistants_come_from_the_one_cache(settings: Settings) -> None:
    import assistant

    state = create_app(settings).state.fonte
    assert state.assistant_for("default") is assistant.assistant_for(settings)


def test_serve_start_up_ingests_the_bundled_document_into_an_empty_collection(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import assistant
    from tests.conftest import HashEmbedder
    from ui.api import prepare
    from vectorstore import Collection

    served = Assistant(settings, collection=Collection.open(settings, embedder=HashEmbedder()))
    monkeypatch.setattr(assistant, "assistant_for", lambda s: served)
    with caplog.at_level("INFO", logger="fonte.api"):
        prepare(settings)
    assert "ingeri o documento de exemplo" in caplog.text
    assert next(s.source for s in served.collection.sources()).endswith("mlops_dataops_fundamentos.txt")
    caplog.clear()
    prepare(settings)  # not empty any more: nothing to do
    assert caplog.text == ""


def test_docs_and_json_errors(settings: Settings) -> None:
    client = make_client(settings)
    assert client.get("/docs").status_code == 200
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]
    missing = client.get("/nada")
    assert missing.status_code == 404 and missing.json() == {"error": "Não encontrado"}
    invalid = client.post("/api/ask", content=b"{", headers={"Content-Type": "application/json"})
    assert invalid.status_code in (401, 422) and "error" in invalid.json()
