"""The optional LLM judge over the Ollama protocol (loopback server speaking Ollama's API)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from assistant.llm.ollama import OllamaLLM
from eval.llm_judge import LLMJudge, parse_spec
from fonte.errors import BadRequest
from tests.conftest import REPO
from tests.fakes.ollama_server import run_fake_ollama


def test_verdicts_parse_json_and_retry_on_garbage() -> None:
    replies = iter(["isto não é JSON", 'Claro! {"sustentada": false, "motivo": "número trocado"}'])
    with run_fake_ollama(reply=lambda _r: next(replies)) as (url, state):
        judge = LLMJudge(OllamaLLM(host=url, model="gemma3:4b", num_ctx=4096))
        verdict = judge.verdict("O ciclo caiu para 3 segundos.", ["O ciclo caiu de meses para segundos."])
    assert verdict.supported is False and "número" in verdict.reason
    assert len(state.chat_requests()) == 2
    assert "AFIRMAÇÃO" in state.chat_requests()[0]["messages"][1]["content"]


def test_unparseable_after_retries_is_unknown_not_nan() -> None:
    with run_fake_ollama(reply=lambda _r: "sem json") as (url, _state):
        judge = LLMJudge(OllamaLLM(host=url, model="gemma3:4b", num_ctx=4096))
        assert judge.verdict("x y", ["x y"]).supported is None


def test_bad_spec_is_refused() -> None:
    with pytest.raises(BadRequest):
        parse_spec("openai:gpt")


@pytest.mark.slow
def test_fonte_eval_reports_llm_judge_agreement(tmp_path: Any) -> None:
    reply = lambda _r: '{"sustentada": true, "motivo": "ok"}'  # noqa: E731
    with run_fake_ollama(reply=reply) as (url, _state):
        result = subprocess.run(
            [sys.executable, "-m", "ui.cli", "eval", "--judge", "ollama:gemma3:4b",
             "--reports-dir", str(tmp_path / "r")],
            cwd=REPO, capture_output=True, text=True, timeout=900,
            env={**os.environ, "FONTE_OLLAMA_HOST": url},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "juiz LLM gemma3:4b" in result.stdout
    report = json.loads(next((tmp_path / "r").glob("*.json")).read_text(encoding="utf-8"))
    assert report["llm_judge"]["faithfulness"] == 1.0
    assert 0.0 <= report["llm_judge"]["agreement_with_deterministic"] <= 1.0


def test_judge_with_ollama_down_names_the_fix(tmp_path: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "eval", "--judge", "ollama:gemma3:4b",
         "--reports-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 5 and "ollama serve" in result.stderr
