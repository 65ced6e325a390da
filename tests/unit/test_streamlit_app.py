"""The Streamlit chat UI, driven headless with streamlit.testing (real e5 embedder, extractive answers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = REPO / "ui" / "streamlit_app.py"
EVAL_PAGE = REPO / "ui" / "pages" / "1_Avaliação.py"
BUNDLED = str(REPO / "corpus" / "mlops_dataops_fundamentos.txt")
DATAOPS = "Quais ferramentas de DataOps o documento cita?"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("FONTE_BACKEND", "extractive")
    st.cache_resource.clear()  # start-up settings and Assistants are per process: isolate tests
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    yield at
    st.cache_resource.clear()


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def texts(elements: Any) -> list[str]:
    return [str(e.value) for e in elements]


def labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def test_first_load_ingests_bundled_document(app: AppTest) -> None:
    assert any("documento de exemplo" in t for t in texts(app.success))
    assert any("mlops\\_dataops\\_fundamentos" in t for t in texts(app.sidebar.markdown))
    assert app.chat_input[0].placeholder.startswith("Pergunte")


def test_question_renders_streamed_answer_with_numbered_sources(app: AppTest) -> None:
    ask(app, DATAOPS)
    user, assistant = app.chat_message[0], app.chat_message[1]
    assert user.name == "user" and assistant.name == "assistant"
    answer = texts(assistant.markdown)[0]
    assert "DataKitchen" in answer and "\\[1\\]" in answer  # [n] marks, escaped as literal text
    sources = [label for label in labels(app) if label.startswith("\\[")]
    assert sources and sources[0].startswith("\\[1\\] mlops\\_dataops\\_fundamentos\\.txt — ")
    # the supporting quote is highlighted inside the (escaped) passage
    assert any(":orange-background[" in t and "DataKitchen" in t for t in texts(assistant.markdown))
    assert any("extractive" in t for t in texts(assistant.caption))
    assert app.get("download_button"), "the conversation can be downloaded"


def test_follow_up_passes_history(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.pipeline import Assistant

    seen: list[Any] = []
    original = Assistant.stream

    def spy(self: Assistant, question: str, **kwargs: Any) -> Any:
        seen.append(kwargs.get("history"))
        return original(self, question, **kwargs)

    monkeypatch.setattr(Assistant, "stream", spy)
    ask(app, DATAOPS)
    ask(app, "E quais são as de MLOps?")
    assert seen[0] == []
    assert seen[1][0] == {"role": "user", "content": DATAOPS}
    assert seen[1][1]["role"] == "assistant" and "DataKitchen" in seen[1][1]["content"]
    assert len(app.chat_message) == 4
    app.button(key="new_conversation").click().run()
    assert len(app.chat_message) == 0


def test_abstention_is_shown_with_closest_passages(app: AppTest) -> None:
    ask(app, "Qual a capital da Austrália?")
    assert any(t.startswith("Não encontrei") and "nos documentos" in t for t in texts(app.info))
    closest = [label for label in labels(app) if label != "Configurações"]
    assert 1 <= len(closest) <= 3 and not any(label.startswith("\\[") for label in closest)
    assert not any(t == "Fontes" for t in texts(app.caption))


def test_empty_and_overlong_questions_get_a_message(app: AppTest) -> None:
    ask(app, "   ")
    assert any("vazia" in t for t in texts(app.warning))
    assert not [m for m in app.chat_message if m.name == "user"]
    ask(app, "palavra " * 400)
    assert any("longa demais" in t for t in texts(app.warning))


def test_backend_error_mid_answer_keeps_the_app_running(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.pipeline import Assistant, Token
    from fonte.errors import BackendUnavailable

    def broken(self: Assistant, question: str, **kwargs: Any) -> Iterator[Any]:
        yield Token("Uma frase verificada. [1]")
        raise BackendUnavailable("Ollama não respondeu — rode `ollama serve`")

    with monkeypatch.context() as patch:
        patch.setattr(Assistant, "stream", broken)
        ask(app, DATAOPS)
    assert any("ollama serve" in t for t in texts(app.error))
    assert any("Uma frase verificada" in t for t in texts(app.markdown))
    ask(app, DATAOPS)  # the next question works again
    assert any(label.startswith("\\[1\\]") for label in labels(app))


def test_upload_ingests_and_reports_skips(app: AppTest, data_dir: Path) -> None:
    notes = "# Férias\n\nO prazo de férias anuais é de 30 dias corridos.\n".encode()
    app.file_uploader[0].set_value(
        [("notas.md", notes, "text/markdown"), ("quebrado.pdf", b"isto nao e um pdf", "application/pdf")]
    ).run()
    assert not app.exception, app.exception
    results = texts(app.sidebar.markdown)
    assert any("notas\\.md" in t and "ingerido" in t for t in results)
    assert any("quebrado\\.pdf" in t and "ignorado" in t and "—" in t for t in results)
    saved = data_dir / "uploads" / "default" / "notas.md"
    assert saved.read_bytes() == notes
    assert not (data_dir / "uploads" / "default" / "quebrado.pdf").exists()
    ask(app, "Qual é o prazo de férias anuais?")
    assert any("notas\\.md" in label for label in labels(app))


def test_upload_helper_sanitizes_names_and_skips_unsupported(fake_collection: Any, data_dir: Path) -> None:
    from ingest import ingest_upload, sanitize_filename

    assert sanitize_filename("../../etc/passwd") == "passwd"
    assert sanitize_filename("C:\\Users\\x\\relatório final.md") == "relatório final.md"
    assert sanitize_filename("..") == "arquivo"
    result = ingest_upload(fake_collection, "../../planilha.xlsx", b"PK\x03\x04")
    assert result.status == "skipped" and "extensão não suportada (.xlsx)" in result.detail
    result = ingest_upload(fake_collection, "../../fora.txt", b"Texto de teste sobre prazos.")
    assert result.status == "ingested"
    assert Path(result.source) == data_dir / "uploads" / "default" / "fora.txt"
    again = ingest_upload(fake_collection, "fora.txt", b"Texto de teste sobre prazos.")
    assert again.status == "unchanged"
    broken = ingest_upload(fake_collection, "fora.txt", b"")
    assert broken.status == "skipped" and broken.detail == "arquivo vazio"
    assert Path(result.source).read_bytes() == b"Texto de teste sobre prazos."  # kept the good one
    assert not [p for p in Path(result.source).parent.iterdir() if p.name.startswith(".upload-")]


def test_feedback_appends_jsonl(app: AppTest, data_dir: Path) -> None:
    ask(app, DATAOPS)
    app.feedback[0].set_value(0)
    app.text_input[0].input("faltou o Airflow na explicação")
    next(b for b in app.button if b.label == "Enviar").click().run()
    assert not app.exception, app.exception
    lines = (data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["question"] == DATAOPS and "DataKitchen" in record["answer"]
    assert record["rating"] == "down" and record["comment"] == "faltou o Airflow na explicação"
    assert record["citations"][0]["n"] == 1 and record["citations"][0]["quote"]
    assert record["timestamp"] and record["collection"] == "default"
    assert any("Avaliação registrada" in t for t in texts(app.caption))


def test_remove_source(app: AppTest) -> None:
    app.button(key=f"remove:{BUNDLED}").click().run()
    assert not app.exception, app.exception
    assert any("Removido" in t for t in texts(app.sidebar.success))
    assert any("Nenhum documento" in t for t in texts(app.sidebar.caption))
    assert any("está vazia" in t for t in texts(app.info))
    ask(app, DATAOPS)
    assert any(t.startswith("Não encontrei") for t in texts(app.info))


def test_conversation_markdown_has_citations(fake_collection: Any, settings: Any) -> None:
    from assistant import Assistant
    from ui.render import conversation_markdown

    helper = Assistant(settings, collection=fake_collection)
    answered = helper.answer(DATAOPS)
    abstained = helper.answer("Qual a capital da Austrália?")
    text = conversation_markdown([answered, abstained], collection="default")
    assert f"## 1. {DATAOPS}" in text and "[1] mlops_dataops_fundamentos.txt — " in text
    assert "> “" in text and "Trechos mais próximos" in text


def test_backend_status_without_ollama(settings: Any) -> None:
    from assistant.status import backend_status
    from ui.render import backend_summary

    status = backend_status(settings.with_overrides(backend="auto"))  # as answers resolve it
    assert not status.ollama_up and status.requested == "auto" and status.backend == "extractive"
    embedded = backend_status(settings.with_overrides(backend="auto", embedded_backend="llamacpp"))
    # named as answers name it (LlamaCppLLM.model: the GGUF's stem), the carried reader model
    assert embedded.backend == "llamacpp" and embedded.model.startswith("qwen2.5-coder-1.5b")
    assert backend_summary(backend_status(settings)).startswith("extractive")
    assert backend_status(settings, "ollama").backend == "ollama"


def test_eval_page_without_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FONTE_REPORTS_DIR", str(tmp_path / "none"))
    at = AppTest.from_file(str(EVAL_PAGE), default_timeout=60).run()
    assert not at.exception, at.exception
    assert any("make eval" in t and "fonte eval" in t for t in texts(at.info))


def test_eval_page_charts_newest_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eval.reports import SCORE_KEYS

    def question(i: int, category: str, abstained: bool) -> dict[str, Any]:
        return {
            "id": f"q{i}",
            "category": category,
            "abstained": abstained,
            "expect_abstain": abstained,
            "claims": 0 if abstained else 2,
            "supported_claims": 0 if abstained else 2,
            "key_fact_recall": 0.0 if abstained else 0.5,
            "total_ms": 100.0 + 10 * i,
        }

    report = {
        "set": "mlops",
        "backend": "extractive",
        "mode": "hybrid",
        "metrics": {**{k: 0.5 for k in SCORE_KEYS}, "latency_ms": {"total_p50": 120.0}},
        "per_question": [question(i, "fato" if i % 2 else "fora-do-escopo", not i % 2) for i in range(8)],
    }
    (tmp_path / "eval-20240101-000000-mlops-extractive.json").write_text(json.dumps({"metrics": {}}))
    (tmp_path / "eval-20990101-000000-mlops-extractive.json").write_text(json.dumps(report))
    monkeypatch.setenv("FONTE_REPORTS_DIR", str(tmp_path))
    at = AppTest.from_file(str(EVAL_PAGE), default_timeout=60).run()
    assert not at.exception, at.exception
    assert any("eval-20990101" in t for t in texts(at.caption))
    assert len(at.get("vega_lite_chart")) == 3
    assert len(at.dataframe) == 2


def test_fonte_ui_command_runs_streamlit(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from typer.testing import CliRunner

    from ui.cli import app as cli

    calls: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(argv))
    result = CliRunner().invoke(cli, ["ui", "--port", "8642"])
    assert result.exit_code == 0, result.output
    argv = calls[0]
    assert argv[1:4] == ["-m", "streamlit", "run"] and argv[4].endswith("ui/streamlit_app.py")
    assert argv[5:] == [
        "--server.port",
        "8642",
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def test_document_text_is_shown_literally(app: AppTest) -> None:
    hostile = "O reembolso de viagens <script>alert(1)</script> é **sempre** pago em $5$ dias :red[úteis].\n"
    app.file_uploader[0].set_value(("hostil.txt", hostile.encode(), "text/plain")).run()
    ask(app, "Em quantos dias o reembolso de viagens é pago?")
    shown = "\n".join(texts(app.markdown))
    assert "<script>" not in shown and "**sempre**" not in shown and "$5$" not in shown
    assert "\\<script\\>" in shown and "\\*\\*sempre\\*\\*" in shown and "\\$5\\$" in shown
    assert ":red[" not in shown and "\\:red\\[úteis\\]" in shown
