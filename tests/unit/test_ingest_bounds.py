"""Bounded extraction: too many characters, zip bombs and slow parses are skipped with a reason."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from fonte.errors import IngestError
from fonte.settings import Settings
from ingest import ingest_paths
from ingest.bounds import load_bounded, precheck
from tests.conftest import CORPUS, HashEmbedder
from vectorstore import Collection

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def zip_bomb_docx(path: Path, inflated_mb: int = 42) -> Path:
    """A small .docx whose document.xml inflates to `inflated_mb` MB (as in the issue)."""
    paragraph = "<w:p><w:r><w:t>" + "a" * 200 + "</w:t></w:r></w:p>"
    body = paragraph * (inflated_mb * 2**20 // len(paragraph))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", f"<w:document><w:body>{body}</w:body></w:document>")
    return path


def test_a_zip_bomb_docx_is_skipped_without_inflating_it(tmp_path: Path) -> None:
    bomb = zip_bomb_docx(tmp_path / "bomba.docx")
    assert bomb.stat().st_size < 400 * 1024
    started = time.perf_counter()
    reason = precheck(bomb, max_chars=2_000_000)
    assert time.perf_counter() - started < 0.5
    assert "compactado suspeito" in reason and "document.xml" in reason


def test_plain_text_past_the_character_limit_is_skipped_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "grande.txt"
    big.write_text("palavra " * 60_000)  # 480 KB
    assert "FONTE_MAX_FILE_CHARS" in precheck(big, max_chars=100_000)
    assert precheck(big, max_chars=200_000) == ""  # may hold ≤ 200k chars: parsed, then counted
    with pytest.raises(IngestError, match=r"mais de 200\.000 caracteres"):
        load_bounded(big, source=str(big), max_chars=200_000, timeout=60)


def test_a_parse_past_the_time_limit_is_skipped(tmp_path: Path) -> None:
    slow = tmp_path / "lento.html"
    slow.write_text("<html><body>" + "<div><p>texto <b>em</b> negrito</p></div>" * 400_000 + "</body></html>")
    load_bounded(CORPUS, source=str(CORPUS), max_chars=2_000_000, timeout=60)  # worker warm
    started = time.perf_counter()
    with pytest.raises(IngestError, match="FONTE_MAX_PARSE_SECONDS"):
        load_bounded(slow, source=str(slow), max_chars=50_000_000, timeout=0.5)
    assert time.perf_counter() - started < 5
    # the next file gets a fresh worker
    assert load_bounded(CORPUS, source=str(CORPUS), max_chars=2_000_000, timeout=60).text


def test_ingest_reports_the_reason_and_keeps_going(settings: Settings, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    zip_bomb_docx(docs / "bomba.docx")
    (docs / "ok.md").write_text("# Nota\n\nTexto normal.\n")
    report = ingest_paths([docs], Collection.open(settings, embedder=HashEmbedder()))
    assert [Path(s).name for s in report.ingested] == ["ok.md"]
    assert [(Path(p).name, "compactado suspeito" in r) for p, r in report.skipped] == [("bomba.docx", True)]
