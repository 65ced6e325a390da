"""Loading files, structure-aware chunking and incremental ingestion."""

from ingest.chunking import chunk_document
from ingest.loaders import SUPPORTED_SUFFIXES, load
from ingest.pipeline import (
    IngestEvents,
    IngestReport,
    ensure_documents,
    ingest_bundled,
    ingest_file,
    ingest_paths,
    prune_missing,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestEvents",
    "IngestReport",
    "chunk_document",
    "ensure_documents",
    "ingest_bundled",
    "ingest_file",
    "ingest_paths",
    "load",
    "prune_missing",
]
