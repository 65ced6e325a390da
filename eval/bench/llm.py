"""Section 3: raw llama.cpp speed vs the same prompts through Fonte's answer pipeline.

An instruct model (the carried reader) is timed on the reader's prompt, with its fixed system
message already in llama.cpp's cache, as it is for every question after the first; a base
model on the generation prompt, from an empty cache.
"""

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
    _start_state(llm, generation)
    started = time.perf_counter()
    first = None
    for _ in llm.stream(generation):
        first = first if first is not None else elapsed_ms(started)
    total = elapsed_ms(started)
    return (first if first is not None else total), total


def _start_state(llm: LlamaCppLLM, generation: Generation) -> None:
    """Empty cache for a base model; for the reader, only its system message cached (warm)."""
    from assistant.llm.base import Generation as Request

    llm.reset()
    if llm.chat and generation.system:
        "".join(llm.stream(Request(prompt="Pergunta: -\nNúmeros:", system=generation.system, max_tokens=1)))


def pipeline_generation(question: str, seed: Seed, llm: LlamaCppLLM) -> Generation:
    """The request the answer pipeline sends for `question`: the reader's, or the generator's."""
    from assistant import reader
    from assistant.generation import build_generation

    collection, settings = seed.collection, seed.settings
    hits = collection.search(question, k=settings.k)
    idf = collection.lexical.idf
    if llm.chat:
        return reader.reader_generation(
            question,
            reader.candidates(
                question, hits, idf, limit=settings.reader_candidates, embedder=collection.store.embedder
            ),
        )
    return build_generation(llm, question, hits, idf, max_tokens=settings.max_new_tokens)


def llm_row(question: str, seed: Seed, llm: LlamaCppLLM, runs: int) -> LlmRow:
    from assistant.pipeline import Assistant

    helper = Assistant(seed.settings, collection=seed.collection)
    generation = pipeline_generation(question, seed, llm)
    prompt = (generation.system + "\n\n" if generation.system else "") + generation.prompt
    speeds, raws, answers = [], [], []
    for _ in range(runs):
        speeds.append(llm.tokens_per_second(prompt, generation.max_tokens))
        raws.append(raw_stream_ms(llm, generation))
        _start_state(llm, generation)  # the pipeline starts from the same state
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
