"""Storage and retrieval: Chroma vectors, a Portuguese BM25 index and their fusion."""

from vectorstore.collection import Collection, SourceInfo
from vectorstore.embeddings import get_embedder

__all__ = ["Collection", "SourceInfo", "get_embedder"]
