"""What a front end shows about the running system: the backend in use and the collections.

Front ends render these results (labels live in `ui.render`); uploads are `ingest.uploads`
and evaluation reports `eval.reports`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.llm import choose_backend, ollama_ready
from fonte.settings import Settings
from vectorstore.collection import COLLECTION_NAME


@dataclass(frozen=True)
class BackendStatus:
    """Which backend answers, with which model, and whether Ollama is reachable."""

    requested: str
    backend: str
    model: str
    ollama_up: bool
    ollama_host: str
    ollama_model: str
    embedder: str


def backend_status(settings: Settings, backend: str | None = None) -> BackendStatus:
    """The backend `backend` (default: settings.backend) resolves to, without loading a model."""
    choice = choose_backend(settings, backend)
    return BackendStatus(
        requested=choice.requested,
        backend=choice.name,
        model=choice.model,
        ollama_up=ollama_ready(settings),
        ollama_host=settings.ollama_host,
        ollama_model=settings.ollama_model,
        embedder=settings.embedder,
    )


def list_collections(settings: Settings) -> list[str]:
    """Names of the collections under `data_dir/collections`, plus the configured one."""
    root = settings.data_dir / "collections"
    names = {settings.collection}
    if root.is_dir():
        names |= {p.name for p in root.iterdir() if p.is_dir() and COLLECTION_NAME.match(p.name)}
    return sorted(names)
