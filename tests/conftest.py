"""Shared fixtures: every test gets its own data dir; fakes for fast unit tests."""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from langchain_core.embeddings import Embeddings

from fonte.settings import Settings
from fonte.textpt import analyze
from fonte.types import Chunk, Hit

if TYPE_CHECKING:
    from assistant.llm.base import Generation
    from assistant.llm.llamacpp import LlamaCppLLM

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus" / "mlops_dataops_fundamentos.txt"
ARTIFACTS = REPO / "test-artifacts"
# Debian's Chromium (Playwright's browser download is unreachable here); without the
# background-networking flags it keeps dialling Google's hosts on this closed network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private FONTE_DATA_DIR per test; no FONTE_* leaks in from the environment."""
    for name in list(os.environ):
        if name.startswith("FONTE_") or name == "OLLAMA_HOST":
            monkeypatch.delenv(name)
    directory = tmp_path / "fonte-data"
    monkeypatch.setenv("FONTE_DATA_DIR", str(directory))
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    # an Ollama that does not exist, so `auto` never finds a stray local server
    monkeypatch.setenv("FONTE_OLLAMA_HOST", f"http://127.0.0.1:{free_port()}")
    return directory


class HashEmbedder(Embeddings):
    """Deterministic bag-of-stems vectors: similar wording, similar vectors."""

    name = "fake:hash"
    dim = 256

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for stem in analyze(text):
            vector[int(hashlib.md5(stem.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, embedder="fake:hash", backend="extractive")


@pytest.fixture
def fake_collection(settings: Settings) -> Iterator[object]:
    from ingest import ingest_paths
    from vectorstore import Collection

    collection = Collection.open(settings, embedder=HashEmbedder())
    ingest_paths([CORPUS], collection)
    yield collection


@pytest.fixture
def key(settings: Settings) -> str:
    """A widget key for the API tests' shop origin, on the default collection."""
    from tests.unit.api_client import ORIGIN
    from ui.api.keys import KeyStore

    return KeyStore(settings.data_dir).create([ORIGIN], "default").key


def run_module(
    module: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    """`python -m module args…` from the repo, env layered over ours; never a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True,
        input=stdin, env={**os.environ, **(env or {})}, timeout=timeout,
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def artifacts_dir(request: pytest.FixtureRequest) -> Path:
    directory = ARTIFACTS / request.node.name
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@contextlib.contextmanager
def served(
    command: list[str],
    *,
    ready_url: str,
    log_path: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Iterator[subprocess.Popen[bytes]]:
    """A child process (a server) that is ready when `ready_url` answers 200; always stopped."""
    import time

    import httpx

    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                assert server.poll() is None, log_path.read_text()
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(ready_url, timeout=2).status_code == 200:
                        break
                assert time.monotonic() < deadline, f"{' '.join(command[:4])} did not start"
                time.sleep(0.3)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()


@contextlib.contextmanager
def fonte_server(env: dict[str, str], log_path: Path) -> Iterator[tuple[str, int]]:
    """`fonte serve` on a free loopback port, ready when /api/health answers; always stopped."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "ui.cli", "serve", "--port", str(port)]
    with served(command, ready_url=f"{base}/api/health", log_path=log_path, env=env) as server:
        yield base, server.pid


def text_hit(text: str, rank: int = 1) -> Hit:
    """A retrieved chunk made from `text`: its first line is the title, the rest the body."""
    title, _, body = text.partition("\n")
    chunk = Chunk(
        chunk_id=f"c{rank}", source="manual.txt", title=title, text=text, body=body, start=0, end=len(text)
    )
    return Hit(chunk=chunk, score=1.0 / rank, rank=rank)


def text_hits(*texts: str) -> list[Hit]:
    """`text_hit` for each text, ranked in the order given."""
    return [text_hit(text, rank) for rank, text in enumerate(texts, start=1)]


def selected_quotes(question: str, *texts: str) -> list[str]:
    """The quotes sentence selection picks for `question` from these passages (flat idf)."""
    from assistant import extractive

    return [u.quote for u in extractive.select(question, text_hits(*texts), flat_idf)]


@pytest.fixture(scope="session")
def reader_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default reader GGUF (a locked dependency), assembled once for the whole session."""
    from assistant.llm.carried import carried_gguf

    return carried_gguf(tmp_path_factory.mktemp("fonte-models"), Settings().reader_model)


def flat_idf(_stem: str) -> float:
    """Every term weighs the same."""
    return 1.0


def reader_read(question: str) -> Generation:
    """A reader request: the reader's fixed instructions as system message, a short question."""
    from assistant import reader
    from assistant.llm.base import Generation

    return Generation(prompt=f"Pergunta: {question}\nNúmeros:", system=reader.READER_RULES, max_tokens=2)


def count_evaluated(llm: LlamaCppLLM, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The prompt tokens of each llama.cpp `eval` call from now on, appended per call (tokens are
    counted, never timed)."""
    evaluated: list[int] = []
    model = llm._llm
    real_eval = model.eval

    def counting_eval(tokens: list[int]) -> None:
        evaluated.append(len(tokens))
        real_eval(tokens)

    monkeypatch.setattr(model, "eval", counting_eval)
    return evaluated
