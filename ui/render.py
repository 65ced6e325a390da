"""Plain renderings of library results shared by every way in: labels, JSON, text and Markdown.

`citation_label` is the one way a passage is named: `ask`, `fonte search`, the API (and so
the widget), the Streamlit sources and the Markdown export all show it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fonte.types import TITLE_SEPARATOR, Answer, Chunk, Citation

if TYPE_CHECKING:  # `ask --help` must start fast: no backend imports at module level
    from assistant.status import BackendStatus

BACKEND_LABELS = {
    "auto": "auto (Ollama se disponível, senão llama.cpp)",
    "llamacpp": "llamacpp (modelo embutido)",
    "ollama": "ollama (servidor local)",
    "openai": "openai (servidor OpenAI-compatível: vLLM, llama.cpp server)",
    "extractive": "extractive (sem LLM)",
}


def citation_label(chunk: Chunk, n: int | None = None) -> str:
    """How a passage is named everywhere: "[1] manual.pdf — Capítulo 2 › Limpeza, p. 3".

    A missing part goes with its punctuation: "[1] manual.pdf, p. 3", "manual.pdf — Uso".
    """
    parts = (" ".join(part.split()) for part in chunk.title.split(TITLE_SEPARATOR.strip()))
    title = TITLE_SEPARATOR.join(part for part in parts if part)
    label = f"[{n}] {chunk.name}" if n is not None else chunk.name
    if title:
        label += f" — {title}"
    if chunk.page:
        label += f", p. {chunk.page}"
    return label


def backend_summary(status: BackendStatus) -> str:
    """One line in Portuguese, e.g. "llamacpp · gemma-3-270m-Q4_K_M.gguf"."""
    if status.backend == "extractive":
        return "extractive · sem LLM (frases dos próprios documentos)"
    return f"{status.backend} · {status.model}"


def citation_payload(citation: Citation) -> dict[str, Any]:
    return {
        "n": citation.n,
        "chunk_id": citation.chunk.chunk_id,
        "source": citation.chunk.source,
        "title": citation.chunk.title,
        "page": citation.chunk.page,
        "label": citation_label(citation.chunk, citation.n),
        "quote": citation.quote,
        "start": citation.chunk.start,
        "end": citation.chunk.end,
    }


def answer_payload(answer: Answer) -> dict[str, Any]:
    """The `ask --json` contract (also the API's answer and SSE `done` event)."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "backend": answer.backend,
        "model": answer.model,
        "citations": [citation_payload(c) for c in answer.citations],
        "timings": {
            "retrieve_ms": answer.timings.retrieve_ms,
            "first_token_ms": answer.timings.first_token_ms,
            "total_ms": answer.timings.total_ms,
        },
    }


def sources_text(answer: Answer) -> str:
    lines = []
    for c in answer.citations:
        lines.append(citation_label(c.chunk, c.n))
        lines.append(f"    “{_one_line(c.quote)}”")
    if answer.abstained and answer.hits:
        lines.append("Trechos mais próximos encontrados:")
        lines.extend(f"  - {citation_label(h.chunk)}" for h in answer.hits[:3])
    return "\n".join(lines)


def conversation_markdown(answers: Sequence[Answer], *, collection: str = "") -> str:
    """A conversation (one Answer per turn) as Markdown, each answer followed by its sources."""
    when = time.strftime("%Y-%m-%d %H:%M")
    lines = ["# Conversa com o Fonte", ""]
    lines.append(f"_Exportada em {when}" + (f" · coleção `{collection}`" if collection else "") + "_")
    for i, answer in enumerate(answers, 1):
        lines += ["", f"## {i}. {_one_line(answer.question)}", "", answer.text.strip()]
        if answer.abstained:
            if answer.hits:
                lines += ["", "Trechos mais próximos encontrados:", ""]
                lines += [f"- {citation_label(h.chunk)}" for h in answer.hits[:3]]
            continue
        if answer.citations:
            lines += ["", "**Fontes**", ""]
            for c in answer.citations:
                lines.append(f"- {citation_label(c.chunk, c.n)}")
                lines.append(f"  > “{_one_line(c.quote)}”")
        lines += ["", f"_{answer.backend} · {answer.model} · {answer.timings.total_ms / 1000:.1f} s_"]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
