"""Bounded extraction: no single file may take unbounded memory or time.

Three checks, cheapest first:

1. Before reading: plain-text files larger than `BYTES_PER_CHAR_MAX × max_file_chars`
   bytes are skipped (they must hold more characters than allowed), and zip-based
   formats (.docx) are skipped when a member inflates more than `ZIP_MAX_RATIO` times or
   their XML adds up to more than `XML_BYTES_PER_CHAR × max_file_chars` — read from the
   zip's central directory, without inflating anything (a zip bomb costs milliseconds).
2. While parsing: the loader runs in a worker process (multiprocessing `forkserver`), and
   a parse that takes longer than `max_parse_seconds` kills the worker. Size checks alone
   cannot bound time: a small PDF can hold content that keeps a parser busy for minutes,
   and a thread in CPython cannot be stopped, a process can. The worker is reused across
   files, so the cost is one start-up per process (~1 s), not one per file.
3. After parsing: text longer than `max_file_chars` is refused before chunking.
"""

from __future__ import annotations

import multiprocessing
import threading
import zipfile
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

from fonte.errors import IngestError
from fonte.types import Document

BYTES_PER_CHAR_MAX = 4
"""UTF-8 (and UTF-16) spend at most 4 bytes on one character."""
PLAIN_SUFFIXES = (".txt", ".md", ".markdown")
ZIP_SUFFIXES = (".docx",)
ZIP_MAX_RATIO = 100
"""Inflation past 100:1 is treated as a bomb (Apache POI's ZipSecureFile uses the same 1%)."""
ZIP_RATIO_MIN_BYTES = 1 << 20
"""Members under 1 MB inflated are never suspicious, whatever their ratio."""
XML_BYTES_PER_CHAR = 20
"""WordprocessingML spends ~5–15 bytes of XML per character of text; 20 leaves headroom."""

_pool: Pool | None = None
_pool_guard = threading.Lock()


def too_many_chars(max_chars: int) -> str:
    limit = f"{max_chars:,}".replace(",", ".")  # Portuguese thousands separator
    return (
        f"texto grande demais (mais de {limit} caracteres; limite FONTE_MAX_FILE_CHARS) "
        "— divida o arquivo ou aumente o limite"
    )


def precheck(path: Path, *, max_chars: int) -> str:
    """Why `path` must be skipped without parsing it, or "" when it may be parsed."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError:
        return ""  # the loader reports unreadable files in its own words
    if suffix in PLAIN_SUFFIXES and size > BYTES_PER_CHAR_MAX * max_chars:
        return too_many_chars(max_chars)
    if suffix in ZIP_SUFFIXES:
        return _zip_problem(path, max_chars=max_chars)
    return ""


def _zip_problem(path: Path, *, max_chars: int) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return ""  # not a zip at all: the loader says it is corrupt
    xml_bytes = 0
    for member in members:
        if member.file_size > ZIP_RATIO_MIN_BYTES and member.file_size > ZIP_MAX_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            return (
                f"arquivo compactado suspeito: '{member.filename}' se expande {ratio}× "
                f"({member.file_size / 2**20:.0f} MB) — abra e salve de novo no editor"
            )
        if member.filename.endswith((".xml", ".rels")):
            xml_bytes += member.file_size
    if xml_bytes > XML_BYTES_PER_CHAR * max_chars:
        return f"{too_many_chars(max_chars)} ({xml_bytes / 2**20:.0f} MB de XML)"
    return ""


def load_bounded(path: Path, *, source: str, max_chars: int, timeout: float) -> Document:
    """`ingest.loaders.load` within the size and time bounds; IngestError with a reason."""
    problem = precheck(path, max_chars=max_chars)
    if problem:
        raise IngestError(problem)
    global _pool
    with _pool_guard:  # one parse at a time per process: the timeout measures only this file
        if _pool is None:
            _pool = multiprocessing.get_context("forkserver").Pool(processes=1)
        pending = _pool.apply_async(_load_in_worker, (str(path), source, max_chars))
        try:
            result: Any = pending.get(timeout=timeout)
        except multiprocessing.TimeoutError:
            _pool.terminate()
            _pool = None
            raise IngestError(
                f"a leitura passou de {timeout:.0f} s (limite FONTE_MAX_PARSE_SECONDS) "
                "— o arquivo pode estar corrompido; tente salvá-lo de novo ou convertê-lo"
            ) from None
    if isinstance(result, str):
        raise IngestError(result)
    document: Document = result
    return document


def _load_in_worker(path: str, source: str, max_chars: int) -> Document | str:
    """Runs in the worker: the document, or the reason it was refused (errors as text)."""
    from ingest.loaders import load

    try:
        document = load(Path(path), source=source)
    except IngestError as e:
        return str(e)
    if len(document.text) > max_chars:
        return too_many_chars(max_chars)
    return document
