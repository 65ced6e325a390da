"""The `openai` backend against a real OpenAI-compatible engine: `python -m llama_cpp.server`.

Slow: assembles the carried Gemma 3 270M GGUF, serves it on a free loopback port with the
llama.cpp server that llama-cpp-python ships (its `[server]` extra), then asks through
Fonte from the `ask` CLI and from the HTTP API (`fonte serve`), both as subprocesses.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.llm.base import SENTENCE_SELECTION, Generation
from assistant.llm.carried import carried_gguf
from assistant.llm.openai import OpenAILLM
from fonte.errors import ModelNotFound
from tests.conftest import fonte_server, free_port, run_module, served

pytestmark = pytest.mark.slow

ALIAS = "gemma-3-270m"
QUESTION = "O que é DataOps?"
START_TIMEOUT_S = 120
"""Loading a 250 MB GGUF takes ~2 s; the margin is for a machine shared with other jobs."""
SERVER_THREADS = "1"
"""The test proves the wiring, not speed: on 2 cores shared with the Fonte process (and CI's
other jobs) one llama.cpp thread avoids OpenMP spin contention (measured 40 tokens: 12 s on
1 thread, 100 s on 2, with the machine loaded)."""
SHORT_ANSWERS = {"FONTE_MAX_NEW_TOKENS": "48"}
"""Enough for a cited sentence or two; keeps each answer to seconds on a loaded CPU."""


@contextlib.contextmanager
def llama_cpp_server(model: Path, log_path: Path) -> Iterator[str]:
    """`python -m llama_cpp.server` on a free loopback port; yields the API root (…/v1).

    `--chat_format gemma`: the carried GGUF is the base model, without a chat template; the
    server's fallback (llama-2 format) makes it answer nothing at all.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", ALIAS,
        "--chat_format", "gemma",
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", SERVER_THREADS,
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    with served(command, ready_url=f"{base}/models", log_path=log_path, timeout=START_TIMEOUT_S):
        yield base


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("llama-server")
    with llama_cpp_server(carried_gguf(directory), directory / "server.log") as url:
        yield url


def test_backend_streams_from_the_real_server(server_url: str) -> None:
    llm = OpenAILLM(base_url=server_url, model=None)
    llm.check()
    assert llm.model == ALIAS  # adopted from GET /v1/models
    pieces = list(llm.stream(Generation(prompt="Qual é a capital de Portugal?", max_tokens=12)))
    assert pieces and "".join(pieces).strip()
    with pytest.raises(ModelNotFound, match=ALIAS):
        OpenAILLM(base_url=server_url, model="nao-existe").check()


def _cited(payload: dict[str, object]) -> None:
    # the served model judged that the passages answer; sentence selection chose the text
    assert payload["backend"] == "openai" and payload["model"] == f"{ALIAS} · {SENTENCE_SELECTION}"
    assert not payload["abstained"] and payload["citations"]
    for citation in payload["citations"]:  # type: ignore[attr-defined]
        assert f"[{citation['n']}]" in payload["answer"]  # type: ignore[operator]


def test_ask_cli_answers_through_the_server(server_url: str) -> None:
    result = run_module(
        "ui.ask", QUESTION, "--json", "--backend", "openai",
        env={"FONTE_OPENAI_BASE_URL": server_url, **SHORT_ANSWERS},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    _cited(json.loads(result.stdout))

    wrong = run_module(
        "ui.ask", QUESTION, "--json", "--backend", "openai",
        env={"FONTE_OPENAI_BASE_URL": server_url, "FONTE_OPENAI_MODEL": "nao-existe"},
    )  # fmt: skip
    assert wrong.returncode == ModelNotFound.exit_code
    assert ALIAS in wrong.stderr and "FONTE_OPENAI_MODEL" in wrong.stderr


def test_api_auto_prefers_the_server_and_says_so(server_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "FONTE_OPENAI_BASE_URL": server_url, "FONTE_BACKEND": "auto", **SHORT_ANSWERS}
    ingested = run_module("ui.cli", "ingest", env=env)  # no path: the bundled document
    assert ingested.returncode == 0, ingested.stderr
    with fonte_server(env, tmp_path / "fonte-serve.log") as (base, _pid):
        health = httpx.get(f"{base}/api/health", timeout=30).json()
        assert (health["backend"]["backend"], health["backend"]["model"]) == ("openai", ALIAS)
        response = httpx.post(f"{base}/api/ask", json={"question": QUESTION}, timeout=300)
        assert response.status_code == 200, response.text
        _cited(response.json())
