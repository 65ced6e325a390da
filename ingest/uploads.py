"""Files handed over by a browser: safe names, a saved copy per collection, ingestion, removal.

Uploads live under `data_dir/uploads/<collection>/`; their saved path is the source name
in the collection, so removing the source also removes the saved copy.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from fonte.errors import FonteError
from fonte.settings import Settings
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import ingest_file
from vectorstore.collection import Collection

MAX_UPLOAD_NAME = 120  # characters: room for real document names, short enough to list and path-join


@dataclass(frozen=True)
class UploadResult:
    """The outcome of one uploaded file: `ingested`, `unchanged` or `skipped` (+ reason)."""

    name: str
    status: str
    detail: str = ""
    chunks: int = 0
    source: str = ""


def upload_dir(settings: Settings, collection: str | None = None) -> Path:
    """Where the uploads of `collection` (default: settings.collection) are saved."""
    return settings.data_dir / "uploads" / (collection or settings.collection)


def sanitize_filename(name: str) -> str:
    """A safe file name from whatever a browser sent: no directories, no control characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"[^\w.\- ()\[\]]", "_", base).strip(" .")
    base = re.sub(r"\s+", " ", base)
    if len(base) > MAX_UPLOAD_NAME:
        stem, dot, suffix = base.rpartition(".")
        keep = MAX_UPLOAD_NAME - len(suffix) - 1
        base = f"{stem[:keep]}.{suffix}" if dot and len(suffix) <= 10 and keep > 0 else base[:MAX_UPLOAD_NAME]
    return base or "arquivo"


def ingest_upload(collection: Collection, filename: str, data: bytes) -> UploadResult:
    """Save an upload under `data_dir/uploads/<collection>/` and ingest it (source = that path).

    The bytes go to a temporary file first; only an ingested upload replaces the saved
    copy, so a corrupt re-upload never destroys the previous good version.
    """
    name = sanitize_filename(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = " ".join(SUPPORTED_SUFFIXES)
        return UploadResult(
            name, "skipped", f"extensão não suportada ({suffix or 'sem extensão'}) — use {supported}"
        )
    directory = upload_dir(collection.settings, collection.name)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    temporary = directory / f".upload-{uuid.uuid4().hex}{suffix}"
    try:
        temporary.write_bytes(data)
        report = ingest_file(temporary, collection, source=str(final))
        if report.ingested:
            os.replace(temporary, final)
            return UploadResult(name, "ingested", f"{report.chunks} trechos", report.chunks, str(final))
        if report.unchanged:
            if not final.exists():
                os.replace(temporary, final)
            return UploadResult(name, "unchanged", "já estava na coleção, sem mudanças", source=str(final))
        reason = report.skipped[0][1] if report.skipped else "não foi possível ingerir"
        return UploadResult(name, "skipped", reason)
    except FonteError as e:
        return UploadResult(name, "skipped", str(e))
    finally:
        temporary.unlink(missing_ok=True)


def remove_source(collection: Collection, source: str) -> int:
    """Remove a source from the collection (and its saved upload, if it was one)."""
    removed = collection.remove_source(source)
    uploads = upload_dir(collection.settings, collection.name).resolve()
    path = Path(source)
    if path.parent.resolve() == uploads and path.is_file():
        path.unlink(missing_ok=True)
    return removed
