"""Ingest files into a collection incrementally: unchanged files cost one hash."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fonte.errors import IngestError
from ingest.bounds import load_bounded
from ingest.chunking import chunk_document
from ingest.loaders import SUPPORTED_SUFFIXES
from vectorstore.collection import Collection, is_utf8

PIPELINE_VERSION = 5
"""Bump when loaders or chunking change what a file turns into."""


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """False only when files were given and none could be ingested."""
        attempted = self.ingested or self.unchanged or self.skipped
        return bool(self.ingested or self.unchanged) or not attempted


class IngestEvents:
    """Callbacks a front end may implement to show progress; all optional."""

    def file_started(self, path: Path, chunks: int) -> None: ...
    def chunks_done(self, count: int) -> None: ...
    def file_done(self, path: Path, status: str, detail: str = "") -> None: ...


def ingest_paths(
    paths: Iterable[Path],
    collection: Collection,
    *,
    prune: bool = False,
    events: IngestEvents | None = None,
) -> IngestReport:
    """Ingest files and directories (recursively) into `collection`."""
    events = events or IngestEvents()
    report = IngestReport()
    started = time.perf_counter()
    for path, problem in _expand(paths):
        if problem:
            report.skipped.append((str(path), problem))
            events.file_done(path, "skipped", problem)
            continue
        _ingest_file(path, collection, report, events)
    if prune:
        report.removed = prune_missing(collection)
    report.seconds = time.perf_counter() - started
    return report


def ingest_file(path: Path, collection: Collection, *, source: str | None = None) -> IngestReport:
    """Ingest one file, e.g. an upload, under an explicit source name."""
    report = IngestReport()
    started = time.perf_counter()
    _ingest_file(path, collection, report, IngestEvents(), source=source)
    report.seconds = time.perf_counter() - started
    return report


def prune_missing(collection: Collection) -> list[str]:
    removed = []
    for info in collection.sources():
        if info.source.startswith("/") and not Path(info.source).exists():
            collection.remove_source(info.source)
            removed.append(info.source)
    return removed


def _ingest_file(
    path: Path,
    collection: Collection,
    report: IngestReport,
    events: IngestEvents,
    *,
    source: str | None = None,
) -> None:
    source = source or str(path.resolve())
    if not is_utf8(source):  # undecodable bytes in a file name (surrogate escapes)
        reason = "nome de arquivo com bytes que não são UTF-8 — renomeie o arquivo"
        report.skipped.append((_printable(path), reason))
        events.file_done(path, "skipped", reason)
        return
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as e:
        report.skipped.append((str(path), f"não foi possível ler ({e.strerror})"))
        events.file_done(path, "skipped", str(e.strerror))
        return
    settings = collection.settings
    # the same bytes chunked by another version or configuration must be re-ingested
    fingerprint = f"{digest}/v{PIPELINE_VERSION}/{settings.chunk_size}/{settings.chunk_overlap}"
    if collection.source_hash(source) == fingerprint:
        report.unchanged.append(source)
        events.file_done(path, "unchanged")
        return
    try:
        document = load_bounded(
            path, source=source, max_chars=settings.max_file_chars, timeout=settings.max_parse_seconds
        )
    except IngestError as e:
        report.skipped.append((str(path), str(e)))
        events.file_done(path, "skipped", str(e))
        return
    chunks = chunk_document(document, size=settings.chunk_size, overlap=settings.chunk_overlap)
    events.file_started(path, len(chunks))
    collection.replace_source(source, chunks, fingerprint, progress=events.chunks_done)
    report.ingested.append(source)
    report.chunks += len(chunks)
    events.file_done(path, "ingested", f"{len(chunks)} trechos")


def _expand(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Files to ingest, each with an empty string or the reason it is skipped."""
    for path in paths:
        if not path.exists():
            yield path, "caminho não encontrado"
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    yield child, _suffix_problem(child)
        else:
            yield path, _suffix_problem(path)


def _printable(path: Path) -> str:
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def _suffix_problem(path: Path) -> str:
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        return ""
    return f"extensão não suportada ({path.suffix or 'sem extensão'})"


def ingest_bundled(collection: Collection) -> IngestReport:
    """Ingest the corpus shipped with Fonte (used when a collection is empty)."""
    from fonte.settings import bundled_corpus

    return ingest_paths([bundled_corpus()], collection)


def ensure_documents(collection: Collection) -> IngestReport | None:
    """The one start-up rule for every way in: an empty collection gets the bundled document.

    Returns the report when it ingested, None when the collection already had documents.
    """
    if not collection.is_empty():
        return None
    return ingest_bundled(collection)
