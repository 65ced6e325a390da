"""The shared starting point of sections 2–5: the bundled document ingested with e5, the carried GGUF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from eval.bench.plan import BUNDLED_FILE, E5, base_settings
from fonte.settings import Settings

if TYPE_CHECKING:
    import numpy as np

    from assistant.llm.llamacpp import LlamaCppLLM
    from fonte.types import Chunk
    from vectorstore.collection import Collection


@dataclass
class Seed:
    """The bundled document ingested with e5: real chunks and their vectors to grow from."""

    settings: Settings
    collection: Collection
    chunks: list[Chunk]
    vectors: np.ndarray


def open_collection(settings: Settings) -> Collection:
    from vectorstore.collection import Collection

    return Collection.open(settings)


def model_file(workspace: Path) -> Path:
    """The carried reader the `llamacpp` backend uses (FONTE_READER_MODEL): reuse the file already
    assembled in the user data dir, else assemble it here."""
    from assistant.llm.carried import CARRIED_MODELS, carried_gguf

    settings = Settings()
    existing = settings.data_dir / "models" / CARRIED_MODELS[settings.reader_model].file
    return carried_gguf(existing.parent.parent if existing.is_file() else workspace, settings.reader_model)


def make_seed(workspace: Path, model_path: Path) -> Seed:
    import numpy as np

    from ingest.pipeline import ingest_paths
    from vectorstore.embeddings import get_embedder

    settings = base_settings(workspace / "seed", llamacpp_model=model_path)
    collection = open_collection(settings)
    ingest_paths([BUNDLED_FILE], collection)
    chunks = sorted(collection.lexical.chunks(), key=lambda c: c.start)
    vectors = np.asarray(get_embedder(E5).embed_documents([c.text for c in chunks]), dtype=np.float32)
    return Seed(settings, collection, chunks, vectors)


def loaded_llm(seed: Seed) -> LlamaCppLLM:
    """The process-wide llama.cpp model Fonte's `llamacpp` backend uses for these settings.

    `get_llamacpp` frees it at interpreter exit, before llama.cpp's own destructor would fail.
    """
    from assistant.llm.llamacpp import get_llamacpp

    assert seed.settings.llamacpp_model is not None
    settings = seed.settings
    return get_llamacpp(settings.llamacpp_model, settings.llamacpp_threads, None, settings.llama_prefix_dir)
