"""Section 2: search latency as a collection grows, embedded Chroma vs a `chroma run` server."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from eval import metrics
from eval.bench.plan import SEARCH_MODES, BenchResults, Plan, SearchRow, base_settings, elapsed_ms, median
from eval.bench.process import cold_run, free_port, stop, subprocess_env, vm_hwm_mb
from eval.bench.seed import Seed, open_collection

if TYPE_CHECKING:
    import numpy as np

    from fonte.types import Chunk
    from vectorstore.collection import Collection

SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def synthetic_chunks(
    seed: Seed, start: int, count: int, rng: np.random.Generator, noise: float
) -> tuple[list[Chunk], np.ndarray]:
    """`count` new chunks recombining sentences of the real ones, with near-duplicate vectors.

    Chunk i is built on a real chunk j: some of j's sentences (shuffled) plus one sentence of
    another chunk; its vector is j's e5 vector plus Gaussian noise, renormalised.
    """
    import hashlib

    import numpy as np

    from fonte.types import Chunk

    sentences = [[s for s in SENTENCE.split(c.body) if len(s) > 15] or [c.body] for c in seed.chunks]
    bases = rng.integers(len(seed.chunks), size=count)
    chunks = []
    for offset, j in enumerate(bases):
        i = start + offset
        own = sentences[int(j)]
        keep = rng.permutation(len(own))[: max(1, min(len(own), int(rng.integers(2, 6))))]
        other = sentences[int(rng.integers(len(seed.chunks)))]
        body = " ".join([*(own[int(k)] for k in keep), other[int(rng.integers(len(other)))]])
        title = seed.chunks[int(j)].title
        text = f"{title}\n{body}" if title else body
        chunks.append(
            Chunk(
                chunk_id=f"synth-{i:07d}",
                source=f"/synthetic/doc-{i // 100:05d}.txt",
                title=title,
                text=text,
                body=body,
                start=0,
                end=len(body),
                content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
            )
        )
    vectors = seed.vectors[bases] + rng.normal(0.0, noise, size=(count, seed.vectors.shape[1]))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return chunks, vectors.astype(np.float32)


def add_precomputed(collection: Collection, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
    """Add chunks with their vectors straight to Chroma and to BM25 (no manifest: not a source)."""
    collection.store.add(chunks, vectors=vectors)
    collection.lexical.add(chunks)


def search_latencies(
    collection: Collection, questions: Sequence[str], mode: str, runs: int
) -> tuple[float, float]:
    """(p50, p95) ms of `collection.search`, each the median over `runs` passes."""
    p50s, p95s = [], []
    for _ in range(runs):
        times = []
        for question in questions:
            started = time.perf_counter()
            collection.search(question, k=5, mode=mode)
            times.append(elapsed_ms(started))
        p50s.append(metrics.percentile(times, 50))
        p95s.append(metrics.percentile(times, 95))
    return median(p50s), median(p95s)


def grow_and_measure(
    plan: Plan, store: str, collection: Collection, seed: Seed, questions: Sequence[str]
) -> Iterator[tuple[int, list[SearchRow]]]:
    """Grow the collection through plan.sizes, yielding the rows measured at each size."""
    import numpy as np

    rng = np.random.default_rng(plan.seed)
    add_precomputed(collection, seed.chunks, seed.vectors)
    size = len(seed.chunks)
    for target in plan.sizes:
        chunks, vectors = synthetic_chunks(seed, size, target - size, rng, plan.noise)
        add_precomputed(collection, chunks, vectors)
        size = target
        started = time.perf_counter()
        collection.search(questions[0], k=5, mode="hybrid")
        first_ms = elapsed_ms(started)
        rows = []
        for mode in SEARCH_MODES:
            p50, p95 = search_latencies(collection, questions, mode, plan.runs)
            rows.append(SearchRow(target, store, mode, p50, p95, first_ms))
        yield target, rows


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[tuple[str, int]]:
    """A `chroma run` server on a free loopback port, stopped on exit; yields (URL, pid)."""
    from vectorstore.chroma import make_client

    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    with (path.parent / "chroma-server.log").open("w") as log:
        server = subprocess.Popen(
            [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"chroma run saiu com {server.returncode}")
                try:
                    make_client(persist_dir=path, url=url)
                    break
                except Exception:  # not listening yet: retry until the deadline
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            yield url, server.pid
        finally:
            stop(server)


def bench_search(
    plan: Plan, workspace: Path, seed: Seed, questions: Sequence[str], results: BenchResults
) -> None:
    embedded = base_settings(workspace / "search-embedded", collection="bench")
    collection = open_collection(embedded)
    for size, rows in grow_and_measure(plan, "embedded", collection, seed, questions):
        results.search += rows
        if size == plan.sizes[0]:
            collection.lexical.save()  # the new process reads BM25 from disk
            results.cli_search_cold_ms, peak = cold_run(
                ["ui.cli", "search", questions[0], "--json"], subprocess_env(embedded), plan.cold_runs
            )
            results.peak_rss_mb["`fonte search` CLI process"] = peak
    with chroma_server(workspace / "chroma-server") as (url, pid):
        served = base_settings(workspace / "search-server", collection="bench", chroma_url=url)
        for _, rows in grow_and_measure(plan, "server", open_collection(served), seed, questions):
            results.search += rows
        results.peak_rss_mb[f"`chroma run` server ({plan.sizes[-1]:,} chunks)"] = vm_hwm_mb(pid) or 0.0
