"""Every bad input from issue 10 ends in a message and a non-zero exit (or a 4xx), never a traceback."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, run_module
from tests.unit.test_ingest_bounds import zip_bomb_docx

pytestmark = pytest.mark.slow


def fonte(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_module("ui.cli", *args, env=env, timeout=300)  # asserts: no traceback


@pytest.mark.parametrize("name", ["up2\n", "a/b", "../x", "nome inválido"])
def test_a_bad_collection_name_is_refused_and_creates_nothing(name: str, data_dir: Path) -> None:
    for command in (["ingest", str(CORPUS)], ["remove", "x.txt"], ["sources"], ["search", "dados"]):
        result = fonte(*command, "--collection", name)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith("erro: Nome de coleção inválido"), result.stderr
    collections = data_dir / "collections"
    assert not collections.exists() or list(collections.iterdir()) == []


def test_a_50_mb_text_file_is_skipped_with_the_reason(tmp_path: Path) -> None:
    big = tmp_path / "grande.txt"
    line = "Uma linha de texto comum para encher o arquivo de teste.\n"
    big.write_text(line * (50 * 2**20 // len(line)), encoding="utf-8")
    started = time.monotonic()
    result = fonte("ingest", str(big))
    assert result.returncode == 3, result.stderr
    assert "FONTE_MAX_FILE_CHARS" in result.stderr and "grande.txt" in result.stderr
    assert time.monotonic() - started < 60


def test_a_zip_bomb_docx_is_skipped_fast(tmp_path: Path) -> None:
    bomb = zip_bomb_docx(tmp_path / "bomba.docx")
    started = time.monotonic()
    result = fonte("ingest", str(bomb))
    elapsed = time.monotonic() - started
    assert result.returncode == 3 and "compactado suspeito" in result.stderr, result.stderr
    assert elapsed < 30, elapsed  # the process start-up; the check itself takes milliseconds


def test_a_parse_past_the_time_limit_is_skipped(tmp_path: Path) -> None:
    slow = tmp_path / "lento.html"
    slow.write_text("<html><body>" + "<div><p>texto <b>em</b> negrito</p></div>" * 400_000 + "</body></html>")
    result = fonte("ingest", str(slow), env={"FONTE_MAX_PARSE_SECONDS": "1"})
    assert result.returncode == 3 and "FONTE_MAX_PARSE_SECONDS" in result.stderr, result.stderr


def test_a_file_name_that_is_not_utf8_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    fd = os.open(os.fsencode(folder) + b"/relat\xf3rio.txt", os.O_WRONLY | os.O_CREAT)
    os.write(fd, b"Texto em latin-1 no nome.\n")
    os.close(fd)
    result = fonte("ingest", str(folder))
    assert result.returncode == 3 and "não são UTF-8" in result.stderr, result.stderr


def test_a_question_that_is_not_utf8_is_refused() -> None:
    result = fonte("search", "dados \udcff")  # what Python makes of the argv byte 0xff
    assert result.returncode == 2 and "fora do UTF-8" in result.stderr, result.stderr


def test_the_api_answers_bad_input_with_a_4xx(tmp_path: Path, data_dir: Path, artifacts_dir: Path) -> None:
    import httpx

    from tests.conftest import fonte_server

    env = {**os.environ, "FONTE_BACKEND": "extractive", "FONTE_ADMIN_TOKEN": "segredo"}
    assert fonte("ingest", str(CORPUS), env=env).returncode == 0
    doc = tmp_path / "nota.md"
    doc.write_text("# Nota\n\nTexto.\n", encoding="utf-8")
    with fonte_server(env, artifacts_dir / "server.log") as (base, _pid):
        response = httpx.post(
            f"{base}/api/admin/ingest",
            files={"file": (doc.name, doc.read_bytes(), "text/markdown")},
            data={"collection": "up2\n"},
            headers={"Authorization": "Bearer segredo"},
            timeout=60,
        )
        assert 400 <= response.status_code < 500 and "coleção" in response.json()["error"], response.text
        surrogate = b'{"question": "O que \\ud800 DataOps?"}'
        response = httpx.post(
            f"{base}/api/ask", content=surrogate, headers={"Content-Type": "application/json"}, timeout=60
        )
        assert 400 <= response.status_code < 500, response.text
    assert sorted(p.name for p in (data_dir / "collections").iterdir()) == ["default"]
    assert not (data_dir / "uploads" / "up2\n").exists()
