"""Sections 4 and 5: one set of answer passes (Fonte and the baseline) feeds latency and quality rows."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eval import metrics
from eval.bench.api import bench_api
from eval.bench.baseline import NaiveRag, baseline_pass, raw_completion
from eval.bench.plan import (
    BUNDLED_FILE,
    AnswerRecord,
    AskRow,
    BenchResults,
    Plan,
    QualityRow,
    median,
    plain_questions,
    stage,
)
from eval.bench.process import cold_run, subprocess_env
from eval.bench.seed import Seed, loaded_llm

if TYPE_CHECKING:
    from eval.runner import EvalItem
    from fonte.types import Answer


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


def bench_answers(plan: Plan, seed: Seed, items: Sequence[EvalItem], results: BenchResults) -> None:
    """Warm in-process answers, the baseline, a cold `ask` process and the HTTP API."""
    with stage(results, "fonte extractive"):
        extractive_passes = [fonte_pass(seed, items, "extractive") for _ in range(plan.runs)]
    with stage(results, "fonte llamacpp"):
        loaded_llm(seed).reset()  # no leftover prompt from section 3 (same question)
        llamacpp = fonte_pass(seed, items, "llamacpp")
    with stage(results, "baseline"):
        loaded_llm(seed).reset()
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
        bench_api(seed.settings, [i.question for i in items], plan.runs, results)
    results.quality = [
        quality_row("Fonte (extractive)", extractive_passes[0]),
        quality_row("Fonte (llamacpp)", llamacpp),
        quality_row(f"naive LangChain ({rag.chunks} chunks, MiniLM, stuff)", baseline),
    ]
