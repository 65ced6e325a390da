"""Section 3: raw llama.cpp speed vs the same prompts through Fonte's answer pipeline."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eval.bench.plan import LlmRow, Plan, elapsed_ms, median
from eval.bench.seed import Seed, loaded_llm

if TYPE_CHECKING:
    from assistant.llm.base import Generation
    from assistant.llm.llamacpp import LlamaCppLLM


def raw_stream_ms(llm: LlamaCppLLM, generation: Generation) -> tuple[float, float]:
    """(first piece, total) ms of streaming exactly `generation` (same stops and penalty)."""
    llm.reset()
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
        llm.reset()  # the pipeline starts from an empty cache too
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


def bench_llm(plan: Plan, seed: Seed, questions: Sequence[str]) -> list[LlmRow]:
    llm = loaded_llm(seed)
    return [llm_row(q, seed, llm, plan.runs) for q in questions[: plan.llm_questions]]
