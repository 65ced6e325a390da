"""Section 1: ingest throughput, from scratch and again unchanged, per embedder and corpus."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from eval.bench.plan import BUNDLED_FILE, E5, MINILM, IngestRow, Plan, base_settings, median
from eval.bench.seed import open_collection
from fonte.settings import Settings


def warm_embedder(spec: str) -> float:
    """Load an embedding model once per process (as a long-lived app would); returns seconds."""
    from vectorstore.embeddings import get_embedder

    started = time.perf_counter()
    get_embedder(spec).embed_documents(["aquecimento do modelo"])
    return time.perf_counter() - started


def debian_corpus(notes: list[str]) -> Path | None:
    """The Debian Reference pt-br HTML (fetched once into the user data dir), or None with a note."""
    from eval.corpora import fetch_debian_reference

    try:
        editions = fetch_debian_reference(Settings().data_dir / "corpora" / "debian-reference")
        return Path(editions["pt-br"])
    except Exception as e:  # noqa: BLE001 — an optional corpus: report why and go on
        notes.append(f"Debian Reference rows skipped: fetch failed ({type(e).__name__}: {e}).")
        return None


def corpus_files(path: Path) -> list[Path]:
    """The files ingest reads for `path` (a file, or a directory of chapter files)."""
    return sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]


def ingest_once(path: Path, workspace: Path, embedder: str) -> tuple[int, float, float]:
    """(chunks, seconds, re-ingest seconds) into a fresh data dir."""
    from ingest.pipeline import ingest_paths

    collection = open_collection(
        base_settings(Path(tempfile.mkdtemp(prefix="ingest-", dir=workspace)), embedder=embedder)
    )
    first = ingest_paths([path], collection)
    if not first.ingested:
        raise RuntimeError(f"nada ingerido de {path}: {first.skipped}")
    again = ingest_paths([path], collection)
    return first.chunks, first.seconds, again.seconds


def bench_ingest(plan: Plan, workspace: Path, notes: list[str]) -> list[IngestRow]:
    corpora = [("bundled mlops (txt)", BUNDLED_FILE)]
    debian = None if plan.quick else debian_corpus(notes)
    if plan.quick:
        notes.append("Debian Reference ingest skipped in --quick (minutes of embedding).")
    elif debian is not None:
        notes.append(f"Debian Reference ingest: {plan.large_corpus_runs} run(s) per embedder (minutes each).")
        corpora.append((f"Debian Reference pt-br (html, {len(corpus_files(debian))} files)", debian))
    rows = []
    for embedder in (E5, MINILM):
        load_s = warm_embedder(embedder)
        for name, path in corpora:
            n_runs = plan.runs if path == BUNDLED_FILE else plan.large_corpus_runs
            runs = [ingest_once(path, workspace, embedder) for _ in range(n_runs)]
            rows.append(
                IngestRow(
                    corpus=name,
                    embedder=embedder,
                    chunks=runs[0][0],
                    megabytes=sum(f.stat().st_size for f in corpus_files(path)) / 1e6,
                    seconds=median([r[1] for r in runs]),
                    reingest_seconds=median([r[2] for r in runs]),
                    model_load_seconds=load_s,
                )
            )
    return rows
