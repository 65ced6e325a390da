"""Loading files, structure-aware chunking, incremental ingestion and browser uploads."""

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
from ingest.uploads import UploadResult, ingest_upload, remove_source, sanitize_filename, upload_dir

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestEvents",
    "IngestReport",
    "UploadResult",
    "chunk_document",
    "ensure_documents",
    "ingest_bundled",
    "ingest_file",
    "ingest_paths",
    "ingest_upload",
    "load",
    "prune_missing",
    "remove_source",
    "sanitize_filename",
    "upload_dir",
]
