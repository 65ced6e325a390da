"""Fonte's shared core: settings, errors and typed records."""

from fonte.errors import (
    BackendUnavailable,
    BadRequest,
    EmbeddingMismatch,
    FonteError,
    IngestError,
    ModelNotFound,
    StoreError,
)
from fonte.settings import Settings
from fonte.types import Answer, Chunk, Citation, Document, Hit, Section, Timings

__all__ = [
    "Answer",
    "BackendUnavailable",
    "BadRequest",
    "Chunk",
    "Citation",
    "Document",
    "EmbeddingMismatch",
    "FonteError",
    "Hit",
    "IngestError",
    "ModelNotFound",
    "Section",
    "Settings",
    "StoreError",
    "Timings",
]
